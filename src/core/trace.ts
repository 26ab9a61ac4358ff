/**
 * Timing trace for finding where a slow run spends its time: with HANDOFF_TRACE=1 in the
 * environment, `trace('step')` writes `handoff-trace <seconds since start> rss=<MiB> <step>` to stderr
 * (the process's resident memory then, to find where a large file's memory goes).
 * Inert (one property read) otherwise. Used by the ingest pipeline and the loader's rounds.
 */
import { writeSync } from 'node:fs';

const enabled = process.env.HANDOFF_TRACE === '1';
const start = performance.now();

export function trace(step: string): void {
  if (!enabled) return;
  const rss = Math.round(process.memoryUsage.rss() / 1024 ** 2);
  writeSync(2, `handoff-trace ${((performance.now() - start) / 1000).toFixed(3)} rss=${rss} ${step}\n`);
}
