/**
 * Time limits answer only their own request (issue 21): a request over the limit gets a 503 envelope,
 * but the shared DuckDB connection is not interrupted, so whatever else runs on it finishes; and the
 * work of the timed-out request goes on, so a retry finds its answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-api-limit-'));
  store = await openReadOnly(await buildFixtureDb(dir));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asks `url` until it is not a 503 (the answer is being prepared in the background meanwhile). */
async function until200(app: ReturnType<typeof createApp>, url: string): Promise<Response> {
  for (;;) {
    const res = await app.request(url);
    if (res.status !== 503) return res;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('/api/quality.json over its time limit leaves a query running on the shared connection alone', async () => {
  const app = createApp({ store, mode: 'public', queryTimeoutMs: 1 });
  // The metrics service exists (built in the background across the 503s).
  expect((await until200(app, '/api/releases.json')).status).toBe(200);

  // A statement of someone else's that holds the connection; the ledger's statements queue behind it.
  const other = store.queryRow<{ s: string }>('SELECT sum(i)::VARCHAR AS s FROM range(0, 50000000) t(i)');
  const quality = await app.request('/api/quality.json');
  expect(quality.status).toBe(503);
  expect(await quality.json()).toMatchObject({ ok: false, status: 503 });
  // Not interrupted: the other statement completes with its true result.
  expect((await other)!.s).toBe(String((50000000n * 49999999n) / 2n));

  // The ledger was computed after all; a retry answers it.
  const again = await until200(app, '/api/quality.json');
  expect(again.status).toBe(200);
  expect(((await again.json()) as { ok: boolean; rows: unknown[] }).rows.length).toBeGreaterThan(0);
});
