/**
 * The metric answer cache (issue 21): a cached answer is the first render's body, except that
 * `meta.generated_at` says when this answer was sent; CSV (which has no timestamp) is byte-identical.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { AnswerCache } from '../../src/api/answer-cache.ts';
import { splitAtGeneratedAt } from '../../src/api/routes/metrics.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';

let dir: string;
let store: Store;
let clock = Date.parse('2025-07-01T12:00:00.000Z');
/** Each call is one second later than the last. */
const now = () => new Date((clock += 1000));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-api-cache-'));
  store = await openReadOnly(await buildFixtureDb(dir));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a cached metric answer carries its own generated_at, and otherwise the same body', async () => {
  const app = createApp({ store, mode: 'public', now });
  const url = '/api/metrics/detainers_issued.json?grain=quarter&by=outcome';
  const first = (await (await app.request(url)).json()) as { meta: { generated_at: string } };
  const second = (await (await app.request(url)).json()) as { meta: { generated_at: string } };
  const third = (await (await app.request(url)).json()) as { meta: { generated_at: string } };
  expect(Date.parse(second.meta.generated_at)).toBeGreaterThan(Date.parse(first.meta.generated_at));
  expect(Date.parse(third.meta.generated_at)).toBeGreaterThan(Date.parse(second.meta.generated_at));
  // Everything but the timestamp is the first render's.
  expect({ ...second, meta: { ...second.meta, generated_at: null } }).toEqual({ ...first, meta: { ...first.meta, generated_at: null } });
  expect({ ...third, meta: { ...third.meta, generated_at: null } }).toEqual({ ...first, meta: { ...first.meta, generated_at: null } });
});

test('a cached CSV answer is byte-identical', async () => {
  const app = createApp({ store, mode: 'public', now });
  const url = '/api/metrics/detainers_issued.csv?grain=quarter';
  const a = await (await app.request(url)).text();
  const b = await (await app.request(url)).text();
  expect(a.length).toBeGreaterThan(0);
  expect(b).toBe(a);
});

test('splitAtGeneratedAt cuts at the meta timestamp, not at a look-alike inside a value', () => {
  const at = '2025-07-01T12:00:00.000Z';
  const body = JSON.stringify({ rows: [{ label: `"generated_at":"${at}"` }], meta: { generated_at: at, notes: [] } });
  const parts = splitAtGeneratedAt(body, at)!;
  const later = '2026-01-02T03:04:05.678Z';
  const out = JSON.parse(`${parts.head}${later}${parts.tail}`) as { rows: { label: string }[]; meta: { generated_at: string } };
  expect(out.meta.generated_at).toBe(later);
  expect(out.rows[0]!.label).toBe(`"generated_at":"${at}"`);
  expect(splitAtGeneratedAt('a,b\n1,2\n', at)).toBeNull();
});

test('AnswerCache keeps the most recently used answers within its entry and size limits', () => {
  const cache = new AnswerCache<string>(3, 100);
  cache.set('a', 'A', 10);
  cache.set('b', 'B', 10);
  cache.set('c', 'C', 10);
  expect(cache.get('a')).toBe('A'); // a is now the most recently used
  cache.set('d', 'D', 10); // over 3 entries: the least recently used (b) goes
  expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['A', undefined, 'C', 'D']);
  // Recency now a, c, d (the gets above). 30 + 85 is over 100 characters: a then c go, d stays.
  cache.set('e', 'E', 85);
  expect(cache.size).toBe(2);
  expect(cache.chars).toBe(95);
  expect([cache.get('a'), cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([undefined, undefined, 'D', 'E']);
  cache.set('huge', 'H', 101); // larger than the whole budget: not kept, nothing else lost
  expect(cache.get('huge')).toBeUndefined();
  expect(cache.get('e')).toBe('E');
  cache.set('e', 'E2', 5); // replacing an answer replaces its size
  expect(cache.chars).toBe(15);
  expect(cache.get('e')).toBe('E2');
});
