import path from 'node:path';
import { CliError } from '../../core/errors.ts';
import { openReadOnly } from '../../pipeline/index.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';

export const exportCommand: Command = {
  args: '<table> --format csv|parquet [--out FILE]',
  summary: 'write a table to a CSV or Parquet file',
  help: 'Row-level tables stay on your machine: export is for your own analysis, not for publication.',
  options: { out: { type: 'string' } },
  formats: ['csv', 'parquet'],
  async run(ctx) {
    const [table] = ctx.positionals;
    if (!table) throw new CliError('name the table to export (see `handoff status`)');
    const format = (ctx.values.format as string | undefined) ?? 'csv';
    if (format !== 'csv' && format !== 'parquet') throw new CliError('export --format must be csv or parquet');
    const store = await openReadOnly(dbPathOf(ctx), { allowExternalAccess: true });
    try {
      const known = await store.queryRows<{ name: string }>(
        "SELECT table_name AS name FROM duckdb_tables() WHERE NOT internal UNION SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY name",
      );
      const names = known.map((k) => k.name);
      if (!names.includes(table)) throw new CliError(`unknown table "${table}"; tables: ${names.join(', ')}`);
      const out = path.resolve((ctx.values.out as string | undefined) ?? `${table}.${format}`);
      const options = format === 'csv' ? "(FORMAT csv, HEADER true)" : '(FORMAT parquet, COMPRESSION zstd)';
      await store.run(`COPY (SELECT * FROM "${table}") TO '${out.replace(/'/g, "''")}' ${options}`);
      const row = await store.queryRow<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      return { kind: 'rows', rows: [{ table, format, rows: Number(row?.n ?? 0), file: out }] };
    } finally {
      store.close();
    }
  },
};
