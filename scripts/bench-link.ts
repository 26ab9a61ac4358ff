/**
 * Times buildLifecycles on an existing database: `npx tsx scripts/bench-link.ts <db> [release_id]`.
 * Works on a copy (the lifecycle tables are rewritten), prints seconds and rows per second for each
 * release: rows = the five family tables of the release together. MEMORY_LIMIT=768MB sets DuckDB's
 * memory limit as the pipeline's writer does.
 */
import { copyFile, rm, stat } from 'node:fs/promises';
import { buildLifecycles } from '../src/link/index.ts';
import { migrate, Store } from '../src/store/index.ts';

async function main(): Promise<void> {
  const [dbPath, releaseId] = process.argv.slice(2);
  if (!dbPath) {
    process.stderr.write('usage: tsx scripts/bench-link.ts <database.duckdb> [release_id]\n');
    process.exit(2);
  }
  const work = `${dbPath}.bench-link-${process.pid}`;
  await copyFile(dbPath, work);
  if (await stat(`${dbPath}.wal`).then(() => true, () => false)) await copyFile(`${dbPath}.wal`, `${work}.wal`);
  const store = await Store.open(work, process.env.MEMORY_LIMIT ? { memoryLimit: process.env.MEMORY_LIMIT } : {});
  try {
    await migrate(store);
    const started = performance.now();
    const result = await buildLifecycles(store, {
      ...(releaseId ? { releaseId } : {}),
      log: (m) => process.stdout.write(`  ${m}\n`),
    });
    const total = (performance.now() - started) / 1000;
    for (const r of result.releases) {
      const row = await store.queryRow<{ n: string }>(
        `SELECT (SELECT count(*) FROM detainers WHERE release_id = $1) + (SELECT count(*) FROM arrests WHERE release_id = $1)
              + (SELECT count(*) FROM encounters WHERE release_id = $1) + (SELECT count(*) FROM detention_stints WHERE release_id = $1)
              + (SELECT count(*) FROM removals WHERE release_id = $1) AS n`,
        [r.releaseId],
      );
      const rows = Number(row?.n ?? 0);
      process.stdout.write(
        `${r.releaseId}: ${rows.toLocaleString('en-US')} rows, ${r.detainers.toLocaleString('en-US')} detainers, ` +
          `${r.seconds.toFixed(2)} s, ${Math.round(rows / Math.max(r.seconds, 0.001)).toLocaleString('en-US')} rows/s\n` +
          `  outcomes ${JSON.stringify(r.byOutcome)}\n`,
      );
    }
    process.stdout.write(`total ${total.toFixed(2)} s\n`);
  } finally {
    store.close();
    await rm(work, { force: true });
    await rm(`${work}.wal`, { force: true });
  }
}

await main();
