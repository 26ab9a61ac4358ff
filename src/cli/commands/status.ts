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
        ],
      };
    } finally {
      store.close();
    }
  },
};
