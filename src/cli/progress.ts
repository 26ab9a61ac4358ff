/**
 * The progress line of an ingest on a terminal: the stage (read, load, flags, link, protection,
 * checkpoint), what it is doing, and an ETA, fitted to the terminal's width and redrawn in place.
 * Silent when stderr is not a terminal (piped, redirected, CI logs).
 *
 * The ETA of reading is measured: the rows read so far against the rows the sheet declares (xlsx;
 * a delimited file declares none, so its line shows rows and rows/s without an ETA). The other stages
 * report no progress of their own, so their ETA is an estimate from the rows of the run (a model of
 * each stage's cost fitted on `handoff demo` at scales 0.001 to 1 on 2 cores), corrected by how long
 * the run's earlier stages took against their estimates; it is marked `~`, and says so when a stage
 * runs past it.
 */
import type { IngestProgress } from '../pipeline/index.ts';
import type { Output } from './output.ts';

/** The stages of an ingest, in order, and what each does, in a user's words. */
export const STAGES = {
  copy: 'copying the database (the original stays as it is until the end)',
  read: 'reading rows',
  load: 'loading the last rows read',
  flags: 'flagging duplicates (flagged, never deleted)',
  link: 'linking detainers to arrests, stays and removals; dating the policy in force',
  protection: 'protecting the public figures (small-cell suppression, once at ingest)',
  checkpoint: 'writing the database',
} as const;

export type StageName = keyof typeof STAGES;

const ORDER = Object.keys(STAGES) as StageName[];
/** The stages counted in "stage n/6": copying is brief and not one of the user's steps. */
const COUNTED: StageName[] = ORDER.filter((s) => s !== 'copy');

/** The pipeline's step names (src/pipeline/ingest-files.ts onStep) that start a stage. */
export function stageOfStep(step: string): StageName | 'idle' | undefined {
  if (step === 'copying') return 'copy';
  if (step.startsWith('read:')) return 'load';
  if (step === 'flagging') return 'flags';
  if (step === 'linking') return 'link';
  if (step === 'protecting') return 'protection';
  if (step === 'checkpointing') return 'checkpoint';
  if (['copied', 'flagged', 'linked', 'protected', 'checkpointed', 'renamed'].includes(step) || step.startsWith('loaded:')) return 'idle';
  return undefined;
}

/**
 * Seconds a stage takes for a run of `rows` rows, before correction: fitted on the demo release
 * (3.7 k, 37 k, 185 k and 3.7 M rows) on a 2-core machine.
 */
export function estimateSeconds(stage: StageName, rows: number, extra: { fileRows?: number; dbBytes?: number } = {}): number | undefined {
  switch (stage) {
    case 'copy':
      return extra.dbBytes ? 0.05 + extra.dbBytes / 300e6 : undefined;
    case 'load':
      // The loader keeps at most eight rounds of 32,768 rows pending; the last of them load here.
      return 0.1 + Math.min(extra.fileRows ?? rows, 262_144) / 40_000;
    case 'flags':
      return 0.05 + rows * 8e-6;
    case 'link':
      return 0.3 + 1.3 * (rows / 37_000) ** 0.3;
    case 'protection':
      // Grows with the places and periods that hold records, which saturate: about 1 s at 3.7 k rows,
      // 11 s at 37 k, 17 s at 185 k, 38 s at 3.7 M (src/metrics/DESIGN.md). Linking too: 0.5 s, 1.6 s, 2.2 s.
      return rows <= 37_000 ? 0.3 + rows * 2.9e-4 : 11.03 * (rows / 37_000) ** 0.264;
    case 'checkpoint':
      return 0.1 + rows * 1.5e-6;
    case 'read':
      return undefined;
  }
}

/** `8 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** One piece of the line: shown when it fits, the lower `rank` first; `order` places it. */
interface Piece {
  text: string;
  rank: number;
  order: number;
  /** A label that may be shortened (with …) to the room left, down to 8 characters. */
  shrink?: boolean;
}

/** Fits the pieces into `width` characters (at most width-1, so the terminal never wraps the line). */
export function fitLine(pieces: Piece[], width: number): string {
  const room = Math.max(10, width - 1);
  const sep = '  ';
  const chosen: Piece[] = [];
  const length = (ps: Piece[]) => ps.reduce((n, p) => n + p.text.length, 0) + sep.length * Math.max(0, ps.length - 1);
  for (const piece of [...pieces].sort((a, b) => a.rank - b.rank)) {
    const next = [...chosen, piece];
    if (length(next) <= room) {
      chosen.push(piece);
    } else if (piece.shrink) {
      const left = room - length(chosen) - (chosen.length ? sep.length : 0);
      if (left >= 8) chosen.push({ ...piece, text: `${piece.text.slice(0, left - 1)}…` });
    }
  }
  const line = chosen.sort((a, b) => a.order - b.order).map((p) => p.text).join(sep);
  return line.length > room ? line.slice(0, room) : line;
}

export interface IngestProgressLine {
  /** The pipeline's onProgress. */
  progress(p: IngestProgress): void;
  /** The pipeline's onStep. */
  step(name: string): void;
  /** Clears the line (always call it, also after a failure). */
  finish(): void;
  /** Draws the line now (the timer does it every half second while a stage runs). */
  redraw(): void;
}

export interface ProgressOptions {
  now?: () => number;
  /** Redraw every half second so the clock of a stage without rows moves (default true). */
  timer?: boolean;
  /** The database's size, for the ETA of copying it. */
  dbBytes?: number;
}

