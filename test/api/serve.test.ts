/** startServer: ready quickly, serves over HTTP, reopens the database when a new file is renamed over it. */
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer } from '../../src/cli/commands/serve.ts';
import { migrate, Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-serve-'));
  db = await buildFixtureDb(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('serves, reloads on replace, and closes', async () => {
  const t0 = performance.now();
  const reloads: boolean[] = [];
  const server = await startServer({ dbPath: db, port: 0, watchIntervalMs: 100, onReload: (r) => reloads.push(r.ok) });
  expect(performance.now() - t0).toBeLessThan(2000);
  try {
    const res = await fetchLocal(`${server.url}/api/releases.json`);
    expect(res.status).toBe(200);
    const before = (await res.json()) as { rows: unknown[] };
    expect(before.rows.length).toBe(2);

    // The pipeline's way: build a new file beside it, then rename it over the served one.
    const next = path.join(dir, 'next.duckdb');
    copyFileSync(db, next);
    const s = await Store.open(next);
    await migrate(s);
    await s.run(`INSERT INTO releases (release_id, label, synthetic, created_at, kind) VALUES ('r_new', 'New', false, TIMESTAMP '2025-07-01 00:00:00', 'ice_release')`);
    await s.run('CHECKPOINT');
    s.close();
    renameSync(next, db);
    const deadline = Date.now() + 5000;
    let count = 2;
    while (Date.now() < deadline && count === 2) {
      await new Promise((r) => setTimeout(r, 100));
      count = ((await (await fetchLocal(`${server.url}/api/releases.json`)).json()) as { rows: unknown[] }).rows.length;
    }
    expect(count).toBe(3);
    expect(reloads).toContain(true);
  } finally {
    await server.close();
  }
});

/** fetch is disabled in tests (test/helpers/setup.ts); this talks to the local server with node:http. */
async function fetchLocal(url: string): Promise<{ status: number; json(): Promise<unknown> }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(body) }));
    }).on('error', reject);
  });
}
