/**
 * Times the synthetic release generator: rows, sheets and seconds per family at a given scale.
 *
 *   node --import tsx scripts/bench-synthetic.ts --scale 0.05 [--seed 1] [--out bench-out/synthetic] [--states TX,MA]
 *
 * The first family's time also covers loading the references and the story pass (row counts and
 * answer key); each workbook's time includes replaying the stories of the people with rows in it.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateSyntheticRelease } from '../src/synthetic/index.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench-out/synthetic' },
    states: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

const scale = Number(values.scale);
const outDir = `${values.out}-${scale}`;
await rm(outDir, { recursive: true, force: true });
const started = performance.now();
let last = started;
const lines: string[] = [];
const release = await generateSyntheticRelease({
  seed: Number(values.seed),
  scale,
  outDir,
  ...(values.states ? { states: values.states.split(',') } : {}),
  onFileWritten: ({ family, rows, sheets }) => {
    const now = performance.now();
    const secs = (now - last) / 1000;
    lines.push(`${family.padEnd(18)} ${String(rows).padStart(10)} rows ${String(sheets).padStart(3)} sheet(s) ${secs.toFixed(1).padStart(7)} s  ${Math.round(rows / secs).toLocaleString('en-US').padStart(9)} rows/s`);
    last = now;
  },
});
const total = (performance.now() - started) / 1000;
const m = release.manifest;
const allRows = Object.values(m.rows).reduce((a, b) => a + b, 0);
console.log(`scale ${scale}, seed ${m.seed}: ${m.people.total} people (${m.people.with_detainers} with detainers)`);
for (const line of lines) console.log(line);
console.log(`${'total'.padEnd(18)} ${String(allRows).padStart(10)} rows            ${total.toFixed(1).padStart(7)} s (includes the story/answer-key pass)`);
console.log(`sources: ${JSON.stringify({ jails: m.parameters_sources.jails, policies: m.parameters_sources.policies, offenses: m.parameters_sources.offenses })}`);
if (!values.keep) await rm(outDir, { recursive: true, force: true });
