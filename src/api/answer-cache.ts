/**
 * A bounded cache of rendered answers, least recently used out first.
 *
 * Does: keep answers under a limit on their number and on their total length (characters; rendered
 * JSON and CSV are nearly all ASCII, so about bytes); move an answer to the back on every hit.
 * Does not: know what the answers are or when they go stale (one cache per database generation does).
 */

export class AnswerCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxChars: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Total length of the answers held, characters. */
  get chars(): number {
    return this.total;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Stores `value` of `size` characters; an answer larger than the whole budget is not kept. */
  set(key: string, value: V, size: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.total -= old.size;
    }
    if (size > this.maxChars) return;
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.total <= this.maxChars) break;
      this.entries.delete(k);
      this.total -= e.size;
    }
  }
}
