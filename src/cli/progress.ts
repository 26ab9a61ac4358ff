/**
 * A one-line progress display for long work on a terminal (rows, rows/s, ETA when the total is known),
 * redrawn at most ten times a second. Silent when stderr is not a terminal.
 */
import type { Output } from './output.ts';

export interface ProgressLine {
  update(label: string, done: number, total?: number): void;
  /** A stage without a row count (linking, protecting): shown at once. */
  stage(label: string): void;
  finish(): void;
}

/** What the pipeline's named steps (src/pipeline/ingest-files.ts) are doing, for the progress line. */
export const STAGE_WORDS: Readonly<Record<string, string>> = {
  flagged: 'linking detainers to arrests, stays and removals; dating the policy in force…',
  protecting: 'protecting the public figures (small-cell suppression, computed once at ingest)…',
  checkpointing: 'writing the database…',
};

const numberFormat = new Intl.NumberFormat('en-US');

export function createProgressLine(stderr: Output, now: () => number = () => performance.now()): ProgressLine {
  if (!stderr.isTTY) return { update() {}, stage() {}, finish() {} };
  let started = now();
  let current = '';
  let last = 0;
  let drawn = false;
  return {
    stage(label) {
      current = label;
      started = now();
      stderr.write(`\r\x1b[2K${label.slice(0, 150)}`);
      drawn = true;
    },
    update(label, done, total) {
      const t = now();
      if (label !== current) {
        // A new file or sheet: its rate and ETA start afresh.
        current = label;
        started = t;
      }
      if (t - last < 100) return;
      last = t;
      const seconds = (t - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      let text = `${label}  ${numberFormat.format(done)} rows  ${numberFormat.format(Math.round(rate))} rows/s`;
      if (total && total > done && rate > 0) {
        const pct = Math.floor((done / total) * 100);
        const width = 20;
        const filled = Math.round((done / total) * width);
        text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%  ${text}  ETA ${Math.ceil((total - done) / rate)} s`;
      }
      stderr.write(`\r\x1b[2K${text.slice(0, 150)}`);
      drawn = true;
    },
    finish() {
      if (drawn) stderr.write('\r\x1b[2K');
    },
  };
}
