/**
 * The fixture database of test/metrics/fixture.ts served in-process, in public and private mode, for
 * the API tests: built in a temp dir before the file's tests, closed and removed after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';

export interface FixtureApps {
  store: Store;
  pub: ReturnType<typeof createApp>;
  priv: ReturnType<typeof createApp>;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled in before its tests run. */
export function useFixtureApps(prefix: string, now?: () => Date): FixtureApps {
  const apps = {} as FixtureApps;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), prefix));
    apps.store = await openReadOnly(await buildFixtureDb(dir));
    apps.pub = createApp({ store: apps.store, mode: 'public', ...(now ? { now } : {}) });
    apps.priv = createApp({ store: apps.store, mode: 'private', ...(now ? { now } : {}) });
  });
  afterAll(() => {
    apps.store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return apps;
}
