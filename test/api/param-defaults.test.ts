/**
 * Parameter defaults are declared once (beside the code that applies them) and the registry, so
 * OpenAPI and /api/docs, read them: a route asked without a parameter answers exactly as it does
 * with the declared default value spelled out.
 */
import { describe, expect, test } from 'vitest';
import { openApiDocument, ROUTES } from '../../src/api/registry.ts';
import { useFixtureApps } from './fixture-apps.ts';

const fixture = useFixtureApps('handoff-param-defaults-');

/** The body of an answer without the parts that say when and how it was asked. */
async function figures(res: Response): Promise<unknown> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: unknown; meta: Record<string, unknown> };
  return body.data;
}

describe('parameter defaults', () => {
  const withValue = ROUTES.filter((r) => r.format === 'json').flatMap((r) => r.params.filter((p) => p.default && 'value' in p.default).map((p) => ({ r, p })));

  test('some routes declare a default value (the check below is not empty)', () => {
    expect(withValue.map(({ r, p }) => `${r.path} ${p.name}`)).toEqual(expect.arrayContaining(['/api/metrics/{metric}.json place', '/api/metrics/{metric}.json grain']));
  });

  test('leaving a parameter out answers as its declared default value does', async () => {
    for (const { r, p } of withValue) {
      const url = new URL(r.example, 'http://x');
      url.searchParams.delete(p.name);
      const bare = url.pathname + url.search;
      url.searchParams.set(p.name, (p.default as { value: string }).value);
      const spelled = url.pathname + url.search;
      expect(await figures(await fixture.pub.request(bare)), `${bare} vs ${spelled}`).toEqual(await figures(await fixture.pub.request(spelled)));
    }
  });

  test('OpenAPI carries each default value as schema.default and each worded default as x-default', () => {
    const doc = openApiDocument() as { paths: Record<string, { get: { parameters: { name: string; schema: { default?: string }; 'x-default'?: string }[] } }> };
    for (const r of ROUTES) {
      for (const p of r.params) {
        const q = doc.paths[r.path]!.get.parameters.find((x) => x.name === p.name)!;
        expect(q.schema.default, `${r.path} ${p.name}`).toBe(p.default && 'value' in p.default ? p.default.value : undefined);
        expect(q['x-default'], `${r.path} ${p.name}`).toBe(p.default && 'words' in p.default ? p.default.words : undefined);
      }
    }
  });
});
