/**
 * Byte-level XML helpers shared by the part readers. Not a general XML parser: it knows elements,
 * attributes, text, CDATA, comments and processing instructions, refuses DTDs (the door to entity
 * expansion attacks), and decodes only XML's five named entities and numeric references.
 */
import { HandoffError, type InputLocation } from '../core/errors.ts';

export const LT = 0x3c;
export const GT = 0x3e;
export const SLASH = 0x2f;
export const QUOTE = 0x22;
export const APOS = 0x27;
export const EQ = 0x3d;
export const COLON = 0x3a;
export const BANG = 0x21;
export const QMARK = 0x3f;

/** Thrown (never escapes a reader) when a construct runs past the end of the bytes in hand. */
export const NEED_MORE: unique symbol = Symbol('need more input');

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Returns a HandoffError with `location` filled in where the original did not know it. */
export function withLocation(err: unknown, location: InputLocation): unknown {
  if (!(err instanceof HandoffError)) return err;
  const merged: InputLocation = { ...location, ...definedOnly(err.location) };
  const out = new HandoffError(err.code, err.message, { location: merged, cause: err.cause });
  if (err.details) Object.assign(out, { details: err.details });
  return out;
}

function definedOnly(loc: InputLocation | undefined): InputLocation {
  const out: InputLocation = {};
  if (!loc) return out;
  if (loc.file !== undefined) out.file = loc.file;
  if (loc.sheet !== undefined) out.sheet = loc.sheet;
  if (loc.row !== undefined) out.row = loc.row;
  if (loc.column !== undefined) out.column = loc.column;
  return out;
}

export function malformed(message: string): HandoffError {
  return new HandoffError('malformed_xml', message);
}

/**
 * Handles `<!`: skips comments, refuses DOCTYPE/ENTITY. Returns the position after the construct, or
 * throws NEED_MORE. CDATA is not handled here (callers that accept text do it).
 */
export function skipBang(buf: Buffer, p: number, end: number): number {
  // p points at '<', buf[p+1] === '!'
  if (p + 4 > end) throw NEED_MORE;
  if (buf[p + 2] === 0x2d && buf[p + 3] === 0x2d) {
    const close = buf.indexOf('-->', p + 4, 'latin1');
    if (close < 0 || close + 3 > end) throw NEED_MORE;
    return close + 3;
  }
  if (p + 9 > end) throw NEED_MORE;
  const word = buf.toString('latin1', p + 2, p + 9).toUpperCase();
  if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
    throw new HandoffError('hostile_xml', 'XML entity declarations are not allowed (found <!DOCTYPE or <!ENTITY)');
  }
  if (word.startsWith('[CDATA[')) {
    const close = buf.indexOf(']]>', p + 9, 'latin1');
    if (close < 0 || close + 3 > end) throw NEED_MORE;
    return close + 3;
  }
  throw malformed('unexpected "<!" markup');
}

/** Skips `<?...?>`. */
export function skipPi(buf: Buffer, p: number, end: number): number {
  const close = buf.indexOf('?>', p + 2, 'latin1');
  if (close < 0 || close + 2 > end) throw NEED_MORE;
  return close + 2;
}

/** Position of the `>` that closes the tag whose name ends at `p`, skipping quoted attribute values. */
export function findTagEnd(buf: Buffer, p: number, end: number): number {
  let i = p;
  while (i < end) {
    const c = buf[i]!;
    if (c === GT) return i;
    if (c === QUOTE || c === APOS) {
      const j = buf.indexOf(c, i + 1);
      if (j < 0 || j >= end) throw NEED_MORE;
      i = j + 1;
    } else if (c === LT) {
      throw malformed('"<" inside a tag');
    } else {
      i++;
    }
  }
  throw NEED_MORE;
}

/** End of an XML name starting at `p` (stops at space, '/', '>', '='). */
export function nameEnd(buf: Buffer, p: number, end: number): number {
  let i = p;
  while (i < end) {
    const c = buf[i]!;
    if (c === GT || c === SLASH || c === EQ || isSpace(c)) return i;
    if (c === LT || c === QUOTE || c === APOS) throw malformed('bad character in an element or attribute name');
    i++;
  }
  throw NEED_MORE;
}

/** Start of the local part of a qualified name in [s, e). */
export function localStart(buf: Buffer, s: number, e: number): number {
  for (let i = e - 1; i >= s; i--) if (buf[i] === COLON) return i + 1;
  return s;
}

/** A start or end tag read by {@link readTag}. */
export interface Tag {
  kind: 'start' | 'end';
  /** Local name (namespace prefix dropped). */
  name: string;
  selfClosing: boolean;
  /** Attributes by qualified name (e.g. `r:id`) with values decoded. */
  attrs: Map<string, string>;
  /** Position just after the tag. */
  next: number;
}

