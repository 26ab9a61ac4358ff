/**
 * `handoff status`: what the database holds (releases, rows, rejects, redactions, unknown columns,
 * offense coverage); and the files a killed ingest left beside it.
 *
 * Does: report and remove a stale `.lock` and `.next-<pid>` working copies whose process is gone (see
 * src/store/store.ts `cleanLeftovers`); keep and report those of a running ingest.
 * Does not: write to the database.
 */
import path from 'node:path';
import { openReadOnly, readStatus } from '../../pipeline/index.ts';
import { cleanLeftovers, type Leftover } from '../../store/store.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';

/** Rows and notes that say what was found beside the database and what was done with it. */
export function describeLeftovers(leftovers: Leftover[]): { rows: Record<string, unknown>[]; notes: string[] } {
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  const rows = leftovers.map((l) => ({
    file: path.basename(l.path),
    kind: l.kind,
    pid: l.pid,
    size: mb(l.bytes),
    action: l.removed
      ? `removed (pid ${l.pid ?? '?'} is not running)`
      : l.state === 'in_use'
        ? `kept (pid ${l.pid} is running)`
        : l.state === 'unknown'
          ? 'kept (no readable pid; younger than a minute)'
          : 'kept (could not be removed)',
  }));
  const notes: string[] = [];
  const removed = leftovers.filter((l) => l.removed);
  const kept = leftovers.filter((l) => !l.removed);
  if (removed.length) {
    notes.push(
      `Removed ${removed.length} file(s) (${mb(removed.reduce((n, l) => n + l.bytes, 0))}) left by an ingest that was killed: ` +
        `${removed.map((l) => path.basename(l.path)).join(', ')}. The database itself was not touched.`,
    );
  }
  if (kept.length) notes.push(`Kept ${kept.length} file(s) of an ingest still running or just starting: ${kept.map((l) => path.basename(l.path)).join(', ')}.`);
  return { rows, notes };
}

export const statusCommand: Command = {
  args: '',
  summary: 'releases loaded, rows per table, rejects, redactions, unknown columns',
  options: {},
  async run(ctx) {
    const dbPath = dbPathOf(ctx);
    const leftovers = describeLeftovers(await cleanLeftovers(dbPath));
    const store = await openReadOnly(dbPath);
    try {
      const report = await readStatus(store);
      return {
        kind: 'sections',
        value: { ...report, leftovers: leftovers.rows, notes: [...report.notes, ...leftovers.notes] },
        notes: [...report.notes, ...leftovers.notes],
        sections: [
          { title: 'Releases', rows: report.releases },
          { title: 'Rows per table', rows: report.tables },
          { title: 'Rejected rows (not data)', rows: report.rejects },
          { title: 'Redacted cells (stored as NULL)', rows: report.redactions },
          { title: 'Unparseable values (stored as NULL)', rows: report.unparseable },
          { title: 'Unknown columns (kept in `extra`)', rows: report.unknownColumns },
          { title: 'Values no vocabulary knows (rows loaded; the value reads as unknown in figures)', rows: report.unknownValues },
          {
            title: 'Offense categories of the most serious conviction (reference/offenses)',
            rows: [
              {
                rows: report.offenseCoverage.total,
                blank: report.offenseCoverage.blank,
                redacted: report.offenseCoverage.redacted,
                mapped: report.offenseCoverage.mapped,
                unmapped: report.offenseCoverage.unmapped,
                mapped_share: report.offenseCoverage.mappedShare === null ? null : Number(report.offenseCoverage.mappedShare.toFixed(4)),
              },
            ],
          },
          {
            title: 'Unmapped charges (most frequent first)',
            rows: report.offenseCoverage.unmappedValues.slice(0, 20).map((u) => ({ ...u })),
          },
          ...(leftovers.rows.length ? [{ title: 'Files left beside the database by an interrupted ingest', rows: leftovers.rows }] : []),
        ],
      };
    } finally {
      store.close();
    }
  },
};
