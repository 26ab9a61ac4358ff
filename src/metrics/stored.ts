/**
 * A cube as the pipeline stores it in `published_cubes`: its protection (migration 011: the withheld
 * cells' ids, delta-encoded, with their bounds) and the whole counted cube (migration 012: slots,
 * places, periods, counts, day values), each deflated and base64-encoded into one text value.
 * Reading them lets the server answer its first request without reading or counting the records.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { Store } from '../store/index.ts';
import type { CubeSnapshot, StoredProtection, SuppressionStats } from './cube.ts';
import type { Universe } from './dimensions.ts';
import type { FactSource } from './facts.ts';

/** Upper bounds are integers or infinite; infinite is written as -1. */
export function encodeProtection(p: StoredProtection): string {
  const n = p.cells.length;
  const ints = new Int32Array(1 + 3 * n);
  ints[0] = n;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    ints[1 + i] = p.cells[i]! - prev;
    prev = p.cells[i]!;
    ints[1 + n + i] = p.low[i]!;
    ints[1 + 2 * n + i] = Number.isFinite(p.high[i]!) ? p.high[i]! : -1;
  }
  return deflateSync(new Uint8Array(ints.buffer)).toString('base64');
}

export function decodeProtection(text: string, fingerprint: string, stats: SuppressionStats): StoredProtection {
  const bytes = inflateSync(Buffer.from(text, 'base64'));
  const ints = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const n = ints[0]!;
  const cells = new Int32Array(n);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    prev += ints[1 + i]!;
    cells[i] = prev;
    low[i] = ints[1 + n + i]!;
    const h = ints[1 + 2 * n + i]!;
    high[i] = h < 0 ? Number.POSITIVE_INFINITY : h;
  }
  return { fingerprint, stats, cells, low, high };
}

/** The stored protection of a release's cube, or undefined (none, or a database from before migration 011). */
export async function readStoredProtection(store: Store, releaseId: string, universe: Universe): Promise<StoredProtection | undefined> {
  if (!(await store.hasRelation('published_cubes'))) return undefined;
  const row = await store.queryRow<{ fingerprint: string; stats: string; withheld: string }>(
    'SELECT fingerprint, stats, withheld FROM published_cubes WHERE release_id = $1 AND universe = $2 ORDER BY built_at DESC LIMIT 1',
    [releaseId, universe],
  );
  if (!row) return undefined;
  return decodeProtection(row.withheld, row.fingerprint, JSON.parse(row.stats) as SuppressionStats);
}

/** A stored cube: its snapshot and what the records' reader said about them. */
export interface StoredCube {
  snapshot: CubeSnapshot;
  source: FactSource;
  excludedUndated: number;
}

const SNAPSHOT_FORMAT = 1;

type Section = { name: string; array: Int32Array | Float64Array };

