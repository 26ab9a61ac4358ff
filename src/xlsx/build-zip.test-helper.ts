/**
 * Test helper: builds small zips and workbooks in memory, with knobs to lie (sizes, CRC, flags) so the
 * reader's defences can be exercised without binary fixtures.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface FixtureEntry {
  name: string;
  data: Buffer | string;
  method?: 0 | 8;
  flags?: number;
  /** Overrides the declared uncompressed size. */
  declaredSize?: number;
  /** Overrides the CRC-32. */
  crc?: number;
  /** Already-compressed bytes to store instead of compressing `data`. */
  raw?: Buffer;
}

export function buildZip(entries: FixtureEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const method = e.method ?? 8;
    const body = e.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? crc32(data);
    const size = e.declaredSize ?? data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(e.flags ?? 0, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(e.flags ?? 0, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc >>> 0, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Wraps `<row>` elements in a worksheet. */
export function sheetXml(rows: string, prefix = ''): string {
  const p = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  return `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet ${ns}><${p}sheetData>${rows}</${p}sheetData></${p}worksheet>`;
}

export interface WorkbookParts {
  sheets: { name: string; xml: string }[];
  sst?: string[] | string;
  styles?: string;
  workbookPr?: string;
  /** Extra or replacement entries. */
  extra?: FixtureEntry[];
  absoluteTargets?: boolean;
}

/** Builds a minimal workbook zip from raw part XML. */
export function buildWorkbook(parts: WorkbookParts): Buffer {
  const entries: FixtureEntry[] = [];
  const target = (t: string): string => (parts.absoluteTargets ? `/xl/${t}` : t);
  entries.push({
    name: '_rels/.rels',
    data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  });
  const sheetEls = parts.sheets
    .map((s, i) => `<sheet name="${s.name.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  entries.push({
    name: 'xl/workbook.xml',
    data: `<workbook xmlns="${MAIN}" xmlns:r="${REL}">${parts.workbookPr ?? ''}<sheets>${sheetEls}</sheets></workbook>`,
  });
  let rels = parts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`).join('');
  rels += `<Relationship Id="rIdS" Type="${REL}/styles" Target="${target('styles.xml')}"/>`;
  rels += `<Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="${target('sharedStrings.xml')}"/>`;
  entries.push({ name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>` });
  if (parts.sst !== undefined) {
    const sst = typeof parts.sst === 'string' ? parts.sst : `<sst xmlns="${MAIN}">${parts.sst.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`;
    entries.push({ name: 'xl/sharedStrings.xml', data: sst });
  }
  if (parts.styles !== undefined) entries.push({ name: 'xl/styles.xml', data: parts.styles });
  parts.sheets.forEach((s, i) => entries.push({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml }));
  for (const e of parts.extra ?? []) {
    const at = entries.findIndex((x) => x.name === e.name);
    if (at >= 0) entries[at] = e;
    else entries.push(e);
  }
  return buildZip(entries);
}

/** A styles part whose cellXfs are the given numFmtIds, with optional custom formats. */
export function stylesXml(numFmtIds: number[], custom: Record<number, string> = {}): string {
  const fmts = Object.entries(custom)
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"/>`)
    .join('');
  return `<styleSheet xmlns="${MAIN}"><numFmts count="${Object.keys(custom).length}">${fmts}</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="${numFmtIds.length}">${numFmtIds.map((id) => `<xf numFmtId="${id}" xfId="0"/>`).join('')}</cellXfs></styleSheet>`;
}
