import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../../core/errors.ts';
import { SYNTHETIC_LABEL } from '../../core/synthetic.ts';
import { ingestFiles, type IngestSummary } from '../../pipeline/index.ts';
import { generateSyntheticRelease } from '../../synthetic/index.ts';
import { dbPathOf } from '../db-path.ts';
import { createIngestProgress } from '../progress.ts';
import type { Output } from '../output.ts';
import type { Command } from './index.ts';

/** The scale of the demo database `npm start` builds: a state-sized sample, about 185,000 rows. */
export const DEMO_SCALE = 0.05;
export const DEMO_SEED = 1;

export interface DemoOptions {
  seed: number;
  scale: number;
  outDir: string;
  dbPath: string;
  states?: string[];
  stderr: Output;
  now: () => Date;
}

/** Generates a synthetic release and ingests it through the normal path, marked synthetic. */
export async function buildDemo(o: DemoOptions): Promise<{ summary: IngestSummary; outDir: string; generateSeconds: number }> {
  const started = performance.now();
  if (o.stderr.isTTY) o.stderr.write(`Generating ${SYNTHETIC_LABEL} (seed ${o.seed}, scale ${o.scale}) in ${o.outDir} …\n`);
  const release = await generateSyntheticRelease({
    seed: o.seed,
    scale: o.scale,
    outDir: o.outDir,
    ...(o.states ? { states: o.states } : {}),
    onFileWritten: (info) => {
      if (o.stderr.isTTY) o.stderr.write(`  wrote ${path.basename(info.file)}: ${info.rows} rows\n`);
    },
  });
  const generateSeconds = (performance.now() - started) / 1000;
  const dbBytes = await stat(o.dbPath).then((s) => s.size, () => 0);
  const progress = createIngestProgress(o.stderr, { dbBytes });
  let summary: IngestSummary;
  try {
    summary = await ingestFiles(release.files, {
      dbPath: o.dbPath,
      synthetic: true,
      release: `synthetic seed ${o.seed} scale ${o.scale}`,
      now: o.now,
      onProgress: (p) => progress.progress(p),
      onStep: (s) => progress.step(s),
    });
  } finally {
    progress.finish();
  }
  const failed = summary.files.filter((f) => f.status === 'failed');
  if (failed.length) {
    throw new CliError(`the synthetic release did not load: ${failed.map((f) => f.error?.message).join('; ')}`, { exitCode: 1 });
  }
  return { summary, outDir: o.outDir, generateSeconds };
}

export const demoCommand: Command = {
  args: '[--seed N] [--scale S] [--out DIR]',
  summary: `generate a synthetic release (${SYNTHETIC_LABEL}, never ICE's) and ingest it`,
  help: [
    "Writes workbooks in ICE's July 2025 layout, an answer key (never loaded) and a manifest, then ingests",
    'the workbooks like any release, marked synthetic everywhere they are shown.',
    '',
    'Options:',
    `  --seed N               the seed (default ${DEMO_SEED}); the same seed and scale give byte-identical files`,
    `  --scale S              0.001 for tests, ${DEMO_SCALE} for the demo (default), 1 for national size (~3.7M rows)`,
    '  --out DIR              where to write (default ./demo-data/seed-N-scale-S)',
    '  --states MA,TX         only these states',
  ].join('\n'),
  options: { seed: { type: 'string' }, scale: { type: 'string' }, out: { type: 'string' }, states: { type: 'string' } },
  async run(ctx) {
    const seed = ctx.values.seed === undefined ? DEMO_SEED : Number(ctx.values.seed);
    const scale = ctx.values.scale === undefined ? DEMO_SCALE : Number(ctx.values.scale);
    if (!Number.isInteger(seed) || seed < 0) throw new CliError('--seed must be a whole number');
    if (!(scale > 0 && scale <= 5)) throw new CliError('--scale must be a number above 0 and at most 5');
    const outDir = path.resolve((ctx.values.out as string | undefined) ?? path.join('demo-data', `seed-${seed}-scale-${scale}`));
    const states = typeof ctx.values.states === 'string' ? ctx.values.states.split(',').map((s) => s.trim().toUpperCase()) : undefined;
    const { summary, generateSeconds } = await buildDemo({
      seed, scale, outDir, dbPath: dbPathOf(ctx), stderr: ctx.stderr, now: ctx.now, ...(states ? { states } : {}),
    });
    return {
      kind: 'rows',
      rows: summary.files.map((f) => ({ file: f.file, status: f.status, rows: f.rows ?? null, tables: f.tables ? Object.keys(f.tables).join(', ') : '' })),
      notes: [
        `${SYNTHETIC_LABEL}: release ${summary.releaseLabel} (${summary.releaseId}); generated in ${generateSeconds.toFixed(1)} s, ingested in ${summary.seconds.toFixed(1)} s`,
        `answer key (not loaded): ${path.join(outDir, 'answer-key.json')}`,
      ],
    };
  },
};
