/**
 * One database's metrics: the releases it holds, a publication cube per (release, universe) built on
 * first use and kept, the policy files, the 287(g) snapshots and the per-release redaction counts.
 * Everything a request needs after the first build is in memory, so requests do not touch DuckDB.
 */
import { HandoffError } from '../core/errors.ts';
import { trace } from '../core/trace.ts';
import { loadPolicies, policyAt, recordPlace, type PolicySet, type Regime } from '../policy/index.ts';
import type { Store } from '../store/index.ts';
import { Cube } from './cube.ts';
import type { Universe } from './dimensions.ts';
import { detainerFactSource, loadArrestFacts, loadDetainerFacts, loadRemovalFacts, recordSpan, type FactSource } from './facts.ts';
import { monthIndex } from './periods.ts';
import { readStoredCube, readStoredProtection } from './stored.ts';

export type Mode = 'public' | 'private';

export interface ReleaseInfo {
  release_id: string;
  label: string;
  synthetic: boolean;
  created_at: string;
  kind: string;
  detainers: number;
  arrests: number;
  removals: number;
}

export interface Agreement287gRow {
  state_postal: string;
  county_fips: string | null;
  agency: string;
  agency_type: string | null;
  support_type: string;
  status: string;
  signed_date: string | null;
  snapshot_date: string;
}

/** The months of a release's dated records of one universe (month indexes, see periods.ts). */
export interface MonthSpan {
  first: number;
  last: number;
}

/** A newer release that covers some months of an older one (same universe, both real or both synthetic). */
export interface Supersession {
  by: ReleaseInfo;
  first: number;
  last: number;
}

export interface RedactionRow {
  table: string;
  column_name: string;
  redacted: number;
  rows: number;
}

export interface CubeBuild {
  cube: Cube;
  source: FactSource;
  excludedUndated: number;
  built_ms: number;
}

export interface MetricsServiceOptions {
  mode: Mode;
  policies?: PolicySet;
  /** Longest a cube build may run before DuckDB is interrupted, ms. */
  buildTimeoutMs?: number;
  /** Read the cube and protection the pipeline stored (default true); false counts and protects afresh. */
  useStored?: boolean;
}

export class MetricsService {
  private readonly cubes = new Map<string, Promise<CubeBuild>>();
  private readonly regimeMemo = new Map<string, Regime>();

  private constructor(
    readonly store: Store,
    readonly mode: Mode,
    readonly releases: ReleaseInfo[],
    readonly policies: PolicySet,
    readonly agreements: Agreement287gRow[] | null,
    readonly redactions: Map<string, RedactionRow[]>,
    readonly factSource: FactSource,
  ) {}

