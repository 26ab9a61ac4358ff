import { CliError, HandoffError } from '../../core/errors.ts';
import { openReadOnly } from '../../pipeline/index.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';

export const queryCommand: Command = {
  args: '"<sql>"',
  summary: 'run a read-only SQL query on the database',
  help: 'The database is opened read-only and without file access: a query can read tables, not change them or touch files.',
  options: {},
  async run(ctx) {
    const sql = ctx.positionals.join(' ').trim();
    if (!sql) throw new CliError('give the SQL to run, e.g. handoff query "SELECT count(*) FROM detainers"');
    const store = await openReadOnly(dbPathOf(ctx));
    try {
      const rows = await store.queryRows(sql).catch((cause: unknown) => {
        throw new HandoffError('bad_argument', `the query failed: ${(cause as Error).message}`, { cause });
      });
      return { kind: 'rows', rows };
    } finally {
      store.close();
    }
  },
};
