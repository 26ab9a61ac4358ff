/**
 * synthetic: writes seeded, coherent SYNTHETIC ICE ERO-LESA releases for the demo and the tests.
 *
 * Does:
 * - draw a population of made-up people whose detainers, encounters, arrests, detention stints and
 *   removals follow from one another (a detainer at a real jail, an outcome that depends on the
 *   policy in force there on that date, a handoff or a later arrest in the community, a removal);
 * - write five workbooks in the exact July 2025 layout (6 preamble rows that say the data is
 *   synthetic, header on row 7, shared strings, date and date-time cells, `b(6), b(7)c` redactions,
 *   per-field missing shares), splitting large tables over several sheets as ICE does;
 * - write `answer-key.json` (the planted story per person with a detainer) and `manifest.json`;
 * - give byte-identical files for the same seed, scale and options (own PRNG, no clock).
 *
 * Does not:
 * - contain or derive from any row-level ICE record: every row is invented; only layouts, vocabularies
 *   and aggregate shares are copied (their sources are in parameters.ts);
 * - load anything into DuckDB (the answer key must never be ingested);
 * - hold the population in memory: each person is replayed from (seed, index) in each pass.
 *
 * Inputs: {@link SyntheticOptions}. Outputs: files in `outDir` and a {@link SyntheticRelease}.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { SYNTHETIC_MARKER } from '../core/synthetic.ts';
import { writeXlsx, type XlsxWriteCell, type XlsxWriteSheet } from '../xlsx/index.ts';
import { dayOf, isoDay, isoSecond } from './dates.ts';
import {
  EXCEL_MAX_ROWS,
  HEADERS,
  PREAMBLE_ROWS,
  SYNTHETIC_FAMILIES,
  TITLE,
  syntheticFileName,
  type SyntheticFamily,
} from './layouts.ts';
import { PARAMETER_SOURCES, RELEASE_CUTOFF, RELEASE_START } from './parameters.ts';
import { ARCHETYPES_OF, rowsOf } from './rows.ts';
import { archetypeOf, buildPerson, totalPeople, type Intensities, type Person, type World } from './story.ts';
import { INTERIOR_INTENSITY, BORDER_INTENSITY } from './parameters.ts';
import { buildWorld, type ReferenceSources } from './world.ts';

export { HEADERS, SYNTHETIC_FAMILIES, REDACTION_MARKER, FULLY_REDACTED, syntheticFileName } from './layouts.ts';
export type { SyntheticFamily } from './layouts.ts';

/** Version of the generator; bump when the output for a given seed changes. */
export const GENERATOR_VERSION = '1.0.0';

/** Options of {@link generateSyntheticRelease}. */
export interface SyntheticOptions {
  /** Seed of the PRNG (an integer). Same seed and options → byte-identical files. */
  seed: number;
  /**
   * People-scale factor: 0.001 ≈ a few thousand rows (tests), 0.05 ≈ 190K rows (demo),
   * 1 ≈ national size (about 3.7 million rows, the DDP per-family figures).
   */
  scale: number;
  /** Directory to write into (created when missing). */
  outDir: string;
  /** Optional subset of states (postal codes) where detainers and arrests happen. */
  states?: string[];
  /** Optional label put in the file names and the preamble. */
  releaseLabel?: string;
  /**
   * Data rows per sheet before a table spills to the next sheet. Default: Excel's limit less the 7
   * preamble/header rows, times `scale` (at least 100), so the split ICE makes at national size
   * (encounters and detentions over two sheets) also happens at demo and test sizes.
   */
  sheetRowLimit?: number;
  /** Called after each workbook is written (the bench uses it for timings). */
  onFileWritten?: (info: { family: SyntheticFamily; file: string; rows: number; sheets: number }) => void;
}

/** What a synthetic release holds. */
export interface SyntheticRelease {
  /** Workbook paths, in family order. */
  files: string[];
  answerKeyPath: string;
  manifestPath: string;
  manifest: SyntheticManifest;
}

/** The release metadata (also written as manifest.json). */
export interface SyntheticManifest {
  synthetic: true;
  marker: string;
  seed: number;
  scale: number;
  generator_version: string;
  release_label: string | null;
  period: { start: string; cutoff: string };
  /** Data rows per family. */
  rows: Record<SyntheticFamily, number>;
  /** Sheets per family. */
  sheets: Record<SyntheticFamily, number>;
  sheet_row_limit: number;
  files: Record<SyntheticFamily, string>;
  people: { total: number; with_detainers: number; by_archetype: Record<string, number> };
  /** Where each parameter and reference table came from (fallbacks are named here). */
  parameters_sources: Record<string, string> & ReferenceSources;
}

