/**
 * Readers during a write (issue 10): the API server (startServer, port 0) answers a steady stream of
 * requests while `ingestFiles` loads a new release and renames the database over the served file.
 * Every answer must be the before-state or the after-state (releases list and a metric total), never
 * a mix and never an error: the holder swaps the store and its metrics service together, and
 * in-flight requests finish on the store they leased. No 503 is allowed here: requests on the new
 * store wait for its cubes (well within the 10 s limit at this size).
 */
import { Agent, get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../../src/cli/commands/serve.ts';
import { ingestFiles } from '../../src/pipeline/index.ts';
import { publishedHeaders } from '../helpers/published-headers.ts';
import { rowOf, SIX_PREAMBLE, writeWorkbook } from '../helpers/workbooks.ts';

const H = publishedHeaders().july2025.detainers;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-concurrency-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function release(name: string, n: number, offset: number, year = 2024): Promise<string> {
  return writeWorkbook(dir, name, [
    {
      preamble: SIX_PREAMBLE,
      headers: H,
      rows: Array.from({ length: n }, (_, i) =>
        rowOf(H, {
          'Detainer Prepare Date': { date: `${year}-${String((i % 6) + 1).padStart(2, '0')}-1${i % 9}` },
          'Facility State': 'TEXAS',
          'Detention Facility': `FACILITY ${i % 3}`,
          'Detainer Lift Reason': i % 2 ? 'Booked into Detention' : 'Lifted',
          'Unique Identifier': `P${offset + i}`,
        }),
      ),
    },
  ]);
}

it('every answer during an ingest + rename is the before-state or the after-state', async () => {
  const db = path.join(dir, 'live.duckdb');
  const first = await ingestFiles([await release('first.xlsx', 400, 0)], { dbPath: db, link: false, release: 'first' });
  const server = await startServer({ dbPath: db, port: 0, watchIntervalMs: 50 });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const fetchJson = (p: string) =>
    new Promise<{ status: number; body: { ok: boolean; rows: Record<string, unknown>[] } }>((resolve, reject) => {
      get(`${server.url}${p}`, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      }).on('error', reject);
    });
  // The fingerprint of a state: the release ids, and the total of the first release's detainers.
  const snapshot = async (): Promise<{ status: number; state: string }> => {
    const [rel, total] = await Promise.all([fetchJson('/api/releases.json'), fetchJson(`/api/metrics/detainers_issued.json?grain=total&release=${first.releaseId}`)]);
    if (rel.status !== 200 || total.status !== 200) return { status: rel.status !== 200 ? rel.status : total.status, state: '' };
    const ids = rel.body.rows.map((r) => r.label).sort().join(',');
    return { status: 200, state: `${ids}|${String(total.body.rows[0]?.count)}` };
  };
  try {
    const before = await snapshot();
    expect(before.status).toBe(200);
    const seen: { status: number; state: string }[] = [];
    let stop = false;
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) seen.push(await snapshot());
    });
    // Other months than the first's: a release covering the same months would supersede the first
    // one's figures in public (one release per month), which is a change of state of its own.
    const next = await release('second.xlsx', 3000, 10_000, 2022);
    const summary = await ingestFiles([next], { dbPath: db, link: false, release: 'second' });
    expect(summary.changed).toBe(true);
    // Keep reading until the server has reloaded and answers with the new state (bounded).
    const deadline = Date.now() + 20_000;
    let after = await snapshot();
    while (after.state === before.state && Date.now() < deadline) after = await snapshot();
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(readers);
    expect(after.state).not.toBe(before.state);
    expect(after.state.startsWith('first,second|')).toBe(true);
    expect(seen.length).toBeGreaterThan(10);
    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses).toEqual([200]);
    const states = [...new Set(seen.map((s) => s.state))].sort();
    expect(states.every((s) => s === before.state || s === after.state), states.join('\n')).toBe(true);
  } finally {
    agent.destroy();
    await server.close();
  }
}, 90_000);
