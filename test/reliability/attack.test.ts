/**
 * The outsider's attack of scripts/attack.ts (`npm run attack`) run through the API on the fixture:
 * the protected publication gives it nothing; the same figures with primary suppression alone give
 * it small cells, which shows the attack can find what it looks for. With a later release of the
 * same records (three revised away), public mode gives no figure of two releases to difference;
 * private mode, which publishes both, does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runAttack } from '../../scripts/attack.ts';
import { createApp } from '../../src/api/app.ts';
import { StoreHolder } from '../../src/api/holder.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, LATER_RELEASE, MAIN } from '../metrics/fixture.ts';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-attack-'));
  db = await buildFixtureDb(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function attackWith(weaken: boolean, file = db, mode: 'public' | 'private' = 'public', grains?: string[]) {
  const store = await Store.open(file, { readOnly: true });
  const holder = new StoreHolder(store, mode, undefined, false);
  const app = createApp({ holder, mode, now: () => new Date('2026-01-01T00:00:00Z') });
  try {
    if (weaken) {
      // Publish every complement: primary suppression only.
      const lease = holder.acquire();
      const service = await lease.service;
      for (const universe of ['detainers', 'arrests'] as const) {
        const { cube } = await service.cube(MAIN, universe);
        for (const g of cube.groupList) {
          for (let s = 0; s < g.counts.length; s++) {
            const v = g.counts[s]!;
            if (g.mask[s] && !g.pub[s] && (v === 0 || v > 10)) {
              g.pub[s] = 1;
              g.lb[s] = g.ub[s] = v;
            } else if (g.mask[s] && !g.pub[s]) {
              // No bounds given away: the attack has to derive them.
              g.lb[s] = 0;
              g.ub[s] = Number.POSITIVE_INFINITY;
            }
          }
        }
      }
      lease.release();
    }
    return await runAttack(async (url) => {
      const res = await app.request(url);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }, { grains });
  } finally {
    store.close();
  }
}

test('the protected fixture gives the attack no withheld cell pinned or narrowed inside 1-10', async () => {
  const r = await attackWith(false);
  expect(r.requests).toBeGreaterThan(500);
  expect(r.withheld).toBeGreaterThan(100);
  expect(r.identities).toBeGreaterThan(1000);
  expect([...r.pinned, ...r.narrowed, ...r.differenced].slice(0, 10)).toEqual([]);
}, 300_000);

test('with primary suppression alone the same attack finds small cells', async () => {
  const r = await attackWith(true);
  expect(r.pinned.length + r.narrowed.length).toBeGreaterThan(0);
}, 300_000);

test('two releases of the same months cannot be differenced in public; in private they can', async () => {
  const file = path.join(dir, 'two-releases.duckdb');
  const { copyFileSync } = await import('node:fs');
  copyFileSync(db, file);
  await alterFixture(file, LATER_RELEASE);
  const grains = ['month', 'total'];
  const pub = await attackWith(false, file, 'public', grains);
  expect(pub.differenced.slice(0, 10)).toEqual([]);
  const priv = await attackWith(false, file, 'private', grains);
  expect(priv.differenced.length).toBeGreaterThan(0);
}, 300_000);
