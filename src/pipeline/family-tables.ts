/**
 * The columns the five family tables must have, derived from the canonical column lists
 * (reference/columns). Migration 002 was written from them once; a column added to reference/columns
 * later gets its own numbered migration, which `scripts/gen-schema.ts` writes from the difference
 * between this list and the migrated schema. test/store/schema.test.ts checks they agree.
 */
import { FAMILIES, familyColumns, tableOf, type Family } from '../ingest/families.ts';
import { SQL_TYPE } from '../store/index.ts';

/** Provenance columns every family table starts with. */
export const PROVENANCE_COLUMNS = ['release_id', 'file_id', 'source_file', 'sheet', 'source_row'] as const;

/** Columns set by the duplicate rules after each load (see src/store/flags.ts). */
export const FLAG_COLUMNS: Record<Family, string[]> = {
  detainers: ['is_duplicate', 'episode_no'],
  arrests: ['is_duplicate', 'episode_no'],
  encounters: ['is_duplicate'],
  detention_stints: ['is_duplicate', 'is_superseded'],
  removals: ['is_duplicate'],
};

/** The columns a family table must have, with their DuckDB types, in the order a new table lists them. */
export function expectedFamilyColumns(family: Family): { name: string; type: string }[] {
  return [
    ...PROVENANCE_COLUMNS.map((name) => ({ name, type: name === 'source_row' ? 'INTEGER' : 'VARCHAR' })),
    ...familyColumns(family).columns.map((c) => ({ name: c.name, type: SQL_TYPE[c.type] })),
    { name: 'extra', type: 'VARCHAR' },
    ...FLAG_COLUMNS[family].map((name) => ({ name, type: name === 'episode_no' ? 'INTEGER' : 'BOOLEAN' })),
  ];
}

/**
 * The statements that bring migrated family tables up to reference/columns: an ADD COLUMN for every
 * canonical column a table lacks. `present` maps each table to the columns it has now.
 */
export function missingColumnsSql(present: Map<string, Set<string>>): string[] {
  const statements: string[] = [];
  for (const family of FAMILIES) {
    const have = present.get(tableOf(family)) ?? new Set<string>();
    for (const column of expectedFamilyColumns(family)) {
      if (!have.has(column.name)) statements.push(`ALTER TABLE ${tableOf(family)} ADD COLUMN ${column.name} ${column.type};`);
    }
  }
  return statements;
}
