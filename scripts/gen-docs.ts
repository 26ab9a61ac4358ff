/**
 * Writes docs/metrics.md and docs/api.md from the code (metric definitions, route registry), and the
 * JSON Schemas of the API contract (src/api/contract-schemas.json, from src/contract).
 * `node --import tsx scripts/gen-docs.ts`; test/metrics/docs.test.ts and test/api/contract.test.ts
 * fail when they are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderApiDoc } from '../src/api/api-doc.ts';
import { renderMetricsDoc } from '../src/metrics/index.ts';
import { contractSchemasText } from './contract-schemas.ts';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
writeFileSync(`${docs}metrics.md`, renderMetricsDoc());
writeFileSync(`${docs}api.md`, renderApiDoc());
writeFileSync(fileURLToPath(new URL('../src/api/contract-schemas.json', import.meta.url)), contractSchemasText());
process.stdout.write('wrote docs/metrics.md, docs/api.md and src/api/contract-schemas.json\n');
