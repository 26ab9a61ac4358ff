/**
 * The five ICE ERO-LESA table families and their canonical columns.
 *
 * The canonical column set of each family, with the header spellings of every known release, is data:
 * `reference/columns/<family>.csv` (one row per column: name, type, whether it helps recognise the
 * family, the `|`-separated header aliases, a note). Adding a header variant is a one-line data change.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { HandoffError } from '../core/errors.ts';
import { repoPath } from '../core/repo-root.ts';

/** The table families of ICE's releases, in the order the lifecycle runs. */
export const FAMILIES = ['detainers', 'arrests', 'encounters', 'detention_stints', 'removals'] as const;
export type Family = (typeof FAMILIES)[number];

/** How a canonical column's text is typed in the store. */
export type ColumnType = 'text' | 'id' | 'date' | 'datetime' | 'int' | 'number';
const COLUMN_TYPES: readonly ColumnType[] = ['text', 'id', 'date', 'datetime', 'int', 'number'];

/** One canonical column of a family. */
export interface CanonicalColumn {
  name: string;
  type: ColumnType;
  /** True when the column is distinctive enough to help recognise the family from headers. */
  isKey: boolean;
  /** Header spellings, folded (see foldHeader); `name#2` means the second occurrence of `name`. */
  aliases: string[];
  note: string;
}

export interface FamilyColumns {
  family: Family;
  columns: CanonicalColumn[];
  /** Folded alias (with `#n` occurrence suffix when n > 1) → column index. */
  byAlias: Map<string, number>;
}

/** The folder of hand-kept reference data. */
export const REFERENCE_DIR = `${repoPath('reference')}/`;

const FILE_OF: Record<Family, string> = {
  detainers: 'detainers.csv',
  arrests: 'arrests.csv',
  encounters: 'encounters.csv',
  detention_stints: 'detention-stints.csv',
  removals: 'removals.csv',
};

/**
 * Folds a header for matching: case, spaces, underscores and punctuation do not matter, so
 * "Anonymized_Identifier", "ANONYMIZED IDENTIFIER " and "Anonymized Identifier" are one name.
 */
export function foldHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
}

const cache = new Map<Family, FamilyColumns>();

/** Loads (once) and validates the canonical columns of a family from reference/columns. */
export function familyColumns(family: Family, referenceDir = REFERENCE_DIR): FamilyColumns {
  const cached = referenceDir === REFERENCE_DIR ? cache.get(family) : undefined;
  if (cached) return cached;
  const file = path.join(referenceDir, 'columns', FILE_OF[family]);
  const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const columns: CanonicalColumn[] = [];
  const byAlias = new Map<string, number>();
  const names = new Set<string>();
  records.forEach((record, i) => {
    const where = { file: path.relative(process.cwd(), file), row: i + 2 };
    const name = record.column ?? '';
    const type = record.type as ColumnType;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new HandoffError('invalid_reference', `column name "${name}" is not snake_case`, { location: where });
    }
    if (names.has(name)) throw new HandoffError('invalid_reference', `column "${name}" is listed twice`, { location: where });
    if (!COLUMN_TYPES.includes(type)) {
      throw new HandoffError('invalid_reference', `column "${name}" has unknown type "${type}"`, { location: where });
    }
    names.add(name);
    const aliases = (record.aliases ?? '').split('|').map(foldHeader).filter(Boolean);
    if (aliases.length === 0) throw new HandoffError('invalid_reference', `column "${name}" has no alias`, { location: where });
    for (const alias of aliases) {
      if (byAlias.has(alias)) {
        throw new HandoffError('invalid_reference', `alias "${alias}" maps to two columns`, { location: where });
      }
      byAlias.set(alias, columns.length);
    }
    columns.push({ name, type, isKey: record.key === '1', aliases, note: record.note ?? '' });
  });
  const result: FamilyColumns = { family, columns, byAlias };
  if (referenceDir === REFERENCE_DIR) cache.set(family, result);
  return result;
}

/**
 * The date that places a family's row in time (the one ICE's own tables count by): a detainer's
 * prepare date, an arrest's apprehension date, an encounter's event date, a stay's book-in, a
 * removal's departure.
 */
export const EVENT_DATE_COLUMN: Record<Family, string> = {
  detainers: 'detainer_prepare_date',
  arrests: 'apprehension_date',
  encounters: 'event_date',
  detention_stints: 'stay_book_in_date_time',
  removals: 'departed_date',
};

/** The SQL table that holds a family's rows. */
export function tableOf(family: Family): string {
  return family;
}