/** The progress line of an ingest (or of `demo`, which ingests): a no-op when stderr is not a terminal. */
export function createIngestProgress(stderr: Output, options: ProgressOptions = {}): IngestProgressLine {
  if (!stderr.isTTY) return { progress() {}, step() {}, finish() {}, redraw() {} };
  const now = options.now ?? (() => performance.now());
  let stage: StageName | undefined;
  let stageStarted = 0;
  let label = '';
  let labelStarted = 0;
  let rows = 0;
  let baseRows = 0;
  let total: number | null = null;
  let runRows = 0;
  let file = '';
  /** Rows of the run before the current file's first. */
  let fileStart = 0;
  /** The stage's estimate before correction, and after. */
  let rawEstimate: number | undefined;
  let estimate: number | undefined;
  let lastDraw = -Infinity;
  let drawn = false;
  /** Actual over estimated seconds of the stages done so far, to correct the next estimates. */
  const ratios: number[] = [];
  const correction = () => {
    if (ratios.length === 0) return 1;
    const mean = Math.exp(ratios.reduce((n, r) => n + Math.log(r), 0) / ratios.length);
    return Math.min(3, Math.max(1 / 3, mean));
  };

  const endStage = () => {
    if (stage && rawEstimate !== undefined && rawEstimate >= 0.3) ratios.push(Math.max(0.05, (now() - stageStarted) / 1000) / rawEstimate);
    stage = undefined;
    rawEstimate = undefined;
    estimate = undefined;
  };

  const line = (): string => {
    if (!stage) return '';
    const t = now();
    const elapsed = (t - stageStarted) / 1000;
    const n = COUNTED.indexOf(stage);
    const pieces: Piece[] = [{ text: stage, rank: 0, order: 0 }];
    if (n >= 0) pieces.push({ text: `${n + 1}/${COUNTED.length}`, rank: 3, order: 1 });
    if (stage === 'read') {
      const seconds = (t - labelStarted) / 1000;
      // The rows since the sheet's first batch, over the time since it came: the first batch took no time on this clock.
      const rate = seconds > 0.2 ? (rows - baseRows) / seconds : 0;
      if (total && total > 0) {
        const share = Math.min(1, rows / total);
        pieces.push({ text: `${Math.floor(share * 100)}%`, rank: 1, order: 2 });
        const barWidth = 20;
        const filled = Math.round(share * barWidth);
        pieces.push({ text: `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`, rank: 6, order: 1.5 });
        if (rate > 0 && total > rows) pieces.push({ text: `ETA ${formatDuration((total - rows) / rate)}`, rank: 2, order: 5 });
      }
      pieces.push({ text: `${numberFormat.format(rows)} rows`, rank: 4, order: 3 });
      if (rate > 0) pieces.push({ text: `${numberFormat.format(Math.round(rate))} rows/s`, rank: 7, order: 4 });
      if (label) pieces.push({ text: label, rank: 8, order: 7, shrink: true });
    } else {
      // A stage estimated under a second shows no ETA until it has run a second.
      if (estimate !== undefined && (estimate >= 1 || elapsed >= 1)) {
        const left = estimate - elapsed;
        const text = left >= 1 ? `ETA ~${formatDuration(left)}` : left >= 0 ? 'ETA <1 s' : `over the ~${formatDuration(Math.max(1, estimate))} estimated`;
        pieces.push({ text, rank: 1, order: 5 });
      }
      pieces.push({ text: formatDuration(elapsed), rank: 4, order: 3 });
      if (stage === 'load' && label) pieces.push({ text: label, rank: 8, order: 7, shrink: true });
      pieces.push({ text: STAGES[stage], rank: 5, order: 6, shrink: true });
    }
    return fitLine(pieces, stderr.columns ?? 80);
  };

  const draw = () => {
    const text = line();
    if (!text) return;
    stderr.write(`\r\x1b[2K${text}`);
    drawn = true;
    lastDraw = now();
  };

  const timer = options.timer === false ? undefined : setInterval(() => {
    if (stage && stage !== 'read') draw();
  }, 500);
  timer?.unref();

  const start = (next: StageName, extra: { label?: string } = {}) => {
    endStage();
    // Nothing to copy for a new database.
    if (next === 'copy' && !options.dbBytes) return;
    stage = next;
    stageStarted = now();
    if (extra.label !== undefined) label = extra.label;
    rawEstimate = estimateSeconds(next, runRows, { fileRows: runRows - fileStart, dbBytes: options.dbBytes });
    estimate = rawEstimate === undefined ? undefined : rawEstimate * correction();
    draw();
  };

  return {
    progress(p) {
      const nextLabel = `${p.file} › ${p.sheet} (${p.family})`;
      runRows = p.totalRows;
      if (p.file !== file) {
        file = p.file;
        fileStart = p.totalRows - p.rows;
      }
      if (stage !== 'read' || nextLabel !== label) {
        // A new file or sheet: its rate and ETA start afresh.
        if (stage !== 'read') {
          endStage();
          stage = 'read';
          stageStarted = now();
        }
        label = nextLabel;
        labelStarted = now();
        rows = p.rows;
        baseRows = p.rows;
        total = p.sheetRows;
        draw();
        return;
      }
      rows = p.rows;
      total = p.sheetRows;
      if (now() - lastDraw >= 100) draw();
    },
    step(name) {
      const next = stageOfStep(name);
      if (next === undefined) return;
      if (next === 'idle') {
        endStage();
        return;
      }
      start(next, next === 'load' ? { label: name.slice('read:'.length) } : {});
    },
    finish() {
      endStage();
      if (timer) clearInterval(timer);
      if (drawn) stderr.write('\r\x1b[2K');
      drawn = false;
    },
    redraw: draw,
  };
}