/** Generates one synthetic release into `o.outDir`. */
export async function generateSyntheticRelease(o: SyntheticOptions): Promise<SyntheticRelease> {
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    throw new HandoffError('bad_argument', `seed must be an integer in 0..4294967295, not ${o.seed}`);
  }
  if (!(o.scale > 0 && o.scale <= 5)) {
    throw new HandoffError('bad_argument', `scale must be > 0 and <= 5, not ${o.scale}`);
  }
  const limit =
    o.sheetRowLimit ??
    Math.min(EXCEL_MAX_ROWS - PREAMBLE_ROWS - 1, Math.max(100, Math.floor((EXCEL_MAX_ROWS - PREAMBLE_ROWS - 1) * o.scale)));
  if (!Number.isInteger(limit) || limit < 1 || limit > EXCEL_MAX_ROWS - PREAMBLE_ROWS - 1) {
    throw new HandoffError('bad_argument', `sheetRowLimit must be an integer in 1..${EXCEL_MAX_ROWS - PREAMBLE_ROWS - 1}`);
  }
  await mkdir(o.outDir, { recursive: true });
  const buildOptions: { seed: number; scale: number; states?: string[] } = { seed: o.seed, scale: o.scale };
  if (o.states) buildOptions.states = o.states;
  const { world, sources } = await buildWorld(buildOptions);
  const intens: Intensities = {
    interior: INTERIOR_INTENSITY.value.map((x) => ({ from: dayOf(x.from), weight: x.weight })),
    border: BORDER_INTENSITY.value.map((x) => ({ from: dayOf(x.from), weight: x.weight })),
  };
  const order = personOrder(world);

  // Pass 1: count rows and write the answer key.
  const rows = Object.fromEntries(SYNTHETIC_FAMILIES.map((f) => [f, 0])) as Record<SyntheticFamily, number>;
  const byArchetype: Record<string, number> = {};
  const answerKeyPath = path.join(o.outDir, 'answer-key.json');
  let withDetainers = 0;
  const key = createWriteStream(answerKeyPath, { encoding: 'utf8' });
  const write = async (text: string): Promise<void> => {
    if (!key.write(text)) await once(key, 'drain');
  };
  await write(
    `{"synthetic":true,"marker":${JSON.stringify(SYNTHETIC_MARKER)},"seed":${o.seed},"scale":${o.scale},` +
      `"generator_version":"${GENERATOR_VERSION}","cutoff":"${RELEASE_CUTOFF.value}","people":[`,
  );
  let buffer = '';
  for (let k = 0; k < order.n; k++) {
    const person = buildPerson(world, intens, order.at(k));
    byArchetype[person.archetype] = (byArchetype[person.archetype] ?? 0) + 1;
    rows.detainers += person.detainers.reduce((a, d) => a + d.rows, 0);
    rows.arrests += person.arrests.length;
    rows.encounters += person.encounters.length;
    rows.detention_stints += person.stints.length;
    rows.removals += person.removal ? 1 : 0;
    if (person.detainers.length > 0) {
      buffer += (withDetainers === 0 ? '\n' : ',\n') + JSON.stringify(answerEntry(person, world));
      withDetainers++;
      if (buffer.length > 1 << 16) {
        await write(buffer);
        buffer = '';
      }
    }
  }
  await write(`${buffer}\n]}\n`);
  key.end();
  await once(key, 'finish');

  // Pass 2..6: one workbook per family.
  const files = {} as Record<SyntheticFamily, string>;
  const sheets = {} as Record<SyntheticFamily, number>;
  for (const family of SYNTHETIC_FAMILIES) {
    const file = path.join(o.outDir, syntheticFileName(family, o.releaseLabel));
    const n = Math.max(1, Math.ceil(rows[family] / limit));
    const data = familyRows(family, world, intens, order);
    const list: XlsxWriteSheet[] = [];
    for (let i = 0; i < n; i++) {
      list.push({ name: `Sheet${i + 1}`, rows: sheetRows(family, o, i, n, data, limit) });
    }
    await writeXlsx(file, list, { strings: 'shared' });
    files[family] = file;
    sheets[family] = n;
    o.onFileWritten?.({ family, file, rows: rows[family], sheets: n });
  }

  const manifest: SyntheticManifest = {
    synthetic: true,
    marker: SYNTHETIC_MARKER,
    seed: o.seed,
    scale: o.scale,
    generator_version: GENERATOR_VERSION,
    release_label: o.releaseLabel ?? null,
    period: { start: RELEASE_START.value, cutoff: RELEASE_CUTOFF.value },
    rows,
    sheets,
    sheet_row_limit: limit,
    files: Object.fromEntries(SYNTHETIC_FAMILIES.map((f) => [f, path.basename(files[f])])) as Record<SyntheticFamily, string>,
    people: { total: order.n, with_detainers: withDetainers, by_archetype: byArchetype },
    parameters_sources: { ...PARAMETER_SOURCES, ...sources },
  };
  const manifestPath = path.join(o.outDir, 'manifest.json');
  const m = createWriteStream(manifestPath, { encoding: 'utf8' });
  m.end(`${JSON.stringify(manifest, null, 2)}\n`);
  await once(m, 'finish');
  return { files: SYNTHETIC_FAMILIES.map((f) => files[f]), answerKeyPath, manifestPath, manifest };
}

