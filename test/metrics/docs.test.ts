/** docs/metrics.md and docs/api.md are generated: the committed files must match the code. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderApiDoc } from '../../src/api/api-doc.ts';
import { METRICS, renderMetricsDoc } from '../../src/metrics/index.ts';
import { ROUTES } from '../../src/api/registry.ts';

const read = (f: string) => readFileSync(new URL(`../../docs/${f}`, import.meta.url), 'utf8');

test('docs/metrics.md matches the metric definitions (run scripts/gen-docs.ts)', () => {
  expect(read('metrics.md')).toBe(renderMetricsDoc());
  for (const m of METRICS) expect(read('metrics.md')).toContain(`### \`${m.id}\``);
});

test('docs/api.md matches the route registry (run scripts/gen-docs.ts)', () => {
  expect(read('api.md')).toBe(renderApiDoc());
  for (const r of ROUTES) expect(read('api.md')).toContain(r.path);
});
