/**
 * Benchmark for src/xlsx: writes a detainer-sized workbook (default 300,000 rows x 65 columns, 6
 * preamble rows, ~213k distinct shared strings, 12 date columns), then, in a fresh child process so
 * peak RSS is the reader's own, measures the inflate-only floor and a full row iteration.
 *
 *   node --import tsx scripts/bench-xlsx.ts [--rows N] [--level 0-9] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../src/core/config.ts';
import { writeXlsx, XlsxWorkbook, type XlsxWriteCell } from '../src/xlsx/index.ts';
import { ZipArchive } from '../src/xlsx/zip.ts';
import { Rng } from '../src/synthetic/prng.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '300000' },
    read: { type: 'string' },
    keep: { type: 'boolean', default: false },
    level: { type: 'string', default: '6' },
  },
});

const COLUMNS = 65;
const DATE_COLUMNS = new Set([0, 5, 15, 23, 24, 33, 34, 35, 49, 57, 58, 60]);
const DATETIME_COLUMNS = new Set([34]);
const STATES = ['TEXAS', 'CALIFORNIA', 'FLORIDA', 'ARIZONA', 'GEORGIA', 'NEW YORK', 'ILLINOIS', 'NEW JERSEY'];
const AORS = ['Houston', 'Dallas', 'San Antonio', 'Los Angeles', 'Miami', 'Atlanta', 'Phoenix', 'Chicago'].map(
  (c) => `${c} Area of Responsibility`,
);
const STATUS = ['ACTIVE', '8-Excluded/Removed - Inadmissibility', '6-Deported/Removed - Deportability', 'E-Charging Document Canceled by ICE'];
const CRIM = ['1 Convicted Criminal', '2 Pending Criminal Charges', '3 Other Immigration Violator'];
const METHOD = ['CAP Local Incarceration', '287(g) Program', 'Non-Custodial Arrest', 'Located', 'Probation and Parole'];
const COUNTRIES = ['MEXICO', 'GUATEMALA', 'HONDURAS', 'EL SALVADOR', 'VENEZUELA', 'COLOMBIA', 'CUBA', 'HAITI'];
const LIFT = ['Booked into Detention', 'Detainer Declined by LEA', 'Transferred', '', 'Case Closed'];

function* benchRows(n: number): Generator<XlsxWriteCell[]> {
  const rng = new Rng(42);
  const rnd = () => rng.next();
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  yield ['U.S. Immigration and Customs Enforcement'];
  yield ['ERO Detainers - LESA-STU'];
  yield ['Data as of 06/26/2025'];
  yield ['Notes: b(6), b(7)c redactions apply'];
  yield [];
  yield ['Synthetic benchmark data'];
  yield Array.from({ length: COLUMNS }, (_, i) => `Column ${i + 1}`);
  const day0 = Date.UTC(2023, 9, 1);
  for (let r = 0; r < n; r++) {
    const row: XlsxWriteCell[] = new Array(COLUMNS);
    for (let c = 0; c < COLUMNS; c++) {
      if (DATE_COLUMNS.has(c)) {
        if (rnd() < 0.15) continue;
        const d = new Date(day0 + Math.floor(rnd() * 700) * 86_400_000 + (DATETIME_COLUMNS.has(c) ? Math.floor(rnd() * 86_400) * 1000 : 0));
        row[c] = { date: DATETIME_COLUMNS.has(c) ? d.toISOString().slice(0, 19) : d.toISOString().slice(0, 10) };
        continue;
      }
      switch (c % 9) {
        case 0: row[c] = pick(STATES); break;
        case 1: row[c] = pick(AORS); break;
        case 2: row[c] = pick(STATUS); break;
        case 3: row[c] = pick(CRIM); break;
        case 4: row[c] = pick(METHOD); break;
        case 5: row[c] = pick(COUNTRIES); break;
        case 6: row[c] = rnd() < 0.5 ? 'YES' : 'NO'; break;
        case 7: row[c] = Math.floor(rnd() * 1000); break;
        default: row[c] = pick(LIFT) || null;
      }
    }
    row[16] = 'b(6), b(7)c';
    // ~213k distinct strings: identifiers and facility names drawn from large pools.
    row[64] = `UID-${Math.floor(rnd() * 190_000).toString(36).padStart(5, '0')}`;
    row[8] = `FACILITY ${Math.floor(rnd() * 22_000)} COUNTY JAIL`;
    yield row;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function readPhase(file: string): Promise<void> {
  const t0 = performance.now();
  const zip = await ZipArchive.open(file, path.basename(file), DEFAULT_LIMITS);
  const entry = zip.find('xl/worksheets/sheet1.xml')!;
  let xmlBytes = 0;
  for await (const chunk of zip.entryChunks(entry)) xmlBytes += chunk.length;
  const inflateMs = performance.now() - t0;

  const t1 = performance.now();
  const wb = await XlsxWorkbook.open(file);
  const openMs = performance.now() - t1;
  let rows = 0;
  let cells = 0;
  for await (const batch of wb.rowBatches(wb.sheets[0]!.name, 2000)) {
    rows += batch.length;
    for (const row of batch) cells += row.cells.length;
  }
  await wb.close();
  const readMs = performance.now() - t1;
  console.log(
    JSON.stringify({
      sheetXml: mb(xmlBytes),
      inflateOnlySeconds: +(inflateMs / 1000).toFixed(2),
      openSeconds: +(openMs / 1000).toFixed(2),
      iterateAllRowsSeconds: +(readMs / 1000).toFixed(2),
      rows,
      cells,
      peakRssReader: mb(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

async function main(): Promise<void> {
  if (values.read) return readPhase(values.read);
  const n = Number(values.rows);
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-xlsx-'));
  const file = path.join(dir, 'bench.xlsx');
  try {
    const t0 = performance.now();
    const result = await writeXlsx(file, [{ name: 'Detainers', rows: benchRows(n) }], { compressionLevel: Number(values.level) });
    const writeMs = performance.now() - t0;
    console.log(`rows ${n} x ${COLUMNS}; level ${values.level}; file ${mb(statSync(file).size)}; write ${(writeMs / 1000).toFixed(2)} s; writer peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}; ${result.rows} rows written`);
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--read', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`reader failed with status ${child.status}`);
    const read = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    for (const [k, v] of Object.entries(read)) console.log(`${k}: ${String(v)}`);
  } finally {
    if (values.keep) console.log(`kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
