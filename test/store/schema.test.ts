import { describe, expect, it } from 'vitest';
import { FAMILIES, tableOf } from '../../src/ingest/index.ts';
import { expectedFamilyColumns } from '../../src/pipeline/index.ts';
import { latestSchemaVersion, listMigrations, migrate, schemaVersion } from '../../src/store/index.ts';
import { withStore } from '../helpers/with-store.ts';

describe('schema', () => {
  it('the migrated family tables have every column of reference/columns, typed as it says (else run scripts/gen-schema.ts)', async () => {
    await withStore(async (store) => {
      for (const family of FAMILIES) {
        const rows = await store.queryRows<{ column_name: string; data_type: string }>(
          'SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $1',
          [tableOf(family)],
        );
        const have = new Map(rows.map((r) => [r.column_name, r.data_type]));
        const missing = expectedFamilyColumns(family).filter((c) => have.get(c.name) !== c.type);
        expect(missing.map((c) => `${family}.${c.name} ${c.type} (found: ${have.get(c.name) ?? 'none'})`)).toEqual([]);
      }
    });
  });

  it('migrations are numbered without gaps and apply once', async () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    await withStore(async (store) => {
      expect(await schemaVersion(store)).toBe(latestSchemaVersion());
      expect(await migrate(store)).toEqual([]);
    });
  });
});