/** Encodes a snapshot: a JSON header, then its typed arrays, deflated (fast level) and base64. */
export function encodeSnapshot(stored: StoredCube): string {
  const { snapshot: s } = stored;
  const integral = s.days.values.every((x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31);
  const sections: Section[] = [
    { name: 'groupUnit', array: s.groupUnit },
    { name: 'counts', array: s.counts },
    { name: 'days.group', array: s.days.group },
    { name: 'days.slot', array: s.days.slot },
    { name: 'days.length', array: s.days.length },
    { name: 'days.values', array: integral ? Int32Array.from(s.days.values) : s.days.values },
  ];
  if (s.protection) {
    const p = s.protection;
    sections.push(
      { name: 'protection.cells', array: p.cells },
      { name: 'protection.low', array: Int32Array.from(p.low) },
      { name: 'protection.high', array: Int32Array.from(p.high, (h) => (Number.isFinite(h) ? h : -1)) },
    );
  }
  const header = {
    format: SNAPSHOT_FORMAT,
    layout: s.layout,
    universe: s.universe,
    releaseId: s.releaseId,
    records: s.records,
    firstMonth: s.firstMonth,
    lastMonth: s.lastMonth,
    firstDate: s.firstDate ?? null,
    lastDate: s.lastDate ?? null,
    slots: s.slots,
    units: s.units,
    periodMonths: s.periodMonths,
    groupPeriod: s.groupPeriod,
    protection: s.protection ? { fingerprint: s.protection.fingerprint, stats: s.protection.stats } : null,
    source: stored.source,
    excludedUndated: stored.excludedUndated,
    sections: sections.map((x) => ({ name: x.name, type: x.array instanceof Int32Array ? 'i32' : 'f64', length: x.array.length })),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - ((4 + head.length) % 8)) % 8;
  const parts: Buffer[] = [Buffer.from(Uint32Array.of(head.length).buffer), head, Buffer.alloc(pad)];
  for (const x of sections) {
    parts.push(Buffer.from(x.array.buffer, x.array.byteOffset, x.array.byteLength));
    if (x.array.byteLength % 8) parts.push(Buffer.alloc(8 - (x.array.byteLength % 8)));
  }
  return deflateSync(Buffer.concat(parts), { level: 1 }).toString('base64');
}

/** Decodes `encodeSnapshot`'s text; undefined for another format. */
export function decodeSnapshot(text: string): StoredCube | undefined {
  const bytes = inflateSync(Buffer.from(text, 'base64'));
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as {
    format: number;
    sections: { name: string; type: 'i32' | 'f64'; length: number }[];
    protection: { fingerprint: string; stats: SuppressionStats } | null;
    source: FactSource;
    excludedUndated: number;
  } & Omit<CubeSnapshot, 'groupUnit' | 'counts' | 'days' | 'protection'>;
  if (header.format !== SNAPSHOT_FORMAT) return undefined;
  let offset = 4 + headLength;
  offset += (8 - (offset % 8)) % 8;
  // Every section is a view of the inflated bytes. They need 8-byte alignment: inflate's own buffer
  // has it when it starts its ArrayBuffer at a multiple of 8 (a large output does); else one copy.
  let aligned: Uint8Array = bytes;
  if (bytes.byteOffset % 8 !== 0) {
    aligned = new Uint8Array(bytes.length);
    aligned.set(bytes);
  }
  const arrays = new Map<string, Int32Array | Float64Array>();
  for (const sec of header.sections) {
    const size = sec.type === 'i32' ? 4 : 8;
    const at = aligned.byteOffset + offset;
    arrays.set(sec.name, sec.type === 'i32' ? new Int32Array(aligned.buffer, at, sec.length) : new Float64Array(aligned.buffer, at, sec.length));
    offset += sec.length * size;
    offset += (8 - (offset % 8)) % 8;
  }
  const i32 = (name: string) => arrays.get(name) as Int32Array;
  const values = arrays.get('days.values')!;
  let protection: StoredProtection | undefined;
  if (header.protection) {
    const high = i32('protection.high');
    protection = {
      fingerprint: header.protection.fingerprint,
      stats: header.protection.stats,
      cells: i32('protection.cells'),
      low: Float64Array.from(i32('protection.low')),
      high: Float64Array.from(high, (h) => (h < 0 ? Number.POSITIVE_INFINITY : h)),
    };
  }
  return {
    source: header.source,
    excludedUndated: header.excludedUndated,
    snapshot: {
      layout: header.layout,
      universe: header.universe,
      releaseId: header.releaseId,
      records: header.records,
      firstMonth: header.firstMonth,
      lastMonth: header.lastMonth,
      firstDate: header.firstDate ?? null,
      lastDate: header.lastDate ?? null,
      slots: header.slots,
      units: header.units,
      periodMonths: header.periodMonths,
      groupUnit: i32('groupUnit'),
      groupPeriod: header.groupPeriod,
      counts: i32('counts'),
      days: { group: i32('days.group'), slot: i32('days.slot'), length: i32('days.length'), values: values instanceof Float64Array ? values : Float64Array.from(values) },
      protection,
    },
  };
}

/** The stored cube of a release, or undefined (none, or written before migration 012). */
export async function readStoredCube(store: Store, releaseId: string, universe: Universe): Promise<StoredCube | undefined> {
  if (!(await store.hasRelation('published_cubes'))) return undefined;
  const hasColumn = await store.queryRow<{ n: string }>(
    "SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'published_cubes' AND column_name = 'snapshot'",
  );
  if (hasColumn?.n === '0') return undefined;
  const row = await store.queryRow<{ snapshot: string | null }>(
    'SELECT snapshot FROM published_cubes WHERE release_id = $1 AND universe = $2 ORDER BY built_at DESC LIMIT 1',
    [releaseId, universe],
  );
  return row?.snapshot ? decodeSnapshot(row.snapshot) : undefined;
}
