/**
 * Which cell styles are dates: styles.xml `cellXfs` -> numFmtId -> built-in date ids or a custom
 * format code with date/time tokens. Only that question is answered; fonts and fills are ignored.
 */
import { attr, child, type XmlElement } from './xml.ts';

/** Built-in number formats that Excel shows as dates or times (ECMA-376 18.8.30 and the CJK ids). */
function isBuiltinDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/**
 * True when a custom format code shows a date or time: it has d, m, y, h or s outside quoted text,
 * brackets (colours, locales, conditions), escaped characters and fill/padding markers.
 */
export function isDateFormatCode(code: string): boolean {
  // Only the first section decides (a positive number's format); others are for negatives and zero.
  let s = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '"') {
      const close = code.indexOf('"', i + 1);
      i = close < 0 ? code.length : close;
    } else if (ch === '[') {
      const close = code.indexOf(']', i + 1);
      const inner = code.slice(i + 1, close < 0 ? code.length : close);
      // Elapsed-time brackets ([h], [mm], [ss]) are time tokens; colours and locales are not.
      if (/^(h+|m+|s+)$/i.test(inner)) s += inner;
      i = close < 0 ? code.length : close;
    } else if (ch === '\\' || ch === '_' || ch === '*') {
      i++;
    } else if (ch === ';') {
      break;
    } else {
      s += ch;
    }
  }
  return /[dmyhs]/i.test(s) && !/^general$/i.test(s.trim());
}

/** Per cellXfs index, 1 when numbers in that style are dates. */
export function readDateStyles(styleSheet: XmlElement | undefined): Uint8Array {
  if (!styleSheet) return new Uint8Array(0);
  const custom = new Map<number, string>();
  const numFmts = child(styleSheet, 'numFmts');
  for (const f of numFmts?.children ?? []) {
    if (f.name !== 'numFmt') continue;
    const id = Number(attr(f, 'numFmtId'));
    const code = attr(f, 'formatCode');
    if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
  }
  const xfs = child(styleSheet, 'cellXfs')?.children.filter((c) => c.name === 'xf') ?? [];
  const out = new Uint8Array(xfs.length);
  xfs.forEach((xf, i) => {
    const id = Number(attr(xf, 'numFmtId') ?? '0');
    const code = custom.get(id);
    out[i] = (code !== undefined ? isDateFormatCode(code) : isBuiltinDateFormat(id)) ? 1 : 0;
  });
  return out;
}
