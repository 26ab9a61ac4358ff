/**
 * Progress of an ingest (issue 19, item 6): every long stage is named and has an ETA, the line fits
 * the terminal's width, and nothing is drawn when stderr is piped. The renderer is driven directly
 * with a fake clock and terminal; then the real binary ingests a small release on a pseudo-terminal
 * 60 columns wide, and again piped.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestProgress, estimateSeconds, fitLine, formatDuration } from '../../src/cli/progress.ts';
import { ingestFiles, type IngestProgress } from '../../src/pipeline/index.ts';
import { handoff, handoffOnTerminal, HAS_SCRIPT } from './helpers.ts';

/** The lines a terminal would show, one per redraw (each redraw starts with CR and erase-line). */
function redraws(raw: string): string[] {
  return raw
    .split('\r\x1b[2K')
    .map((part) => part.split(/\r?\n/)[0]!)
    .filter((line) => line !== '');
}

function fakeTerminal(columns: number) {
  let text = '';
  return { out: { isTTY: true, columns, write: (t: string) => void (text += t) }, text: () => text };
}

const progressOf = (rows: number, sheetRows: number | null, totalRows = rows): IngestProgress => ({
  file: 'ERO Detainers_LESA-STU_FINAL Redacted.xlsx',
  sheet: 'Sheet1',
  family: 'detainers',
  rows,
  sheetRows,
  totalRows,
  elapsedSeconds: 0,
});

describe('the progress renderer', () => {
  it('names each stage in order, with a measured ETA while reading and an estimated one after, within the width', () => {
    for (const columns of [40, 60, 120]) {
      let t = 0;
      const term = fakeTerminal(columns);
      const p = createIngestProgress(term.out, { now: () => t, timer: false, dbBytes: 50e6 });
      p.step('copying');
      t += 200;
      p.step('copied');
      p.progress(progressOf(10_000, 100_000));
      t += 1000;
      p.progress(progressOf(40_000, 100_000));
      t += 1000;
      p.step('read:ERO Detainers_LESA-STU_FINAL Redacted.xlsx');
      t += 1500;
      p.redraw();
      p.step('loaded:ERO Detainers_LESA-STU_FINAL Redacted.xlsx');
      for (const [start, end] of [['flagging', 'flagged'], ['linking', 'linked'], ['protecting', 'protected'], ['checkpointing', 'checkpointed']]) {
        p.step(start!);
        t += 1500;
        p.redraw();
        p.step(end!);
      }
      p.step('renamed');
      p.finish();
      const shown = redraws(term.text());
      for (const line of shown) expect(line.length, line).toBeLessThan(columns);
      const stages = [...new Set(shown.map((l) => l.split(' ')[0]))];
      expect(stages).toEqual(['copy', 'read', 'load', 'flags', 'link', 'protection', 'checkpoint']);
      // 40,000 rows in the sheet's first second, 60,000 to go: 2 s.
      expect(shown).toContainEqual(expect.stringMatching(/^read .*40% .*ETA 2 s/));
      // The others are estimated from the run's rows (marked ~), e.g. protection of 40,000 rows.
      expect(shown.find((l) => l.startsWith('protection'))).toMatch(/ETA ~\d+ s/);
      expect(term.text().endsWith('\r\x1b[2K')).toBe(true);
      if (columns >= 120) {
        expect(shown.findLast((l) => l.startsWith('read'))).toContain('30,000 rows/s');
        expect(shown.find((l) => l.startsWith('link'))).toContain('linking detainers to arrests, stays and removals');
        expect(shown.find((l) => l.startsWith('read'))).toContain('ERO Detainers_LESA-STU_FINAL Redacted.xlsx › Sheet1 (detainers)');
      }
    }
  });

  it('says when a stage runs past its estimate', () => {
    let t = 0;
    const term = fakeTerminal(80);
    const p = createIngestProgress(term.out, { now: () => t, timer: false });
    p.progress(progressOf(37_000, null));
    p.step('protecting');
    t += 60_000;
    p.redraw();
    p.finish();
    expect(redraws(term.text()).at(-1)).toMatch(/^protection +5\/6 +1 min +over the ~\d+ s estimated/);
  });

  it('draws nothing when stderr is not a terminal', () => {
    let text = '';
    const p = createIngestProgress({ isTTY: false, write: (t) => void (text += t) }, { timer: false });
    p.step('copying');
    p.progress(progressOf(10, 100));
    p.step('protecting');
    p.redraw();
    p.finish();
    expect(text).toBe('');
  });

  it('fits pieces by priority and shortens the label last', () => {
    const line = fitLine(
      [
        { text: 'read', rank: 0, order: 0 },
        { text: '45%', rank: 1, order: 1 },
        { text: 'ETA 4 s', rank: 2, order: 2 },
        { text: 'a-very-long-file-name.xlsx', rank: 3, order: 3, shrink: true },
      ],
      30,
    );
    expect(line).toBe('read  45%  ETA 4 s  a-very-l…');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(estimateSeconds('protection', 3_700_000)).toBeGreaterThan(30);
    expect(estimateSeconds('read', 1000)).toBeUndefined();
  });
});

describe('an ingest of a small release', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-progress-'));
    const out = path.join(dir, 'release');
    // Generated piped: the demo's own ingest must draw no progress either.
    const demo = await handoff(['demo', '--scale', '0.001', '--out', out, '--db', path.join(dir, 'demo.duckdb')], { timeoutMs: 120_000 });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toBe('');
    files = readdirSync(out).filter((f) => f.endsWith('.xlsx')).map((f) => path.join(out, f));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the pipeline reports each stage as a step', async () => {
    const steps: string[] = [];
    await ingestFiles(files, { dbPath: path.join(dir, 'steps.duckdb'), synthetic: true, onStep: (s) => void steps.push(s.replace(/:.*/, ':')) });
    expect([...new Set(steps)]).toEqual(['copying', 'copied', 'read:', 'loaded:', 'flagging', 'flagged', 'linking', 'linked', 'protecting', 'protected', 'checkpointing', 'checkpointed', 'renamed']);
  });

  it('piped, stderr carries no progress', async () => {
    const r = await handoff(['ingest', ...files, '--synthetic', '--db', path.join(dir, 'piped.duckdb')], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!HAS_SCRIPT)('on a 60-column terminal, every stage is named and no line is wider than the terminal', async () => {
    const r = await handoffOnTerminal(['ingest', ...files, '--synthetic', '--db', path.join(dir, 'tty.duckdb')], 60, { timeoutMs: 120_000 });
    expect(r.code, r.stdout).toBe(0);
    const progress = r.stdout.slice(0, r.stdout.lastIndexOf('\r\x1b[2K'));
    const shown = redraws(progress);
    for (const line of shown) expect(line.length, line).toBeLessThan(60);
    const stages = [...new Set(shown.map((l) => l.split(' ')[0]))];
    // Copying only for an existing database; these are sub-second stages drawn at least once each.
    expect(stages).toEqual(['read', 'load', 'flags', 'link', 'protection', 'checkpoint']);
    expect(shown.find((l) => l.startsWith('protection'))).toMatch(/^protection +5\/6 +\d+ s/);
  });
});
