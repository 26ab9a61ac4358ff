/**
 * Corruption fuzzing: truncations and bit flips of a small valid workbook must either fail with a
 * HandoffError or read back exactly the original rows (the flip hit a byte that does not matter).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../core/errors.ts';
import { writeXlsx, XlsxWorkbook } from './index.ts';
import { prng } from '../../test/helpers/prng.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


async function readEverything(file: string): Promise<unknown> {
  const wb = await XlsxWorkbook.open(file);
  const out: unknown[] = [wb.date1904, wb.sheets];
  for (const s of wb.sheets) out.push(await wb.readAll(s.name));
  return out;
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

async function attempt(buf: Buffer, file: string): Promise<Outcome> {
  writeFileSync(file, buf);
  try {
    return { ok: true, value: await readEverything(file) };
  } catch (e) {
    if (!isHandoffError(e)) throw new Error(`non-HandoffError: ${String(e)}`, { cause: e });
    return { ok: false, code: e.code };
  }
}

let original: Buffer;
let expected: unknown;
const file = path.join(dir, 'victim.xlsx');

beforeAll(async () => {
  const src = path.join(dir, 'source.xlsx');
  await writeXlsx(src, [
    { name: 'Detainers', rows: [['Prepare Date', 'State', 'Count'], ...Array.from({ length: 30 }, (_, i) => [{ date: `2024-01-${String((i % 28) + 1).padStart(2, '0')}` }, i % 3 ? 'TEXAS' : 'b(6), b(7)c', i])] },
    { name: 'Notes', rows: [['a & b'], [null, 'x']] },
  ]);
  original = readFileSync(src);
  expected = await readEverything(src);
});

describe('corruption fuzzing', () => {
  it('every truncation fails cleanly', async () => {
    const step = Math.max(1, Math.floor(original.length / 150));
    for (let len = 0; len < original.length; len += step) {
      const r = await attempt(original.subarray(0, len), file);
      expect(r.ok, `truncated to ${len} bytes`).toBe(false);
    }
  });

  it('random bit flips fail cleanly or change nothing', async () => {
    const rnd = prng(20250626);
    let failures = 0;
    const cases = 400;
    for (let i = 0; i < cases; i++) {
      const buf = Buffer.from(original);
      const flips = 1 + Math.floor(rnd() * 3);
      for (let f = 0; f < flips; f++) buf[Math.floor(rnd() * buf.length)]! ^= 1 << Math.floor(rnd() * 8);
      const r = await attempt(buf, file);
      if (r.ok) expect(r.value, `case ${i}`).toEqual(expected);
      else failures++;
    }
    // Most bytes are compressed data guarded by CRC-32: most flips must be detected.
    expect(failures).toBeGreaterThan(cases / 2);
  });

  it('random byte overwrites inside the sheet data are detected', async () => {
    const rnd = prng(7);
    for (let i = 0; i < 100; i++) {
      const buf = Buffer.from(original);
      const at = 100 + Math.floor(rnd() * (buf.length / 2));
      buf[at] = (buf[at]! + 1 + Math.floor(rnd() * 255)) & 0xff;
      const r = await attempt(buf, file);
      if (r.ok) expect(r.value).toEqual(expected);
    }
  });
});