  static async create(store: Store, options: MetricsServiceOptions): Promise<MetricsService> {
    // The policy files are read and parsed (JavaScript's thread) while the queries below run
    // (DuckDB's threads): the server's first answer waits for both.
    trace('metrics: service');
    const policiesLoading = options.policies ? Promise.resolve(options.policies) : loadPolicies();
    policiesLoading.catch(() => {});
    void policiesLoading.then(() => trace('metrics: policies parsed'));
    const hasKind = (await store.queryRow<{ n: string }>(
      "SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'releases' AND column_name = 'kind'",
    ))?.n !== '0';
    const releases = await store.queryRows<ReleaseInfo & Record<string, unknown>>(
      `SELECT r.release_id, r.label, r.synthetic, strftime(r.created_at, '%Y-%m-%dT%H:%M:%S') AS created_at,
              ${hasKind ? "coalesce(r.kind, 'ice_release')" : "'ice_release'"} AS kind,
              (SELECT count(*) FROM detainers d WHERE d.release_id = r.release_id)::INTEGER AS detainers,
              (SELECT count(*) FROM arrests a WHERE a.release_id = r.release_id)::INTEGER AS arrests,
              (SELECT count(*) FROM removals m WHERE m.release_id = r.release_id)::INTEGER AS removals
       FROM releases r ORDER BY r.created_at, r.release_id`,
    );
    let agreements: Agreement287gRow[] | null = null;
    if (await store.hasRelation('agreements_287g')) {
      agreements = await store.queryRows<Agreement287gRow & Record<string, unknown>>(
        `SELECT state_postal, county_fips, agency, agency_type, support_type, status,
                strftime(signed_date, '%Y-%m-%d') AS signed_date, strftime(snapshot_date, '%Y-%m-%d') AS snapshot_date
         FROM agreements_287g ORDER BY snapshot_date, state_postal, agency`,
      );
    }
    const redactionRows = await store.queryRows<{ release_id: string; table: string; column_name: string; redacted: string; rows: string }>(
      `SELECT f.release_id, q.family AS "table", q.column_name, sum(q.redacted) AS redacted, sum(q.rows_read) AS rows
       FROM column_quality q JOIN source_files f USING (file_id)
       GROUP BY ALL HAVING sum(q.redacted) > 0 ORDER BY 1, 2, 3`,
    );
    const redactions = new Map<string, RedactionRow[]>();
    for (const r of redactionRows) {
      let list = redactions.get(r.release_id);
      if (!list) redactions.set(r.release_id, (list = []));
      list.push({ table: r.table, column_name: r.column_name, redacted: Number(r.redacted), rows: Number(r.rows) });
    }
    const spans = new Map<string, MonthSpan>();
    for (const [universe, table, column] of [['detainers', 'detainers', 'detainer_prepare_date'], ['arrests', 'arrests', 'apprehension_date'], ['removals', 'removals', 'departed_date']] as const) {
      const rows = await store.queryRows<{ release_id: string; first: string | null; last: string | null }>(
        `SELECT release_id, strftime(min(${column}), '%Y-%m') AS first, strftime(max(${column}), '%Y-%m') AS last
         FROM ${table} WHERE NOT coalesce(is_duplicate, false) AND ${column} IS NOT NULL GROUP BY release_id`,
      );
      for (const r of rows) if (r.first && r.last) spans.set(`${r.release_id}|${universe}`, { first: monthIndex(r.first), last: monthIndex(r.last) });
    }
    const factSource = await detainerFactSource(store);
    const service = new MetricsService(store, options.mode, releases, await policiesLoading, agreements, redactions, factSource);
    service.spans = spans;
    service.buildTimeoutMs = options.buildTimeoutMs ?? 120_000;
    service.useStored = options.useStored ?? true;
    trace('metrics: service ready');
    return service;
  }

  private buildTimeoutMs = 120_000;
  private spans = new Map<string, MonthSpan>();

  /**
   * The newer releases that cover months of this one, for a universe. Handoff publishes one release
   * per month (public mode): figures of two releases that overlap could be differenced into the
   * few records ICE revised between them, so the months a newer release covers are served from it
   * only. Real and synthetic releases never supersede each other (a difference between them says
   * nothing about any record).
   */
  supersessions(releaseId: string, universe: Universe): Supersession[] {
    const own = this.spans.get(`${releaseId}|${universe}`);
    const i = this.releases.findIndex((r) => r.release_id === releaseId);
    if (!own || i < 0) return [];
    const out: Supersession[] = [];
    for (const later of this.releases.slice(i + 1)) {
      if (later.synthetic !== this.releases[i]!.synthetic) continue;
      const span = this.spans.get(`${later.release_id}|${universe}`);
      if (!span || span.last < own.first || span.first > own.last) continue;
      out.push({ by: later, first: Math.max(span.first, own.first), last: Math.min(span.last, own.last) });
    }
    return out;
  }
  private useStored = true;

  get isSynthetic(): boolean {
    return this.releases.some((r) => r.synthetic);
  }

  release(id: string): ReleaseInfo | undefined {
    return this.releases.find((r) => r.release_id === id);
  }

  /** The newest release with records of the universe (releases overlap, so figures never mix them). */
  defaultRelease(universe: Universe): ReleaseInfo | undefined {
    const withRows = this.releases.filter((r) => Number(r[universe]) > 0);
    return withRows[withRows.length - 1];
  }

