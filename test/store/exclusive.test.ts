/**
 * Store.exclusive hands the connection to one callback at a time, in the order of the calls, even
 * when callbacks await (timers of decreasing length would otherwise finish in reverse order). Each
 * callback records start and end markers; the markers must never interleave. A callback that throws
 * rejects its own promise only: the ones queued after it still run, and run()/queryRows() queue
 * behind exclusive callbacks like any other.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
});
afterEach(() => store.close());

describe('Store.exclusive', () => {
  it('runs callbacks one at a time, in call order, even when they await', async () => {
    const log: string[] = [];
    const delays = [40, 20, 0, 10];
    const results = await Promise.all(
      delays.map((ms, i) =>
        store.exclusive(async (connection) => {
          log.push(`start ${i}`);
          await sleep(ms);
          const reader = await connection.runAndReadAll(`SELECT ${i} * 10 AS v`);
          log.push(`end ${i}`);
          return Number(reader.getRowObjectsJson()[0]!.v);
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30]);
    expect(log).toEqual(delays.flatMap((_, i) => [`start ${i}`, `end ${i}`]));
  });

  it('keeps going after a callback throws, and orders run() and queries with callbacks', async () => {
    const log: string[] = [];
    const first = store.exclusive(async () => {
      await sleep(20);
      log.push('first');
      throw new Error('first failed');
    });
    const created = store.run('CREATE TABLE t (v INTEGER)');
    const second = store.exclusive(async (connection) => {
      log.push('second');
      await connection.run('INSERT INTO t VALUES (1), (2)');
      await sleep(10);
      await connection.run('INSERT INTO t VALUES (3)');
      return 'second done';
    });
    const counted = store.queryRow<{ n: string }>('SELECT count(*) AS n FROM t');
    await expect(first).rejects.toThrow('first failed');
    await created;
    expect(await second).toBe('second done');
    expect(Number((await counted)!.n)).toBe(3); // the query waited for all of the second callback
    expect(log).toEqual(['first', 'second']);
  });
});
