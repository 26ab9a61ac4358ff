/**
 * Generates the JSON Schemas of the API contract (src/contract/index.ts) with ts-json-schema-generator,
 * so the OpenAPI document describes each route's rows from the same declarations the server and the
 * dashboard are typed with. `npm run docs:gen` writes them to src/api/contract-schemas.json;
 * test/api/contract.test.ts fails when that file is stale.
 */
import { createGenerator } from 'ts-json-schema-generator';
import { fileURLToPath } from 'node:url';

const CONTRACT = fileURLToPath(new URL('../src/contract/index.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

/** The contract's exported types as JSON Schema definitions (draft 7 keywords, which OpenAPI 3.1 reads). */
export function contractSchemas(): { routeRows: Record<string, string[]>; definitions: Record<string, unknown> } {
  const schema = createGenerator({
    path: CONTRACT,
    tsconfig: TSCONFIG,
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    sortProps: true,
  }).createSchema('*');
  const definitions = { ...(schema.definitions ?? {}) } as Record<string, unknown>;
  // RouteRows maps each route's path to its row types: written out as names, for src/api/registry.ts.
  type Ref = { $ref?: string; anyOf?: { $ref: string }[] };
  const routes = (definitions.RouteRows as { properties?: Record<string, Ref> } | undefined)?.properties ?? {};
  const nameOf = (ref: string): string => ref.replace('#/definitions/', '');
  const routeRows = Object.fromEntries(
    Object.entries(routes).map(([route, r]) => [route, r.$ref ? [nameOf(r.$ref)] : (r.anyOf ?? []).map((x) => nameOf(x.$ref))]),
  );
  // Generic and helper types have no schema of their own: the OpenAPI document composes Envelope per route.
  for (const name of Object.keys(definitions)) if (name.includes('<') || name === 'RouteRows') delete definitions[name];
  return {
    routeRows: Object.fromEntries(Object.entries(routeRows).sort(([a], [b]) => a.localeCompare(b))),
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The file's text as written: stable key order, two-space indent, a final newline. */
export function contractSchemasText(): string {
  return `${JSON.stringify(contractSchemas(), null, 2)}\n`;
}
