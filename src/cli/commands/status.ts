import { openReadOnly, readStatus } from '../../pipeline/index.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';

export const statusCommand: Command = {
  args: '',
  summary: 'releases loaded, rows per table, rejects, redactions, unknown columns',
  options: {},
  async run(ctx) {
    const store = await openReadOnly(dbPathOf(ctx));
    try {
      const report = await readStatus(store);
      return {
        kind: 'sections',
        value: report,
        notes: report.notes,
        sections: [
          { title: 'Releases', rows: report.releases },
          { title: 'Rows per table', rows: report.tables },
          { title: 'Rejected rows (not data)', rows: report.rejects },
          { title: 'Redacted cells (stored as NULL)', rows: report.redactions },
          { title: 'Unparseable values (stored as NULL)', rows: report.unparseable },
          { title: 'Unknown columns (kept in `extra`)', rows: report.unknownColumns },
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
        ],
      };
    } finally {
      store.close();
    }
  },
};