/** Reads the tag at `p` (buf[p] === '<', not `<!` or `<?`). */
export function readTag(buf: Buffer, p: number, end: number): Tag {
  let i = p + 1;
  const isEnd = buf[i] === SLASH;
  if (isEnd) i++;
  if (i >= end) throw NEED_MORE;
  const ne = nameEnd(buf, i, end);
  if (ne === i) throw malformed('element without a name');
  const name = buf.toString('utf8', localStart(buf, i, ne), ne);
  const gt = findTagEnd(buf, ne, end);
  const attrs = new Map<string, string>();
  let selfClosing = false;
  let k = ne;
  while (k < gt) {
    const c = buf[k]!;
    if (isSpace(c)) {
      k++;
      continue;
    }
    if (c === SLASH && k === gt - 1) {
      selfClosing = true;
      break;
    }
    const an = nameEnd(buf, k, gt + 1);
    if (an === k) throw malformed('bad attribute syntax');
    const aname = buf.toString('utf8', k, an);
    let v = an;
    while (v < gt && isSpace(buf[v])) v++;
    if (buf[v] !== EQ) throw malformed(`attribute ${aname} has no value`);
    v++;
    while (v < gt && isSpace(buf[v])) v++;
    const q = buf[v];
    if (q !== QUOTE && q !== APOS) throw malformed(`attribute ${aname} value is not quoted`);
    const close = buf.indexOf(q, v + 1);
    if (close < 0 || close > gt) throw malformed(`attribute ${aname} value is not closed`);
    attrs.set(aname, decodeText(buf, v + 1, close, true));
    k = close + 1;
  }
  if (isEnd && (selfClosing || attrs.size > 0)) throw malformed('end tag with attributes');
  return { kind: isEnd ? 'end' : 'start', name, selfClosing, attrs, next: gt + 1 };
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes XML character data in [s, e): UTF-8, line-end normalization (as any XML parser does, so
 * that a raw CR in the file does not survive while `&#13;` does), and entity references.
 */
export function decodeText(buf: Buffer, s: number, e: number, isAttr = false): string {
  let text = buf.toString('utf8', s, e);
  if (text.indexOf('\r') >= 0) text = text.replace(/\r\n?/g, '\n');
  if (isAttr && /[\t\n]/.test(text)) text = text.replace(/[\t\n]/g, ' ');
  return text.indexOf('&') >= 0 ? decodeEntities(text) : text;
}

/** Expands `&amp;`-style and numeric character references; unknown names are malformed XML. */
export function decodeEntities(text: string): string {
  let out = '';
  let last = 0;
  let amp = text.indexOf('&');
  while (amp >= 0) {
    const semi = text.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) throw malformed('"&" that does not start an entity reference');
    const ref = text.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.charCodeAt(0) === 0x23) {
      const hex = ref.charCodeAt(1) === 0x78;
      const digits = ref.slice(hex ? 2 : 1);
      const ok = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
      const cp = ok ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!ok || !isXmlChar(cp)) throw malformed(`bad character reference &${ref};`);
      ch = String.fromCodePoint(cp);
    } else {
      ch = NAMED[ref];
      if (ch === undefined) throw malformed(`unknown entity &${ref.slice(0, 20)};`);
    }
    out += text.slice(last, amp) + ch;
    last = semi + 1;
    amp = text.indexOf('&', last);
  }
  return out + text.slice(last);
}

function isXmlChar(cp: number): boolean {
  if (cp === 0x9 || cp === 0xa || cp === 0xd) return true;
  if (cp < 0x20) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0xfffe || cp === 0xffff) return false;
  return cp <= 0x10ffff;
}

const ESCAPE_RE = /_x([0-9A-Fa-f]{4})_/g;

/** Decodes OOXML's `_xHHHH_` escapes (how Excel stores control characters such as CR). */
export function decodeOoxmlEscapes(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(ESCAPE_RE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A small element tree, for parts that are small enough to hold (workbook, rels, styles). */
export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
}

/** Parses a whole small part into a tree, ignoring text. */
export function parseTree(buf: Buffer): XmlElement {
  const end = buf.length;
  let p = skipBom(buf);
  const root: XmlElement = { name: '#document', attrs: new Map(), children: [] };
  const stack: XmlElement[] = [root];
  try {
    while (p < end) {
      const lt = buf.indexOf(LT, p);
      if (lt < 0) break;
      const c = buf[lt + 1];
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
        const top = stack.pop();
        if (!top || top.name !== tag.name || stack.length === 0) throw malformed(`unexpected </${tag.name}>`);
        continue;
      }
      const el: XmlElement = { name: tag.name, attrs: tag.attrs, children: [] };
      stack[stack.length - 1]!.children.push(el);
      if (!tag.selfClosing) stack.push(el);
    }
  } catch (e) {
    if (e === NEED_MORE) throw malformed('XML ends in the middle of a tag');
    throw e;
  }
  if (stack.length !== 1) throw malformed(`XML ends before </${stack[stack.length - 1]!.name}>`);
  const top = root.children[0];
  if (!top || root.children.length > 1) throw malformed('XML must have exactly one root element');
  return top;
}

/** Skips a UTF-8 byte order mark; refuses UTF-16, which no spreadsheet writer we know of uses. */
export function skipBom(buf: Buffer): number {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 3;
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw malformed('UTF-16 XML is not supported');
  }
  return 0;
}

/** First child element with the given local name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Attribute by local name, ignoring any prefix (`r:id` matches `id` only when `prefixed`). */
export function attr(el: XmlElement, name: string, prefixed = false): string | undefined {
  if (!prefixed) return el.attrs.get(name);
  for (const [k, v] of el.attrs) {
    const colon = k.indexOf(':');
    if (colon > 0 && k.slice(colon + 1) === name && !k.startsWith('xmlns')) return v;
  }
  return undefined;
}
