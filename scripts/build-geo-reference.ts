/**
 * Builds reference/geo/aors.csv and reference/geo/aor-counties.csv from the CC0 ice-offices table
 * in ../shared (deportationdata/ice-offices) and the county lists in node_modules.
 *
 *   npx tsx scripts/build-geo-reference.ts [--shared ../shared]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AOR_DEFINITIONS,
  buildAorCountyCrosswalk,
  parseIceOfficesCsv,
} from '../src/geo/aor-crosswalk.ts';
import { REPO_ROOT, sharedDir, toCsv } from './shared-path.ts';

const source = join(sharedDir(), 'data', 'deportationdata-ice-offices', 'ice-areas-of-responsibility.csv');
const rows = parseIceOfficesCsv(readFileSync(source, 'utf8'));
const crosswalk = buildAorCountyCrosswalk(rows);
const outDir = join(REPO_ROOT, 'reference', 'geo');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'aors.csv'),
  toCsv(
    ['code', 'name', 'ice_name'],
    AOR_DEFINITIONS.map((a) => [a.code, a.name, a.iceName]),
  ),
);
writeFileSync(
  join(outDir, 'aor-counties.csv'),
  toCsv(
    ['fips', 'aor_code', 'level', 'source_line'],
    crosswalk.map((r) => [r.fips, r.aorCode, r.level, r.line]),
  ),
);
process.stdout.write(`aors.csv: ${AOR_DEFINITIONS.length} rows; aor-counties.csv: ${crosswalk.length} rows\n`);
