/**
 * The API contract (src/contract) holds: the generated schemas are current, and every JSON route's
 * answer, in both modes, validates against the schema its route declares (no field missing, none
 * undeclared, every type as written). A field the server adds or drops without the contract fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { answerSchemaOf, componentSchemas, ROUTES } from '../../src/api/registry.ts';
import { METRICS } from '../../src/metrics/index.ts';
import { contractSchemasText } from '../../scripts/contract-schemas.ts';
import { useFixtureApps } from './fixture-apps.ts';

const apps = useFixtureApps('handoff-contract-');

/** Compiles the answer schema of a route against the contract's component schemas. */
function validatorOf(route: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const [name, schema] of Object.entries(componentSchemas())) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
  return ajv.compile(answerSchemaOf(route));
}

/** The requests each route is checked with: its example, and for metrics every metric and breakdown. */
function requestsOf(route: string, example: string): string[] {
  if (route === '/api/metrics/{metric}.json') {
    return METRICS.flatMap((m) => m.by.map((by) => `/api/metrics/${m.id}.json?place=state:MA&grain=fiscal_year&by=${by}`));
  }
  if (route === '/api/policies/{place}.json') return [example, `${example}?at=2020-01-01`, '/api/policies/county:25025.json?at=2016-01-01'];
  return [example];
}

describe('API contract', () => {
  it('src/api/contract-schemas.json is generated from src/contract (npm run docs:gen)', () => {
    const file = path.resolve(import.meta.dirname, '../../src/api/contract-schemas.json');
    expect(readFileSync(file, 'utf8')).toBe(contractSchemasText());
  });

  it('every route the contract names is a JSON route of the registry', () => {
    const declared = Object.keys(JSON.parse(contractSchemasText()).routeRows as object);
    const json = new Set(ROUTES.filter((r) => r.format === 'json').map((r) => r.path));
    expect(declared.filter((p) => !json.has(p))).toEqual([]);
  });

  it('every JSON route answers as its schema says, in public and private mode', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of ROUTES.filter((r) => r.format === 'json' && r.path !== '/api/openapi.json')) {
      const validate = validatorOf(route.path);
      for (const url of requestsOf(route.path, route.example)) {
        for (const app of [apps.pub, apps.priv]) {
          const res = await app.request(url);
          if (res.status !== 200) {
            failures.push(`${url}: HTTP ${res.status}`);
            continue;
          }
          const body: unknown = await res.json();
          checked++;
          if (!validate(body)) failures.push(`${url}: ${(validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(2 * METRICS.length);
  });

  it('errors answer as ErrorBody (404, 400)', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const [name, schema] of Object.entries(componentSchemas())) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    const validate = ajv.getSchema('#/components/schemas/ErrorBody')!;
    for (const [url, status] of [['/api/metrics/no_such_metric.json', 404], ['/api/metrics/detainers_issued.json?grain=decade', 400], ['/api/places.json?bogus=1', 400]] as const) {
      const res = await apps.pub.request(url);
      expect(res.status, url).toBe(status);
      const body: unknown = await res.json();
      expect(validate(body), `${url}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('a row with a field the contract does not declare fails validation (the check can fail)', () => {
    const validate = validatorOf('/api/releases.json');
    const meta = { metric: null, definition_url: '/api/docs', releases: [], synthetic: false, mode: 'public', suppression: { applied: true, min_published: 11, rule: 'r' }, generated_at: '2026-01-01T00:00:00.000Z' };
    const row = { release_id: 'r', label: 'l', synthetic: false, kind: 'k', created_at: 'c', permalink: 'p', codebook: 'b' };
    const envelope = (rows: object[]) => ({ ok: true, rows, truncated: false, next: null, next_url: null, meta });
    expect(validate(envelope([row]))).toBe(true);
    expect(validate(envelope([{ ...row, extra_field: 1 }]))).toBe(false);
    expect(validate(envelope([{ ...row, synthetic: 'no' }]))).toBe(false);
  });
});
