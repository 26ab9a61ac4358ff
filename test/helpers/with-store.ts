import { migrate, Store } from '../../src/store/index.ts';

/** Runs `fn` with a fresh, migrated in-memory store, closed afterwards. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(':memory:');
  try {
    await migrate(store);
    return await fn(store);
  } finally {
    store.close();
  }
}
