/**
 * Reads xl/sharedStrings.xml into an array, streaming: rich-text runs are concatenated, phonetic runs
 * (<rPh>) dropped, `_xHHHH_` escapes decoded. Strings are held in memory (213k strings is a few MB),
 * so their number and total length are capped (`maxSharedStrings`, `maxSharedStringChars`).
 */
import { HandoffError } from '../core/errors.ts';
import type { InputLimits } from '../core/config.ts';
import { ChunkJoiner } from './chunks.ts';
import {
  BANG, LT, NEED_MORE, QMARK, decodeOoxmlEscapes, decodeText, malformed, readTag, skipBang, skipBom, skipPi,
} from './xml.ts';

type SstLimits = Pick<InputLimits, 'maxSharedStrings' | 'maxCellChars'> & Partial<Pick<InputLimits, 'maxSharedStringChars'>>;

/** Parses a shared-strings part from its byte stream. */
export async function readSharedStrings(
  chunks: AsyncIterable<Buffer>,
  limits: SstLimits,
): Promise<string[]> {
  const strings: string[] = [];
  const joiner = new ChunkJoiner();
  const state: SstState = { phase: 0, first: true, chars: 0 };
  for await (const chunk of chunks) {
    const buf = joiner.push(chunk);
    if (!buf) continue;
    joiner.consumed(buf, parseSst(buf, state, strings, limits, false));
  }
  const rest = joiner.rest();
  const used = parseSst(rest, state, strings, limits, true);
  if (state.phase !== 2 || used < rest.length) throw malformed('sharedStrings.xml ends early');
  return strings;
}

interface SstState {
  /** 0 before <sst>, 1 inside, 2 after </sst>. */
  phase: number;
  first: boolean;
  /** Characters of the strings read so far. */
  chars: number;
}

function parseSst(
  buf: Buffer,
  state: SstState,
  strings: string[],
  limits: SstLimits,
  final: boolean,
): number {
  const end = buf.length;
  let p = 0;
  if (state.first && end > 0) {
    p = skipBom(buf);
    state.first = false;
  }
  let mark = p;
  try {
    while (p < end) {
      if (state.phase === 2) return end;
      const lt = buf.indexOf(LT, p);
      if (lt < 0) return end;
      mark = lt;
      const c = buf[lt + 1];
      if (c === undefined) throw NEED_MORE;
      if (c === BANG) {
        p = skipBang(buf, lt, end);
        continue;
      }
      if (c === QMARK) {
        p = skipPi(buf, lt, end);
        continue;
      }
      const tag = readTag(buf, lt, end);
      if (state.phase === 0) {
        if (tag.kind === 'start' && tag.name === 'sst') state.phase = tag.selfClosing ? 2 : 1;
        else throw malformed(`sharedStrings.xml: expected <sst>, found <${tag.kind === 'end' ? '/' : ''}${tag.name}>`);
        p = tag.next;
        continue;
      }
      if (tag.kind === 'end') {
        if (tag.name !== 'sst') throw malformed(`sharedStrings.xml: unexpected </${tag.name}>`);
        state.phase = 2;
        p = tag.next;
        continue;
      }
      if (tag.name === 'si') {
        let text = '';
        if (tag.selfClosing) p = tag.next;
        else {
          const item = readStringItem(buf, tag.next, end, 'si');
          text = item.text;
          p = item.next;
        }
        if (text.length > limits.maxCellChars) {
          throw new HandoffError('too_large', `shared string ${strings.length} has ${text.length} characters, more than ${limits.maxCellChars}`);
        }
        if (strings.length >= limits.maxSharedStrings) {
          throw new HandoffError('too_large', `more than ${limits.maxSharedStrings} shared strings (the limit maxSharedStrings)`);
        }
        state.chars += text.length;
        if (limits.maxSharedStringChars !== undefined && state.chars > limits.maxSharedStringChars) {
          throw new HandoffError('too_large', `the shared strings hold more than ${limits.maxSharedStringChars} characters in all (the limit maxSharedStringChars)`);
        }
        strings.push(text);
      } else {
        p = skipElement(buf, tag.next, end, tag.name, tag.selfClosing);
      }
    }
    return end;
  } catch (e) {
    if (e !== NEED_MORE) throw e;
    if (final) throw malformed('sharedStrings.xml ends in the middle of an element');
    return mark;
  }
}

/**
 * Reads the text of a string item (`<si>` or an inline `<is>`) starting just after its start tag:
 * the `<t>` elements, directly or inside `<r>` runs, but not those of phonetic `<rPh>` runs.
 */
export function readStringItem(
  buf: Buffer,
  p: number,
  end: number,
  closeName: string,
  direct = false,
): { text: string; next: number } {
  const stack: string[] = [];
  let text = '';
  let skipDepth = 0;
  while (true) {
    const lt = buf.indexOf(LT, p);
    if (lt < 0 || lt >= end) throw NEED_MORE;
    const collecting = skipDepth === 0 && (direct ? stack.length === 0 : stack[stack.length - 1] === 't');
    if (lt > p && collecting) {
      text += decodeText(buf, p, lt);
    }
    const c = buf[lt + 1];
    if (c === undefined) throw NEED_MORE;
    if (c === BANG) {
      if (buf.toString('latin1', lt + 2, Math.min(lt + 9, end)) === '[CDATA[') {
        const close = buf.indexOf(']]>', lt + 9, 'latin1');
        if (close < 0 || close + 3 > end) throw NEED_MORE;
        if (collecting) text += buf.toString('utf8', lt + 9, close);
        p = close + 3;
      } else {
        p = skipBang(buf, lt, end);
      }
      continue;
    }
    if (c === QMARK) {
      p = skipPi(buf, lt, end);
      continue;
    }
    const tag = readTag(buf, lt, end);
    p = tag.next;
    if (tag.kind === 'end') {
      if (stack.length === 0) {
        if (tag.name !== closeName) throw malformed(`unexpected </${tag.name}> in a string`);
        return { text: direct ? text : decodeOoxmlEscapes(text), next: p };
      }
      const top = stack.pop();
      if (top !== tag.name) throw malformed(`mismatched </${tag.name}> in a string`);
      if (top === 'rPh' || top === 'rPr') skipDepth--;
      continue;
    }
    if (tag.selfClosing) continue;
    stack.push(tag.name);
    if (tag.name === 'rPh' || tag.name === 'rPr') skipDepth++;
  }
}

/** Skips past the end of an element whose start tag ended at `p`. */
export function skipElement(buf: Buffer, p: number, end: number, name: string, selfClosing: boolean): number {
  if (selfClosing) return p;
  let depth = 1;
  while (true) {
    const lt = buf.indexOf(LT, p);
    if (lt < 0 || lt >= end) throw NEED_MORE;
    const c = buf[lt + 1];
    if (c === undefined) throw NEED_MORE;
    if (c === BANG) {
      p = skipBang(buf, lt, end);
      continue;
    }
    if (c === QMARK) {
      p = skipPi(buf, lt, end);
      continue;
    }
    const tag = readTag(buf, lt, end);
    p = tag.next;
    if (tag.kind === 'end') {
      depth--;
      if (depth === 0) {
        if (tag.name !== name) throw malformed(`<${name}> closed by </${tag.name}>`);
        return p;
      }
    } else if (!tag.selfClosing) depth++;
  }
}
