/**
 * The ledger's `ddp_rule_next_day_detainers`: how many kept detainers the Deportation Data Project's
 * historical duplicate rule would also drop (prepared the day after the same person's previous kept
 * detainer), checked against an independent SQL (a self-join, not the window the ledger uses), exact
 * in private mode and withheld in public mode when it is 1–10. The fixture has no next-day pairs, so
 * this file plants some in its own copy: a second detainer, a day later, for people with one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import { Store } from '../../src/store/index.ts';
import { buildFixtureDb, MAIN } from './fixture.ts';

type LedgerRow = { release_id: string; table: string; measure: string; count: number | null; withheld_cells: number };
type App = ReturnType<typeof createApp>;

/** Builds the fixture with `planted` next-day pairs (or no person identifiers) and serves it in both modes. */
function useFixtureWithPairs(planted: number, { noIdentifiers = false } = {}) {
  const s = {} as { store: Store; pub: App; priv: App; dir: string };
  beforeAll(async () => {
    s.dir = mkdtempSync(path.join(tmpdir(), 'handoff-ddp-rule-'));
    const file = await buildFixtureDb(s.dir);
    const w = await Store.open(file);
    await w.run(
      `INSERT INTO detainer_lifecycle
       SELECT * REPLACE (source_row + 1000000 AS source_row, prepare_date + 1 AS prepare_date)
       FROM detainer_lifecycle d
       WHERE release_id = $1 AND person_id IS NOT NULL AND prepare_date IS NOT NULL
         AND (SELECT count(*) FROM detainer_lifecycle e WHERE e.release_id = d.release_id AND e.person_id = d.person_id) = 1
       ORDER BY source_row LIMIT ${planted}`,
      [MAIN],
    );
    if (noIdentifiers) await w.run(`UPDATE detainer_lifecycle SET person_id = NULL WHERE release_id = $1`, [MAIN]);
    w.close();
    s.store = await openReadOnly(file);
    s.pub = createApp({ store: s.store, mode: 'public' });
    s.priv = createApp({ store: s.store, mode: 'private' });
  });
  afterAll(() => {
    s.store?.close();
    rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}

async function ledgerRow(app: App): Promise<LedgerRow | undefined> {
  const body = (await (await app.request(`/api/quality.json?release=${MAIN}`)).json()) as { rows: LedgerRow[] };
  return body.rows.find((r) => r.table === 'detainers' && r.measure === 'ddp_rule_next_day_detainers');
}

async function truthOf(store: Store): Promise<number> {
  const row = await store.queryRow<{ n: string }>(
    `SELECT count(*) AS n FROM detainer_lifecycle d
     WHERE d.release_id = $1 AND d.person_id IS NOT NULL AND d.prepare_date IS NOT NULL
       AND EXISTS (SELECT 1 FROM detainer_lifecycle e WHERE e.release_id = d.release_id
                   AND e.person_id = d.person_id AND e.prepare_date = d.prepare_date - 1)`,
    [MAIN],
  );
  return Number(row!.n);
}

describe('DDP duplicate rule difference in the quality ledger: above the small-cell range', () => {
  const s = useFixtureWithPairs(14);
  test('equals the kept detainers with one of the same person the day before, in both modes', async () => {
    const truth = await truthOf(s.store);
    expect(truth).toBeGreaterThanOrEqual(14);
    expect(await ledgerRow(s.priv)).toMatchObject({ count: truth, withheld_cells: 0 });
    expect(await ledgerRow(s.pub)).toMatchObject({ count: truth, withheld_cells: 0 });
  });
});

describe('DDP duplicate rule difference in the quality ledger: a small cell', () => {
  const s = useFixtureWithPairs(3);
  test('is exact in private mode and withheld in public mode', async () => {
    const truth = await truthOf(s.store);
    expect(truth).toBeGreaterThanOrEqual(1);
    expect(truth).toBeLessThanOrEqual(10);
    expect(await ledgerRow(s.priv)).toMatchObject({ count: truth, withheld_cells: 0 });
    expect(await ledgerRow(s.pub)).toMatchObject({ count: null, withheld_cells: 1 });
  });
});

describe('DDP duplicate rule difference in the quality ledger: a release without person identifiers', () => {
  const s = useFixtureWithPairs(14, { noIdentifiers: true });
  test('says not available in words instead of a 0', async () => {
    for (const app of [s.priv, s.pub]) {
      const row = await ledgerRow(app);
      expect(row).toMatchObject({ count: null, withheld_cells: 0 });
      expect((row as unknown as { note: string }).note).toMatch(/^Not available/);
    }
  });
});
