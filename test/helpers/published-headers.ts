/**
 * The header lists of ICE's releases, read from ../shared/ICE-RELEASES.md (compiled from DDP's, UWCHR's
 * and NPR's public cleaning code), so ingest tests check the code against the published layouts, not
 * against lists the code itself keeps.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

function listAfter(text: string, marker: string): string[] {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`ICE-RELEASES.md has no "${marker}"`);
  const rest = text.slice(start + marker.length);
  const end = rest.indexOf('.\n');
  return rest
    .slice(0, end)
    .split(', ')
    .map((h) => h.replace(/\s*\(always empty\)$/, '').trim()); // an annotation in the md, not part of the header
}

/** Published header lists by release and family. */
export function publishedHeaders() {
  const text = readFileSync(`${SHARED_DIR}/ICE-RELEASES.md`, 'utf8');
  return {
    july2025: {
      detainers: listAfter(text, '**July 2025 and December 2025 (65 columns, in order):** '),
      arrests: listAfter(text, '**July/December 2025 (23):** '),
      encounters: listAfter(text, '**July 2025 (25, two sheets):** '),
      detention_stints: listAfter(text, '**July 2025 (37):** '),
      removals: listAfter(text, '**Late July 2025 (41):** '),
    },
    march2026: {
      arrests: listAfter(text, '**March 2026 (25):** '),
    },
  };
}
