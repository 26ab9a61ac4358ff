import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { familyTablesSql } from '../../src/pipeline/index.ts';
import { latestSchemaVersion, listMigrations, migrate, schemaVersion } from '../../src/store/index.ts';
import { withStore } from '../helpers/with-store.ts';

describe('schema', () => {
  it('migration 002 is what scripts/gen-schema.ts writes from reference/columns', () => {
    const committed = readFileSync(new URL('../../src/store/schema/002-family-tables.sql', import.meta.url), 'utf8');
    expect(committed).toBe(familyTablesSql());
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
