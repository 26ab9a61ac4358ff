/**
 * Joins streamed chunks so a parser always sees whole constructs (a row, a shared string) without the
 * whole part ever being one buffer or string. A construct cut by a chunk boundary is re-parsed from
 * its start once more data is in; retries wait until the new data is at least as large as the carried
 * tail, so even a huge row costs amortized linear time.
 */
import { HandoffError } from '../core/errors.ts';

/** Largest single construct (one row, one shared string) we will buffer. */
export const MAX_CONSTRUCT_BYTES = 256 * 1024 * 1024;

export class ChunkJoiner {
  private carry: Buffer | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds a chunk; returns the buffer to parse now, or null to wait for more. */
  push(chunk: Buffer): Buffer | null {
    if (!this.carry || this.carry.length === 0) {
      if (this.pending.length === 0) return chunk;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.carry && this.pendingBytes < this.carry.length) return null;
    return this.take();
  }

  /** Everything not yet consumed, for the final parse. */
  rest(): Buffer {
    return this.take();
  }

  /** Records that the parser consumed `n` bytes of `buf`; the rest is carried. */
  consumed(buf: Buffer, n: number): void {
    const tail = buf.length - n;
    if (tail > MAX_CONSTRUCT_BYTES) {
      throw new HandoffError('too_large', `a single row or string is larger than ${MAX_CONSTRUCT_BYTES} bytes of XML`);
    }
    // Copy small tails so the carry does not pin a whole inflate chunk in memory.
    this.carry = tail === 0 ? null : tail < 65_536 ? Buffer.from(buf.subarray(n)) : buf.subarray(n);
  }

  private take(): Buffer {
    const parts = this.carry ? [this.carry, ...this.pending] : this.pending;
    const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.carry = null;
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }
}
