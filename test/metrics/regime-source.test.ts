/**
 * The regime breakdown reads the policy the pipeline assigned to each detainer (by its facility's
 * custody: a federal facility is `federal` whatever the county's jail rule), and falls back to the
 * place's jail rule only where the pipeline assigned none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MetricsService, runMetric } from '../../src/metrics/index.ts';
import { Store } from '../../src/store/index.ts';
import { alterFixture, buildFixtureDb, MAIN } from './fixture.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-regime-'));
  const db = await buildFixtureDb(dir);
  // As assign-policies would for detainers lodged at a federal facility: every tenth row.
  await alterFixture(db, [`UPDATE detainer_lifecycle SET policy_regime_at_prepare = 'federal' WHERE release_id = '${MAIN}' AND source_row % 10 = 0`]);
  store = await Store.open(db, { readOnly: true });
}, 120_000);
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('by=regime counts the regimes the pipeline wrote', async () => {
  const priv = await MetricsService.create(store, { mode: 'private' });
  const r = await runMetric(priv, 'detainers_issued', { grain: 'total', by: 'regime', release: MAIN });
  const federal = r.rows.find((x) => x.value === 'federal');
  const sql = await store.queryRow<{ n: bigint }>(
    `SELECT count(*) AS n FROM detainer_lifecycle WHERE release_id = '${MAIN}' AND prepare_date IS NOT NULL AND policy_regime_at_prepare = 'federal'`,
  );
  expect(Number(sql!.n)).toBeGreaterThan(0);
  expect(federal?.count).toBe(Number(sql!.n));
  // The others still sum to the total: every detainer has one regime.
  const total = (await runMetric(priv, 'detainers_issued', { grain: 'total', release: MAIN })).rows[0]!.count as number;
  expect(r.rows.reduce((n, x) => n + (x.count as number), 0)).toBe(total);
});
