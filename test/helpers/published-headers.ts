/**
 * The header lists of ICE's releases, read from ../shared/ICE-RELEASES.md (compiled from DDP's, UWCHR's
 * and NPR's public cleaning code), from ../shared/data/ice-real/SOURCES.md (the 2016–2019 files) and from
 * DDP's field list of the June/July 2025 release (../shared/data/deportationdata-org/missingness_by_field.csv),
 * so ingest tests check the code against the published layouts, not against lists the code itself keeps.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** True when ../shared holds the files the published header lists are read from. */
export const HAVE_SHARED = existsSync(`${SHARED_DIR}/ICE-RELEASES.md`);

function listAfter(text: string, marker: string): string[] {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`ICE-RELEASES.md has no "${marker}"`);
  const rest = text.slice(start + marker.length);
  const end = rest.indexOf('.\n');
  return rest
    .slice(0, end)
    .split(', ')
    .map((h) => h.replace(/\s*\(always empty\)$/, '').trim()); // an annotation in the md, not part of the header
}

/** Published header lists by release and family. */
export function publishedHeaders() {
  const text = readFileSync(`${SHARED_DIR}/ICE-RELEASES.md`, 'utf8');
  return {
    july2025: {
      detainers: listAfter(text, '**July 2025 and December 2025 (65 columns, in order):** '),
      arrests: listAfter(text, '**July/December 2025 (23):** '),
      encounters: listAfter(text, '**July 2025 (25, two sheets):** '),
      detention_stints: listAfter(text, '**July 2025 (37):** '),
      removals: listAfter(text, '**Late July 2025 (41):** '),
    },
    march2026: {
      arrests: listAfter(text, '**March 2026 (25):** '),
    },
  };
}

/** One documented layout of one family: the header names its source gives for it. */
export interface PublishedVintage {
  /** The release and family, as the source names them. */
  vintage: string;
  family: 'detainers' | 'arrests' | 'encounters' | 'detention_stints' | 'removals';
  headers: string[];
  /**
   * True when the source gives the whole header row; false when it names only some columns ("including
   * …", "adds …", "the tail reads …"), which may be too few to recognise the family from on their own.
   */
  complete: boolean;
  /** Where the list was read. */
  source: string;
}

