/**
 * Ingest benchmark: Handoff's full ingest against the floors and against R readxl (the Deportation
 * Data Project's reader), on synthetic workbooks in the published detainer layout: 6 preamble rows,
 * the 65 July 2025 headers, ~213k distinct shared strings, date and date-time cells.
 *
 *   npm run bench:ingest -- [--rows 300000,1000000] [--runs 3] [--out bench-out] [--no-r]
 *
 * Each measurement runs in a fresh child process so its peak RSS is its own. Handoff's phases run
 * --runs times each and the median is reported with the range (on a shared 2-core machine single
 * runs vary by ±15%); readxl runs once. Workbooks are cached in --out (deterministic: same rows, same
 * bytes). Prints one line per measurement and a summary table. HANDOFF_TRACE=1 adds step timings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../src/core/config.ts';
import { readReleaseFile } from '../src/ingest/index.ts';
import { ingestFiles } from '../src/pipeline/index.ts';
import { HEADERS } from '../src/synthetic/index.ts';
import { Rng } from '../src/synthetic/prng.ts';
import { writeXlsx, type XlsxWriteCell } from '../src/xlsx/index.ts';
import { ZipArchive } from '../src/xlsx/zip.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '300000,1000000' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench-out' },
    'no-r': { type: 'boolean', default: false },
    phase: { type: 'string' },
    file: { type: 'string' },
  },
});

const HEADER = HEADERS.detainers;
const DATE_COLUMNS = new Set(HEADER.flatMap((h, i) => (/Date$/.test(h) && h !== 'Birth Date' ? [i] : [])));
const DATETIME_COLUMN = HEADER.indexOf('Apprehension Date');

const POOLS: Record<string, string[]> = {
  'Facility State': ['TEXAS', 'CALIFORNIA', 'FLORIDA', 'ARIZONA', 'GEORGIA', 'NEW YORK', 'MASSACHUSETTS', 'NEW JERSEY'],
  'Detainer Prepared Criminality': ['1 Convicted Criminal', '2 Pending Criminal Charges', '3 Other Immigration Violator'],
  'Case Status': ['ACTIVE', '8-Excluded/Removed - Inadmissibility', '6-Deported/Removed - Deportability'],
  'Detainer Lift Reason': ['Booked into Detention', 'Detainer Declined by LEA', 'Transferred', 'Case Closed'],
  'Apprehension Method': ['CAP Local Incarceration', '287(g) Program', 'Non-Custodial Arrest', 'Located'],
  'Most Serious Conviction (MSC) Charge': ['Assault', 'Driving Under Influence Liquor', 'Dangerous Drugs', 'Traffic Offense', 'Burglary'],
  'Gender': ['Male', 'Female'],
  'Citizenship Country': ['MEXICO', 'GUATEMALA', 'HONDURAS', 'EL SALVADOR', 'VENEZUELA', 'COLOMBIA'],
  'Detainer Type': ['I-247A - Immigration Detainer - Notice of Action'],
};

function* benchRows(n: number): Generator<XlsxWriteCell[]> {
  const rng = new Rng(7);
  const rnd = () => rng.next();
  const pick = (a: string[]) => a[Math.floor(rnd() * a.length)]!;
  for (const line of ['U.S. Immigration and Customs Enforcement', 'ERO Detainers - LESA-STU', 'Benchmark workbook written by scripts/bench-ingest.ts', 'Not ICE data', '', 'FOIA layout of July 2025']) yield [line];
  yield [...HEADER];
  const day0 = Date.UTC(2022, 9, 1);
  for (let r = 0; r < n; r++) {
    const row: XlsxWriteCell[] = HEADER.map((h, c) => {
      if (DATE_COLUMNS.has(c)) {
        if (c !== 0 && rnd() < 0.4) return null;
        const ms = day0 + Math.floor(rnd() * 1000) * 86_400_000 + (c === DATETIME_COLUMN ? Math.floor(rnd() * 86_400) * 1000 : 0);
        const iso = new Date(ms).toISOString();
        return { date: c === DATETIME_COLUMN ? iso.slice(0, 19) : iso.slice(0, 10) };
      }
      const pool = POOLS[h];
      if (pool) return rnd() < 0.1 ? null : pick(pool);
      if (/Yes No$/.test(h)) return rnd() < 0.3 ? 'YES' : 'NO';
      if (h === 'Birth Year') return 1950 + Math.floor(rnd() * 55);
      if (/^MSC Sentence/.test(h)) return rnd() < 0.5 ? null : Math.floor(rnd() * 400);
      return null;
    });
    row[HEADER.indexOf('Birth Date')] = 'b(6), b(7)c';
    row[HEADER.indexOf('Alien File Number')] = 'b(6), b(7)c';
    // Distinct strings: identifiers and facility names from large pools (~213k distinct in all).
    row[HEADER.indexOf('Unique Identifier')] = `U${Math.floor(rnd() * 190_000).toString(36).padStart(6, '0')}`;
    row[HEADER.indexOf('Detention Facility')] = `FACILITY ${Math.floor(rnd() * 22_000)} COUNTY JAIL`;
    row[HEADER.indexOf('Detention Facility Code')] = `F${Math.floor(rnd() * 22_000)}`;
    yield row;
  }
}

const mib = (bytes: number) => bytes / 1024 / 1024;

/** One measurement in this (child) process; prints a JSON line. */
async function runPhase(phase: string, file: string): Promise<void> {
  const t0 = performance.now();
  let rows = 0;
  if (phase === 'inflate') {
    const zip = await ZipArchive.open(file, path.basename(file), DEFAULT_LIMITS);
    const entry = zip.find('xl/worksheets/sheet1.xml')!;
    for await (const chunk of zip.entryChunks(entry)) rows += chunk.length;
  } else if (phase === 'parse') {
    for await (const event of readReleaseFile(file)) if (event.kind === 'columns') rows += event.batch.size;
  } else if (phase === 'ingest') {
    const db = `${file}.bench.duckdb`;
    rmSync(db, { force: true });
    // Linking has its own benchmark (scripts/bench-link.ts): this one measures reading and loading.
    const summary = await ingestFiles([file], { dbPath: db, link: false });
    if (summary.files[0]!.status !== 'loaded') throw new Error(JSON.stringify(summary.files[0]));
    rows = summary.files[0]!.rows!;
    rmSync(db, { force: true });
  }
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  console.log(JSON.stringify({ phase, seconds: (performance.now() - t0) / 1000, cpuSeconds, rows, peakRssMiB: mib(usage.maxRSS * 1024) }));
}

