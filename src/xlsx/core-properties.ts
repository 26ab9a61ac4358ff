/**
 * readCoreProperties: the dates a workbook keeps about itself, from its core properties part
 * (`docProps/core.xml`, Open Packaging Conventions): `dcterms:created` and `dcterms:modified`, as
 * written (W3CDTF, e.g. "2025-06-27T05:06:11Z").
 *
 * Does: find the part through the package relationships (falling back to `docProps/core.xml`), read
 * it through the bounded zip reader, decode entities, check that each date reads as a date.
 * Does not: read any other property, or trust a date it cannot parse (it is left out).
 */
import path from 'node:path';
import { DEFAULT_LIMITS, type InputLimits } from '../core/config.ts';
import { attr, decodeEntities, parseTree, withLocation } from './xml.ts';
import { ZipArchive } from './zip.ts';

/** A core properties part is a few hundred bytes; more than this is not one. */
const MAX_CORE_BYTES = 1024 * 1024;
const CORE_REL = '/metadata/core-properties';

/** The workbook's own dates, ISO 8601 as written in the part; absent when the part has none. */
export interface CoreProperties {
  created?: string;
  modified?: string;
}

function dateElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}\\b[^>]*>([^<]*)</`).exec(xml);
  if (!match) return undefined;
  const text = decodeEntities(match[1]!).trim();
  return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

/**
 * Reads `dcterms:created` and `dcterms:modified` of an .xlsx. A workbook without the part (writers
 * need not add one) gives `{}`; a file that is not a readable zip throws the reader's HandoffError.
 */
export async function readCoreProperties(filePath: string, limits?: Partial<InputLimits>): Promise<CoreProperties> {
  const lim: InputLimits = { ...DEFAULT_LIMITS, ...limits };
  const label = path.basename(filePath);
  try {
    const archive = await ZipArchive.open(filePath, label, lim);
    let partName = 'docProps/core.xml';
    const rels = archive.find('_rels/.rels');
    if (rels) {
      const root = parseTree(await archive.readEntry(rels, MAX_CORE_BYTES));
      const core = root.children.find((el) => el.name === 'Relationship' && (attr(el, 'Type') ?? '').endsWith(CORE_REL));
      const target = core ? attr(core, 'Target') : undefined;
      if (target) partName = target.replace(/^\/+/, '');
    }
    const entry = archive.find(partName) ?? archive.find('docProps/core.xml');
    if (!entry) return {};
    const xml = (await archive.readEntry(entry, MAX_CORE_BYTES)).toString('utf8');
    const out: CoreProperties = {};
    const created = dateElement(xml, 'created');
    const modified = dateElement(xml, 'modified');
    if (created !== undefined) out.created = created;
    if (modified !== undefined) out.modified = modified;
    return out;
  } catch (e) {
    throw withLocation(e, { file: label });
  }
}