  /** Resolves the `release` parameter (or the default) for a universe. */
  resolveRelease(universe: Universe, requested: string | undefined): ReleaseInfo {
    if (requested !== undefined) {
      const r = this.release(requested);
      if (!r) {
        throw new HandoffError('not_found', `no release "${requested}" in this database; loaded: ${this.releases.map((x) => x.release_id).join(', ') || 'none'}`);
      }
      return r;
    }
    const r = this.defaultRelease(universe);
    if (!r) throw new HandoffError('not_found', `no release with ${universe} is loaded`);
    return r;
  }

  /** The regime in force for a county (or state) on a date, memoized. */
  regimeOf = (state: string | null, county: string | null, date: string): string => {
    if (!state) return 'no_data';
    const key = `${state}|${county ?? ''}|${date}`;
    let r = this.regimeMemo.get(key);
    if (r === undefined) {
      try {
        r = policyAt(this.policies, recordPlace(state, county), date).regime;
      } catch {
        r = 'no_data';
      }
      this.regimeMemo.set(key, r);
    }
    return r;
  };

  /** The cube of a release and universe, built once (concurrent callers share the build). */
  cube(releaseId: string, universe: Universe): Promise<CubeBuild> {
    const key = `${releaseId}|${universe}`;
    let p = this.cubes.get(key);
    if (!p) {
      p = this.buildCube(releaseId, universe);
      this.cubes.set(key, p);
      p.catch(() => this.cubes.delete(key));
    }
    return p;
  }

  /**
   * Builds the default cubes ahead of the first request, all at once: one cube's stored snapshot
   * is read (DuckDB's threads) while another is restored (JavaScript's).
   */
  async warm(): Promise<void> {
    await Promise.all(
      (['detainers', 'arrests', 'removals'] as const).map((u) => {
        const r = this.defaultRelease(u);
        return r ? this.cube(r.release_id, u) : undefined;
      }),
    );
  }

  private async buildCube(releaseId: string, universe: Universe): Promise<CubeBuild> {
    const started = performance.now();
    // The cube the pipeline counted and protected at ingest, when this code reads it the same way.
    if (this.useStored) {
      const stored = await this.withTimeout(() => readStoredCube(this.store, releaseId, universe));
      trace(`metrics: ${universe} snapshot read`);
      const cube = stored && Cube.restore(stored.snapshot, this.mode === 'public');
      trace(`metrics: ${universe} cube restored`);
      if (stored && cube) {
        if (cube.lastDate === null && cube.records > 0) {
          const span = await recordSpan(this.store, releaseId, universe, stored.source);
          cube.firstDate = span.first;
          cube.lastDate = span.last;
        }
        return { cube, source: stored.source, excludedUndated: stored.excludedUndated, built_ms: Math.round(performance.now() - started) };
      }
    }
    // Counting from the records runs one cube at a time, each with the whole time limit.
    const run = this.counting.then(() => this.withTimeout(() => this.countCube(releaseId, universe, started)));
    this.counting = run.catch(() => {});
    return run;
  }

  /** Cubes counted from the records wait here for the one before. */
  private counting: Promise<unknown> = Promise.resolve();

  /** Runs `fn`, interrupting DuckDB's statement if it takes longer than the build time limit. */
  private async withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    const timer = setTimeout(() => this.store.connection.interrupt(), this.buildTimeoutMs);
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
    }
  }

  private async countCube(releaseId: string, universe: Universe, started: number): Promise<CubeBuild> {
    const loaded =
      universe === 'detainers' ? await loadDetainerFacts(this.store, releaseId) : universe === 'arrests' ? await loadArrestFacts(this.store, releaseId) : await loadRemovalFacts(this.store, releaseId);
    // The protection the pipeline stored at ingest, when it is of these very cells.
    const stored = this.mode === 'public' && this.useStored ? await readStoredProtection(this.store, releaseId, universe) : undefined;
    const cube = Cube.build(loaded.facts, {
      universe,
      releaseId,
      suppress: this.mode === 'public',
      regimeOf: universe === 'detainers' ? this.regimeOf : undefined,
      stored,
    });
    return { cube, source: loaded.source, excludedUndated: loaded.excludedUndated, built_ms: Math.round(performance.now() - started) };
  }
}
