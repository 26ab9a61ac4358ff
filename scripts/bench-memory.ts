/**
 * Memory bound of ingest (issue 21 item 3): generates the three workbooks of the security review's
 * memory cases and ingests each with `node bin/handoff.js ingest` in a child process under
 * /usr/bin/time, printing its peak RSS, wall time, outcome and whether the database changed.
 *
 *   a  forty sheets over one worksheet part of --part-rows rows (default 150,000): read once or refused
 *   b  one sheet of --rows rows (default 1,500,000) whose column A is distinct junk text (shared strings)
 *   c  one sheet of --rows rows of valid date serials, with a state and an AOR picked from short lists
 *
 *   npm run bench:memory -- [--cases a,b,c] [--rows N] [--sheets N] [--part-rows N] [--out DIR] [--keep]
 *
 * --sheets N writes b and c as N sheets of --rows rows each (N = 3 with --rows 1048575 is a workbook
 * at the default row limits: 3,145,725 rows).
 *
 * Each case starts from the same small database (one loaded row); its SHA-256 is compared after a
 * failed ingest. Files are cached in --out (deterministic for given sizes). The sheet XML is written
 * here, not by writeXlsx, because b and c go past Excel's row limit on purpose.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HEADERS } from '../src/synthetic/index.ts';
import { Rng } from '../src/synthetic/prng.ts';
import { writeXlsx } from '../src/xlsx/index.ts';
import { ZipWriter } from '../src/xlsx/zip-writer.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: 'a,b,c' },
    rows: { type: 'string', default: '1500000' },
    'part-rows': { type: 'string', default: '150000' },
    sheets: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench-out/memory' },
    keep: { type: 'boolean', default: false },
  },
});

const HEADER = HEADERS.detainers;
const STATES = ['TEXAS', 'CALIFORNIA', 'FLORIDA', 'ARIZONA', 'GEORGIA', 'NEW YORK', 'MASSACHUSETTS', 'NEW JERSEY'];
const AORS = ['Houston', 'Dallas', 'San Antonio', 'Los Angeles', 'Miami', 'Atlanta', 'Phoenix', 'Chicago'].map((c) => `${c} Area of Responsibility`);
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function col(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

/** Buffers of XML text in ~256 KiB pieces. */
function* pieces(parts: Iterable<string>): Generator<Buffer> {
  let buf: string[] = [];
  let n = 0;
  for (const p of parts) {
    buf.push(p);
    n += p.length;
    if (n > 256 * 1024) {
      yield Buffer.from(buf.join(''), 'utf8');
      buf = [];
      n = 0;
    }
  }
  if (buf.length) yield Buffer.from(buf.join(''), 'utf8');
}

/**
 * A workbook of `sheets` sheets, each with the 65 detainer headers (inline), then `rows` data rows of
 * three cells. Shared strings: the states and AORs, then (case b) one distinct junk text per row.
 */