/** The text of a section (`## Title` up to the next `## `) of a Markdown file. */
function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no section "## ${title}"`);
  const rest = text.slice(start + title.length + 5);
  const end = rest.indexOf('\n## ');
  return end < 0 ? rest : rest.slice(0, end);
}

/** The text after `marker` up to the first of `ends` (whichever comes first). */
function between(text: string, marker: string, ends: string[]): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`no "${marker}"`);
  const rest = text.slice(start + marker.length);
  const cut = Math.min(...ends.map((e) => rest.indexOf(e)).filter((i) => i >= 0));
  if (!Number.isFinite(cut)) throw new Error(`no end after "${marker}"`);
  return rest.slice(0, cut);
}

/**
 * Names in prose (annotations such as "(full name, upper case)" taken off before): split on commas
 * and "and", the ellipsis dropped, quotes and "[sic]" off, and the
 * shorthand "A / B Yes No" (a shared suffix) or "Latest Apprehension Final Program / Arresting Agency /
 * Date" (a shared prefix) expanded into whole names.
 */
function names(prose: string): string[] {
  const out: string[] = [];
  for (const raw of prose.split(/,\s*|\s+and\s+/)) {
    const item = raw.replace(/\[sic\]/g, '').replace(/["“”]/g, '').replace(/^…\s*/, '').trim();
    if (item === '' || item === '…') continue;
    const parts = item.split(/\s+\/\s+/);
    if (parts.length === 1) {
      out.push(item);
      continue;
    }
    const last = parts[parts.length - 1]!;
    if (/ Yes No$/.test(last)) {
      // "Known Terrorist / Suspected Gang Yes No": every part but the last lacks the suffix.
      for (const p of parts.slice(0, -1)) out.push(`${p} Yes No`);
      out.push(last);
    } else {
      // "Latest Apprehension Final Program / Arresting Agency / Date": the first part's leading words
      // (as many as the first part has beyond the second's length) are shared.
      const first = parts[0]!.split(' ');
      const prefix = first.slice(0, first.length - parts[1]!.split(' ').length).join(' ');
      out.push(parts[0]!);
      for (const p of parts.slice(1)) out.push(`${prefix} ${p}`);
    }
  }
  return out;
}

/** Every layout ICE-RELEASES.md and ice-real/SOURCES.md give header names for, and DDP's 2025 field list. */
export function publishedVintages(): PublishedVintage[] {
  const md = readFileSync(`${SHARED_DIR}/ICE-RELEASES.md`, 'utf8');
  const R = 'ICE-RELEASES.md';
  const P = publishedHeaders();
  const detainers = section(md, 'Detainers');
  const encounters = section(md, 'Encounters');
  const stints = section(md, 'Detention stints');
  const removals = section(md, 'Removals');
  const march2026Detainers = `${between(detainers, '**March 2026 (66 columns', ['\n\n'])}\n`;
  const out: PublishedVintage[] = [
    { vintage: 'FOIA 15-87693 (NPR, 2008–2015) detainers', family: 'detainers', headers: names(between(detainers, 'six columns: ', ['.\n']).replace(/\s*\([a-z][^)]*\)/g, '')), complete: true, source: R },
    { vintage: 'July/December 2025 (2024-ICFO-39357) detainers', family: 'detainers', headers: P.july2025.detainers, complete: true, source: R },
    {
      vintage: 'March 2026 detainers (renames and tail)',
      family: 'detainers',
      headers: [...names(between(march2026Detainers, 'Same order with renames: ', ['. Dropped'])), ...names(between(march2026Detainers, 'The tail reads: ', ['.\n']))],
      complete: false,
      source: R,
    },
    { vintage: '2025-ICFO-18038 detainers (wide layout)', family: 'detainers', headers: names(between(`${between(detainers, '**2025-ICFO-18038', ['\n\n'])}\n`, 'including ', ['.\n'])), complete: false, source: R },
    { vintage: 'July/December 2025 (2024-ICFO-39357) arrests', family: 'arrests', headers: P.july2025.arrests, complete: true, source: R },
    { vintage: 'March 2026 arrests', family: 'arrests', headers: P.march2026.arrests, complete: true, source: R },
    { vintage: 'July 2025 (2024-ICFO-39357) encounters', family: 'encounters', headers: P.july2025.encounters, complete: true, source: R },
    { vintage: 'March 2026 encounters', family: 'encounters', headers: names(between(encounters, '23 names (order unknown), including ', ['; no'])), complete: false, source: R },
    { vintage: 'July 2025 (2024-ICFO-39357) detention stints', family: 'detention_stints', headers: P.july2025.detention_stints, complete: true, source: R },
    { vintage: 'March 2026 detention stints', family: 'detention_stints', headers: names(between(between(stints, '**March 2026 (53):** ', ['\n']), 'adds ', [', among others'])), complete: false, source: R },
    { vintage: 'Late July 2025 (2024-ICFO-39357) removals', family: 'removals', headers: P.july2025.removals, complete: true, source: R },
    { vintage: 'March 2026 removals', family: 'removals', headers: names(between(removals, '**March 2026 (39):** ', ['.\n'])), complete: false, source: R },
  ];
  // The identifier spellings of each release; every table carries the identifier.
  const identifiers = between(md, '- **Identifiers.** ', ['**IDs link']);
  const spellings = [...identifiers.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  for (const family of ['detainers', 'arrests', 'encounters', 'detention_stints', 'removals'] as const) {
    out.push({ vintage: `identifier spellings (2025 releases, 2023-ICFO-42034, 2025-ICFO-18038, March 2026) ${family}`, family, headers: spellings, complete: false, source: R });
  }

  // 2016–2019 (FOIA 2019-ICFO-53623, 2018-ICFO-36170): the header rows SOURCES.md gives for the real files.
  const sources = readFileSync(`${SHARED_DIR}/data/ice-real/SOURCES.md`, 'utf8').split('\n');
  const row = (file: string) => {
    const line = sources.find((l) => l.startsWith(`| \`${file}\``));
    if (!line) throw new Error(`ice-real/SOURCES.md has no row for ${file}`);
    return line;
  };
  const headerIn = (line: string, marker: RegExp) => {
    const m = marker.exec(line);
    if (!m) throw new Error(`no header list matching ${marker} in: ${line.slice(0, 80)}`);
    return names(m[1]!);
  };
  const S = 'ice-real/SOURCES.md';
  out.push(
    { vintage: '2019-ICFO-53623 FY2016 arrests', family: 'arrests', headers: headerIn(row('EROArrests_FY2016.csv.gz'), /header on line \d+: `([^`]+)`/), complete: true, source: S },
    { vintage: '2019-ICFO-53623 FY2016 encounters', family: 'encounters', headers: headerIn(row('EROEncounters_FY2016.csv.gz'), /header `([^`]+)`/), complete: true, source: S },
    { vintage: '2019-ICFO-53623 FY2016 removals', family: 'removals', headers: headerIn(row('ICERemovals_FY2016.csv.gz'), /header `([^`]+)`/), complete: true, source: S },
    {
      vintage: '2018-ICFO-36170 Seattle arrests',
      family: 'arrests',
      headers: headerIn(row('3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx'), /Arrests: `([^`]+)`/),
      complete: false,
      source: S,
    },
  );

  // June/July 2025 (2024-ICFO-39357): DDP's field list, one row per field, a redaction flag per table
  // that has it. R's name repair wrote the two "Final Order Yes No" of the detainer sheet as "...33"/"...56".
  const fieldsFile = `${SHARED_DIR}/data/deportationdata-org/missingness_by_field.csv`;
  const fields = parse(readFileSync(fieldsFile, 'utf8'), { columns: true }) as Record<string, string>[];
  const tables = { 'Admin Arrests': 'arrests', Detainers: 'detainers', Encounters: 'encounters', Detentions: 'detention_stints', Removals: 'removals' } as const;
  for (const [table, family] of Object.entries(tables)) {
    const headers = fields.filter((f) => (f[`redacted_${table}`] ?? '') !== '').map((f) => f.field!.replace(/\.\.\.\d+$/, ''));
    if (headers.length === 0) throw new Error(`missingness_by_field.csv lists no field for ${table}`);
    out.push({ vintage: `2024-ICFO-39357 (DDP field list) ${family}`, family, headers, complete: true, source: 'deportationdata-org/missingness_by_field.csv' });
  }
  return out;
}