function child(phase: string, file: string): { seconds: number; rows: number; peakRssMiB: number } {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, '--phase', phase, '--file', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`${phase} failed (${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** A phase run `runs` times: median seconds, range, and the largest peak RSS. */
function repeat(phase: string, file: string, runs: number): { seconds: number; min: number; max: number; peakRssMiB: number } {
  const results = Array.from({ length: runs }, () => child(phase, file));
  const seconds = results.map((r) => r.seconds).sort((a, b) => a - b);
  return {
    seconds: seconds[Math.floor((seconds.length - 1) / 2)]!,
    min: seconds[0]!,
    max: seconds[seconds.length - 1]!,
    peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
  };
}

function readxl(file: string): { seconds: number; rows: number; peakRssMiB: number } | null {
  if (values['no-r'] || spawnSync('Rscript', ['--version']).status !== 0) return null;
  const script = [
    'suppressMessages(library(readxl))',
    `t <- system.time(x <- read_excel("${file}", skip = 6, col_types = "text"))`,
    'hwm <- grep("VmHWM", readLines("/proc/self/status"), value = TRUE)',
    'cat(t[["elapsed"]], nrow(x), as.numeric(gsub("[^0-9]", "", hwm)) / 1024, "\\n")',
  ].join('; ');
  const result = spawnSync('Rscript', ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`readxl failed: ${result.stderr}`);
    return null;
  }
  const [seconds, rows, rss] = result.stdout.trim().split(/\s+/).map(Number);
  return { seconds: seconds!, rows: rows!, peakRssMiB: rss! };
}

async function main(): Promise<void> {
  if (values.phase) return runPhase(values.phase, values.file!);
  mkdirSync(values.out!, { recursive: true });
  const table: Record<string, unknown>[] = [];
  for (const n of values.rows!.split(',').map(Number)) {
    const file = path.resolve(values.out!, `detainers-${n}.xlsx`);
    if (!existsSync(file)) {
      const t = performance.now();
      await writeXlsx(file, [{ name: 'Detainers', rows: benchRows(n) }]);
      console.log(`wrote ${file} (${mib(statSync(file).size).toFixed(1)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const runs = Math.max(1, Number(values.runs));
    const inflate = repeat('inflate', file, runs);
    const parse = repeat('parse', file, runs);
    const ingest = repeat('ingest', file, runs);
    const r = readxl(file);
    const row = {
      rows: n,
      'file MiB': +mib(statSync(file).size).toFixed(1),
      'inflate floor s': +inflate.seconds.toFixed(2),
      'parse only s': +parse.seconds.toFixed(2),
      'full ingest s (median)': +ingest.seconds.toFixed(2),
      'full ingest range s': `${ingest.min.toFixed(2)}–${ingest.max.toFixed(2)}`,
      'ingest peak RSS MiB (max)': Math.round(ingest.peakRssMiB),
      'readxl read s': r ? +r.seconds.toFixed(2) : 'R not installed',
      'readxl peak RSS MiB': r ? Math.round(r.peakRssMiB) : '',
      'speed-up vs readxl': r ? `${(r.seconds / ingest.seconds).toFixed(1)}x` : '',
    };
    console.log(JSON.stringify(row));
    table.push(row);
  }
  console.table(table);
}

await main();
