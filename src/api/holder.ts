/**
 * Holds the open database and its metrics service, and swaps both atomically when the pipeline
 * renames a new database file over the old one. Requests lease the current pair; the old store is
 * closed only when its last in-flight request has finished.
 */
import { MetricsService, type Mode } from '../metrics/index.ts';
import type { PolicySet } from '../policy/index.ts';
import type { Store } from '../store/index.ts';

interface Entry {
  store: Store;
  service: Promise<MetricsService>;
  inflight: number;
  retired: boolean;
  version: string;
}

export interface Lease {
  store: Store;
  service: Promise<MetricsService>;
  version: string;
  release(): void;
}

export class StoreHolder {
  private current: Entry;
  private generation = 0;

  constructor(
    store: Store,
    readonly mode: Mode,
    private readonly policies?: PolicySet,
    private readonly closeStores = true,
  ) {
    this.current = this.entry(store);
  }

  private entry(store: Store): Entry {
    this.generation++;
    const service = MetricsService.create(store, { mode: this.mode, policies: this.policies });
    // Creating the service queries the store: it counts as in flight, so a swap or shutdown meanwhile
    // cannot close the store under a running query (closing DuckDB mid-query crashes the process).
    const e: Entry = { store, service, inflight: 1, retired: false, version: `g${this.generation}-${Date.now().toString(36)}` };
    service
      .catch(() => {})
      .finally(() => {
        e.inflight--;
        this.maybeClose(e);
      });
    return e;
  }

  /** Builds the current service's cubes in the background, holding a lease while it runs. */
  warm(): Promise<void> {
    const lease = this.acquire();
    return lease.service
      .then((s) => s.warm())
      .catch(() => {})
      .finally(() => lease.release());
  }

  get version(): string {
    return this.current.version;
  }

  acquire(): Lease {
    const e = this.current;
    e.inflight++;
    let released = false;
    return {
      store: e.store,
      service: e.service,
      version: e.version,
      release: () => {
        if (released) return;
        released = true;
        e.inflight--;
        this.maybeClose(e);
      },
    };
  }

  /** Makes `store` current and warms it; the previous store closes once idle. */
  swap(store: Store): Promise<void> {
    const old = this.current;
    this.current = this.entry(store);
    old.retired = true;
    this.maybeClose(old);
    return this.warm();
  }

  private maybeClose(e: Entry): void {
    if (e.retired && e.inflight === 0 && this.closeStores) {
      try {
        e.store.close();
      } catch {
        // already closed
      }
    }
  }

  /** Closes the current store (shutdown). */
  close(): void {
    this.current.retired = true;
    this.maybeClose(this.current);
  }
}