/** The planted story of a person with a detainer, as the answer key lists it. */
export interface AnswerKeyPerson {
  person_id: string;
  archetype: string;
  detainers: {
    prepare_date: string;
    facility_code: string;
    facility_state: string;
    county_fips: string;
    regime: string;
    planted_outcome: string;
    path: string;
    lift_reason: string | null;
    duplicate_rows: number;
    id_missing_rows: number;
    jail_release_date: string | null;
    handoff_arrest?: { date_time: string; method: string };
    ice_book_in?: string;
  }[];
  later_arrest?: { date: string; method: string; days_after_detainer: number };
  removal?: { departed_date: string };
  missing_id_rows: number;
}

function answerEntry(p: Person, world: World): AnswerKeyPerson {
  let missing = 0;
  for (const d of p.detainers) missing += d.idMissing.filter(Boolean).length;
  for (const a of p.arrests) missing += a.idMissing ? 1 : 0;
  for (const e of p.encounters) missing += e.idMissing ? 1 : 0;
  for (const s of p.stints) missing += s.idMissing ? 1 : 0;
  if (p.removal?.idMissing) missing++;
  const entry: AnswerKeyPerson = {
    person_id: p.id,
    archetype: p.archetype,
    detainers: p.detainers.map((d) => {
      const jail = world.jails[d.jail]!;
      const out: AnswerKeyPerson['detainers'][number] = {
        prepare_date: isoDay(d.day),
        facility_code: jail.code,
        facility_state: jail.state,
        county_fips: jail.countyFips,
        regime: d.regime,
        planted_outcome: d.outcome,
        path: d.path,
        lift_reason: d.liftReason === '' ? null : d.liftReason,
        duplicate_rows: d.rows - 1,
        id_missing_rows: d.idMissing.filter(Boolean).length,
        jail_release_date: d.releaseDay === undefined ? null : isoDay(d.releaseDay),
      };
      if (d.handoffArrest) {
        out.handoff_arrest = { date_time: isoSecond(d.handoffArrest.sec), method: d.handoffArrest.method };
        const stint = p.stints.find((s) => s.stayIn >= d.handoffArrest!.sec);
        if (stint) out.ice_book_in = isoSecond(stint.stayIn);
      }
      return out;
    }),
    missing_id_rows: missing,
  };
  if (p.laterArrest) {
    entry.later_arrest = {
      date: isoDay(p.laterArrest.day),
      method: p.laterArrest.method,
      days_after_detainer: p.laterArrest.daysAfterDetainer,
    };
  }
  if (p.removal) entry.removal = { departed_date: isoDay(p.removal.day) };
  return entry;
}

/**
 * The order people are written in: a stride permutation of the indexes, so archetypes interleave
 * in the files as in a real extract rather than coming in blocks.
 */
function personOrder(world: World): { n: number; at: (k: number) => number } {
  const n = totalPeople(world);
  let stride = 1_000_003;
  while (gcd(stride, n) !== 1) stride += 2;
  const offset = world.seed % n;
  return { n, at: (k) => (k * stride + offset) % n };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** All data rows of a family, person by person, in release order. */
function* familyRows(
  family: SyntheticFamily,
  world: World,
  intens: Intensities,
  order: { n: number; at: (k: number) => number },
): Generator<XlsxWriteCell[]> {
  const wanted = new Set(ARCHETYPES_OF[family]);
  for (let k = 0; k < order.n; k++) {
    const index = order.at(k);
    if (!wanted.has(archetypeOf(world, index))) continue;
    yield* rowsOf(family, buildPerson(world, intens, index), world);
  }
}

/** One sheet: the six preamble rows, the header, then up to `limit` rows taken from `data`. */
function* sheetRows(
  family: SyntheticFamily,
  o: SyntheticOptions,
  sheetIndex: number,
  sheetCount: number,
  data: Iterator<XlsxWriteCell[]>,
  limit: number,
): Generator<XlsxWriteCell[]> {
  for (const line of preamble(family, o, sheetIndex, sheetCount)) yield [line];
  yield [...HEADERS[family]];
  for (let i = 0; i < limit; i++) {
    const next = data.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The six title/notes rows above the header. They say plainly that the data is synthetic. */
export function preamble(family: SyntheticFamily, o: Pick<SyntheticOptions, 'seed' | 'scale' | 'releaseLabel'>, sheetIndex: number, sheetCount: number): string[] {
  const lines = [
    `${TITLE[family]} - ${SYNTHETIC_MARKER}`,
    `SYNTHETIC DEMO DATA generated by Handoff (generator ${GENERATOR_VERSION}, seed ${o.seed}, scale ${o.scale}${o.releaseLabel ? `, label ${o.releaseLabel}` : ''}). These are not ICE records and describe no real person.`,
    'Layout copies the July 2025 ERO-LESA release (2025-ICLI-00019 / 2024-ICFO-39357): same columns, vocabularies and redaction markers; every value is invented.',
    `Period covered: ${RELEASE_START.value} to ${RELEASE_CUTOFF.value} (release cut-off).`,
    'Cells reading b(6), b(7)c stand for withheld values, as in ICE releases; blank cells are missing values.',
    `Sheet ${sheetIndex + 1} of ${sheetCount}.`,
  ];
  if (lines.length !== PREAMBLE_ROWS) throw new HandoffError('internal', 'preamble must have six rows');
  return lines;
}