async function writeLongSheet(file: string, rows: number, kind: 'junk' | 'dates', sheets = 1): Promise<void> {
  const zip = await ZipWriter.create(file);
  const small = async (name: string, xml: string) => zip.addEntry(name, [Buffer.from(DECL + xml, 'utf8')], 1);
  await small('[Content_Types].xml', `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`);
  await small('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  const sheetName = (i: number) => (sheets === 1 ? 'Detainers' : `Detainers ${i + 1}`);
  await small('xl/workbook.xml', `<workbook xmlns="${NS}" xmlns:r="${NS_R}"><sheets>${Array.from({ length: sheets }, (_, i) => `<sheet name="${sheetName(i)}" sheetId="${i + 1}" r:id="rId${i + 3}"/>`).join('')}</sheets></workbook>`);
  await small('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 3}" Type="${NS_R}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId1" Type="${NS_R}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`);
  await small('xl/styles.xml', `<styleSheet xmlns="${NS}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`);
  const pool = [...STATES, ...AORS];
  const junk = kind === 'junk' ? rows * sheets : 0;
  const rng = new Rng(21);
  const junkText = (r: number) => `junk ${r.toString(36)} ${Math.floor(rng.next() * 1e9).toString(36)}`;
  function* sst(): Generator<string> {
    yield `${DECL}<sst xmlns="${NS}" count="${pool.length + junk}" uniqueCount="${pool.length + junk}">`;
    for (const s of pool) yield `<si><t>${esc(s)}</t></si>`;
    for (let r = 0; r < junk; r++) yield `<si><t>${junkText(r)}</t></si>`;
    yield '</sst>';
  }
  await zip.addEntry('xl/sharedStrings.xml', pieces(sst()), 1, true);
  const pick = new Rng(7);
  function* sheet(index: number): Generator<string> {
    // No <dimension>: a hostile file need not declare its size, so the reader must count as it goes.
    yield `${DECL}<worksheet xmlns="${NS}"><sheetData>`;
    yield `<row r="1">${HEADER.map((h, i) => `<c r="${col(i)}1" t="inlineStr"><is><t>${esc(h)}</t></is></c>`).join('')}</row>`;
    for (let r = 0; r < rows; r++) {
      const n = r + 2;
      const a = kind === 'junk' ? `<c r="A${n}" t="s"><v>${pool.length + index * rows + r}</v></c>` : `<c r="A${n}" s="1"><v>${44000 + Math.floor(pick.next() * 900)}</v></c>`;
      const state = Math.floor(pick.next() * STATES.length);
      const aor = STATES.length + Math.floor(pick.next() * AORS.length);
      yield `<row r="${n}">${a}<c r="B${n}" t="s"><v>${state}</v></c><c r="C${n}" t="s"><v>${aor}</v></c></row>`;
    }
    yield '</sheetData></worksheet>';
  }
  for (let i = 0; i < sheets; i++) await zip.addEntry(`xl/worksheets/sheet${i + 1}.xml`, pieces(sheet(i)), 1, true);
  await zip.finish();
}

/** Case a: a honest one-sheet workbook rewritten so that 40 sheets point at its one worksheet part. */
async function writeSharedPart(file: string, rows: number): Promise<void> {
  const zip = await ZipWriter.create(file);
  const small = async (name: string, xml: string) => zip.addEntry(name, [Buffer.from(DECL + xml, 'utf8')], 1);
  const sheets = Array.from({ length: 40 }, (_, i) => `<sheet name="Detainers ${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = Array.from({ length: 40 }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_R}/worksheet" Target="worksheets/sheet1.xml"/>`).join('');
  await small('[Content_Types].xml', `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`);
  await small('_rels/.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  await small('xl/workbook.xml', `<workbook xmlns="${NS}" xmlns:r="${NS_R}"><sheets>${sheets}</sheets></workbook>`);
  await small('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  const pick = new Rng(9);
  function* sheet(): Generator<string> {
    yield `${DECL}<worksheet xmlns="${NS}"><sheetData>`;
    yield `<row r="1">${HEADER.map((h, i) => `<c r="${col(i)}1" t="inlineStr"><is><t>${esc(h)}</t></is></c>`).join('')}</row>`;
    for (let r = 0; r < rows; r++) {
      const n = r + 2;
      yield `<row r="${n}"><c r="A${n}"><v>${44000 + Math.floor(pick.next() * 900)}</v></c><c r="B${n}" t="inlineStr"><is><t>${STATES[r % STATES.length]}</t></is></c><c r="C${n}" t="inlineStr"><is><t>UID-${r}</t></is></c></row>`;
    }
    yield '</sheetData></worksheet>';
  }
  await zip.addEntry('xl/worksheets/sheet1.xml', pieces(sheet()), 6, true);
  await zip.finish();
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

interface Result {
  case: string;
  file: string;
  fileMiB: number;
  rc: number;
  seconds: number;
  peakRss: string;
  outcome: string;
  dbUnchanged: boolean;
}

function runIngest(label: string, file: string, baseDb: string, out: string): Result {
  const db = path.join(out, `${label}.duckdb`);
  rmSync(db, { force: true });
  copyFileSync(baseDb, db);
  const before = sha(db);
  const child = spawnSync('/usr/bin/time', ['-v', process.execPath, 'bin/handoff.js', 'ingest', '--db', db, file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr)?.[1] ?? 0);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(child.stderr)?.[1] ?? '0:0';
  const seconds = wall.split(':').reduce((t, p) => t * 60 + Number(p), 0);
  let outcome = '';
  // Piped without --format, the CLI prints the whole summary, error codes included.
  try {
    const summary = JSON.parse(child.stdout) as { files: { status: string; rows?: number; error?: { code: string; message: string } }[] };
    const f = summary.files[0]!;
    outcome = f.error ? `${f.status} ${f.error.code}: ${f.error.message}` : `${f.status} ${f.rows} rows`;
  } catch {
    outcome = `rc ${child.status}: ${(child.stdout + child.stderr).split('\n').filter((l) => l && !/^\s+\S.*: /.test(l)).slice(0, 3).join(' | ').slice(0, 400)}`;
  }
  const result = {
    case: label,
    file: path.basename(file),
    fileMiB: +(statSync(file).size / 1024 / 1024).toFixed(1),
    rc: child.status ?? -1,
    seconds,
    peakRss: mib(rss),
    outcome: outcome.slice(0, 400),
    dbUnchanged: sha(db) === before,
  };
  if (!values.keep) rmSync(db, { force: true });
  return result;
}

async function main(): Promise<void> {
  const out = path.resolve(values.out);
  mkdirSync(out, { recursive: true });
  const rows = Number(values.rows);
  const partRows = Number(values['part-rows']);
  const sheets = Number(values.sheets);
  const sheetsTag = sheets === 1 ? '' : `${sheets}x`;
  const baseDb = path.join(out, 'base.duckdb');
  if (!existsSync(baseDb)) {
    const seed = path.join(out, 'seed.xlsx');
    await writeXlsx(seed, [{ name: 'Detainers', rows: [[...HEADER], HEADER.map((h) => (h === 'Detainer Prepare Date' ? { date: '2024-01-01' } : h === 'Unique Identifier' ? 'S1' : null))] }]);
    const r = spawnSync(process.execPath, ['bin/handoff.js', 'ingest', '--db', baseDb, '--format', 'json', seed], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`seed ingest failed: ${r.stdout}${r.stderr}`);
  }
  const results: Result[] = [];
  for (const c of values.cases.split(',')) {
    const t0 = performance.now();
    let file: string;
    if (c === 'a') {
      file = path.join(out, `a-forty-sheets-one-part-${partRows}.xlsx`);
      if (!existsSync(file)) await writeSharedPart(file, partRows);
    } else if (c === 'b') {
      file = path.join(out, `b-distinct-junk-${sheetsTag}${rows}.xlsx`);
      if (!existsSync(file)) await writeLongSheet(file, rows, 'junk', sheets);
    } else if (c === 'c') {
      file = path.join(out, `c-valid-dates-${sheetsTag}${rows}.xlsx`);
      if (!existsSync(file)) await writeLongSheet(file, rows, 'dates', sheets);
    } else {
      throw new Error(`unknown case ${c} (a, b or c)`);
    }
    console.error(`case ${c}: ${path.basename(file)} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; ingesting`);
    const result = runIngest(c, file, baseDb, out);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  console.table(results.map((r) => ({ case: r.case, MiB: r.fileMiB, rc: r.rc, s: r.seconds, peakRss: r.peakRss, unchanged: r.dbUnchanged, outcome: r.outcome.slice(0, 120) })));
}

await main();
