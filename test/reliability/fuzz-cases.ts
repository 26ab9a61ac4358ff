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
import { mkdirSync, symlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputLimits } from '../../src/core/config.ts';
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
  | { outcome: 'either'; sameAs?: string };

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

type Maker = (r: Rnd, seed: number) => Promise<Omit<FuzzCase, 'seed' | 'kind' | 'write'> & { bytes?: Buffer; make?: (file: string) => Promise<void> | void }>;

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
export const KINDS = WEIGHTS.map(([k]) => k);

/** The case of a seed: the kind is drawn from the seed too, so a seed is all it takes to replay it. */
export async function makeCase(seed: number, kind?: string): Promise<FuzzCase> {
  const r = prng(seed);
  let chosen = kind;
  if (!chosen) {
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let x = r() * total;
    for (const [k, w] of WEIGHTS) {
      x -= w;
      if (x < 0) {
        chosen = k;
        break;
      }
    }
    chosen ??= 'bitflip';
  }
  const maker = MAKERS[chosen];
  if (!maker) throw new Error(`unknown fuzz kind ${chosen}`);
  const made = await maker(r, seed);
  const { bytes, make, ...rest } = made;
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
  };
}
