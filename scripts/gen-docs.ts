/**
 * Writes docs/metrics.md and docs/api.md from the code (metric definitions, route registry).
 * `node --import tsx scripts/gen-docs.ts`; test/metrics/docs.test.ts fails when they are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderApiDoc } from '../src/api/api-doc.ts';
import { renderMetricsDoc } from '../src/metrics/index.ts';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
writeFileSync(`${docs}metrics.md`, renderMetricsDoc());
writeFileSync(`${docs}api.md`, renderApiDoc());
process.stdout.write('wrote docs/metrics.md and docs/api.md\n');
