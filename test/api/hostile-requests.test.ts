/**
 * Hostile requests over every route (issue 21, items 1 and 6). The routes and their parameters come
 * from the served OpenAPI document, so a new route or parameter is probed without editing this file.
 * Each path and query parameter gets values of every hostile class (malformed and invalid escapes,
 * control characters, overlong strings, confusables, SQL and traversal text, odd numbers, impossible
 * dates, wrong releases, territories, empty values), and each route gets repeated and unknown
 * parameters, wrong extensions and trailing slashes. Every answer must be the envelope (or the page)
 * with the security headers, never a 5xx (a 503 of the time limit excepted), and a 400 must name the
 * parameter it refuses. The app is called in-process; test/api/node-level.test.ts covers what
 * Node's parser answers before the app.
 */
import { expect, test } from 'vitest';
import { HTTP_LIMITS } from '../../src/api/node-server.ts';
import { useFixtureApps } from './fixture-apps.ts';
import { DEMO, MAIN } from '../metrics/fixture.ts';

const fixture = useFixtureApps('handoff-hostile-');

interface OpenApiParam {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  example?: string;
  schema?: { enum?: string[] };
}
interface Route {
  path: string;
  params: OpenApiParam[];
  /** The format the route answers in, from its 200 content type. */
  format: 'json' | 'csv' | 'html' | 'css';
}

/** A hostile value as it appears in the URL (already escaped, or deliberately not), and its class. */
interface Hostile {
  cls: string;
  raw: string;
}

const enc = encodeURIComponent;
const text = (cls: string, values: string[]): Hostile[] => values.map((v) => ({ cls, raw: enc(v) }));
const raw = (cls: string, values: string[]): Hostile[] => values.map((v) => ({ cls, raw: v }));

/** Values tried in every parameter, path and query alike. */
const HOSTILE: Hostile[] = [
  ...raw('malformed-escape', ['%ZZ', '%', '%E0%A4', '%E0%A4%A', '%2', 'a%', '%%', '%u0041', '%C0%AE', '%25ZZ', '%2525', '%252e%252e']),
  ...raw('invalid-utf8', ['%FF', '%C3%28', '%ED%A0%80', '%F4%90%80%80', '%C0%80', '%80', '%FE%FF']),
  ...raw('control', ['%00', 'a%00b', '%01', '%0A', '%0D%0A', '%0D%0ASet-Cookie:%20x=1', '%09', '%7F', '%1B%5B31m', '%08']),
  ...text('overlong', ['a'.repeat(3_000), 'é'.repeat(600), `${'9'.repeat(400)}`]),
  ...raw('over-url-limit', [`a${'b'.repeat(HTTP_LIMITS.maxUrlChars)}`]),
  ...text('confusable', ['ｓｔａｔｅ：ＭＡ', 'ѕtate:MA', 'state:МА', '\u202Estate:MA', 'state:MA\u200F', '\u200Bnation', '\uFEFFnation', 'ＮＡＴＩＯＮ', '２０２４-０１-０１', 'ﬁscal_year', 'İ', '\uD83D\uDE00']),
  ...text('sql', ["x' OR '1'='1", "'; DROP TABLE releases; --", 'nation) UNION SELECT * FROM detainers --', '$1', '?', "state:MA'--", '1;SELECT 1', '%\'%', '\\\'', 'NULL']),
  ...text('traversal', ['../../etc/passwd', '..\\..\\windows\\win.ini', '....//....//etc', '/etc/passwd', 'C:\\boot.ini', 'file:///etc/passwd', '~/.ssh/id_rsa']),
  ...raw('traversal-escaped', ['..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2f', '%2E%2E', '..%5C..%5C', '%c0%ae%c0%ae%2f']),
  ...text('number', ['-1', '0', '-0', 'NaN', 'Infinity', '-Infinity', '1e309', '1e3', '0x10', '9007199254740993', '1.5', '+1', '00', '1_000']),
  ...text('date', ['2021-02-30', '0000-01-01', '99999-01-01', '2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '+002024-01-01', '2024-01-01T00:00:00Z', '2024-10-01 ', '1969-12-31', '9999-12-31', '2024-10']),
  ...text('release', ['r_missing', MAIN.toUpperCase(), ` ${MAIN}`, `${MAIN}/../${DEMO}`, `${MAIN},${DEMO}`, '*']),
  ...text('territory', ['state:GU', 'state:VI', 'state:MP', 'state:AS', 'state:PR', 'GU', 'county:66010', 'county:72001', 'county:78010', 'state:UM', 'state:FM']),
  ...text('object-key', ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '[object Object]', '{}', '[]']),
  ...text('markup', ['<script>alert(1)</script>', '"><img src=x>', '=cmd|\' /C calc\'!A0', '${7*7}', '{{7*7}}']),
  ...text('empty', ['', ' ', '+']),
  ...raw('empty-raw', ['+', '%20', '%2B']),
];

/** Extra query strings tried on every route: repeats, unknown names, odd shapes; and the parameter aimed at. */
function routeQueries(r: Route): { h: Hostile; param?: OpenApiParam }[] {
  const out: { h: Hostile; param?: OpenApiParam }[] = raw('unknown-param', [
    'zz=1', '__proto__=1', 'constructor=1', 'toString=1', 'a[]=1', 'a[b]=1', '%ZZ=1', '%00=1', '=1', '&&', '&', '?', 'x', 'ﾠ=1', `${'k'.repeat(2_000)}=1`,
  ]).map((h) => ({ h }));
  for (const p of r.params.filter((q) => q.in === 'query')) {
    const ok = p.example ?? p.schema?.enum?.[0] ?? 'x';
    const mine = (hs: Hostile[]) => hs.forEach((h) => out.push({ h, param: p }));
    mine(raw('repeated-param', [`${p.name}=${enc(ok)}&${p.name}=${enc(ok)}`, `${p.name}=1&${p.name}=2`, `${p.name}&${p.name}`, `${p.name}[]=1&${p.name}[]=2`]));
    mine(raw('no-value', [p.name, `${p.name}=`]));
    // Not the parameter (a case or space away): refused as unknown, and the refusal names what was sent.
    out.push(...raw('param-name-case', [`${p.name.toUpperCase()}=${enc(ok)}`, `${p.name}%20=${enc(ok)}`, `%20${p.name}=${enc(ok)}`, `${p.name}=${enc(ok)}&zz=1`]).map((h) => ({ h })));
  }
  return out;
}

/** The route's path with its path parameters replaced (by their examples, unless given). */
function fill(r: Route, given: Record<string, string> = {}): string {
  return r.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name in given) return given[name]!;
    const p = r.params.find((q) => q.name === name && q.in === 'path');
    const v = p?.example ?? p?.schema?.enum?.[0];
    if (v === undefined) throw new Error(`${r.path}: path parameter ${name} has no example or enum in the OpenAPI document`);
    return enc(v);
  });
}

interface Probe {
  route: Route;
  url: string;
  cls: string;
  /** The parameter the probe is aimed at, if one. */
  param?: OpenApiParam;
  method?: 'GET' | 'HEAD';
  mode?: 'public' | 'private';
}

function probesOf(routes: Route[]): Probe[] {
  const out: Probe[] = [];
  for (const route of routes) {
    const base = fill(route);
    for (const param of route.params) {
      const ok = param.example ?? param.schema?.enum?.[0];
      // Escaped twice (`state%253AMA`): one decoding must not make it the valid value.
      const twice = ok !== undefined && enc(enc(ok)) !== enc(ok) ? [{ cls: 'double-escape', raw: enc(enc(ok)) }] : [];
      for (const h of [...HOSTILE, ...twice]) {
        const url = param.in === 'path' ? fill(route, { [param.name]: h.raw }) : `${base}?${param.name}=${h.raw}`;
        out.push({ route, url, cls: h.cls, param });
      }
    }
    for (const { h, param } of routeQueries(route)) out.push({ route, url: `${base}?${h.raw}`, cls: h.cls, param });
    // Wrong extensions and trailing slashes: not this route (a 404 envelope) or the other format.
    const stem = base.replace(/\.(json|csv)$/, '');
    for (const ext of ['.json', '.csv', '.xml', '.JSON', '.Json', '.json.', '.json.bak', '.json%00', '.json%2F', '.json;.csv', '', '.', '..', '.html', '.yaml']) {
      if (`${stem}${ext}` !== base) out.push({ route, url: `${stem}${ext}`, cls: 'extension' });
    }
    for (const tail of ['/', '//', '/.', '/..', '/x', '?', '#x', '%2F', '/%2e%2e/', ';x', '/index.html']) out.push({ route, url: `${base}${tail}`, cls: 'trailing' });
    out.push({ route, url: `/${base}`, cls: 'trailing' }, { route, url: base.replace('/api/', '/api//'), cls: 'trailing' }, { route, url: base.replace('/api/', '/API/'), cls: 'trailing' });
    // Both methods and both modes of the plain request, and HEAD of a hostile one.
    out.push({ route, url: base, cls: 'head', method: 'HEAD' }, { route, url: `${base}?zz=%ZZ`, cls: 'head', method: 'HEAD' }, { route, url: `${base}?zz=1`, cls: 'private', mode: 'private' });
  }
  return out;
}

const STACK = /\bat [\w.<>]+ \(|\.ts:\d+|\bError:|duckdb|node_modules|\/work\/|\/tmp\//i;

/** What one answer must satisfy; returns the broken rules (empty when it is fine). */
async function check(p: Probe, res: Response): Promise<string[]> {
  const bad: string[] = [];
  const h = res.headers;
  if (!(h.get('content-security-policy') ?? '').includes("default-src 'self'") || !(h.get('content-security-policy') ?? '').includes("frame-ancestors 'none'")) bad.push('no CSP');
  if (h.get('x-content-type-options') !== 'nosniff') bad.push('no nosniff');
  if (h.get('referrer-policy') !== 'no-referrer') bad.push('no Referrer-Policy');
  if (h.get('x-frame-options') !== 'DENY') bad.push('no X-Frame-Options');
  if (res.status >= 400 && h.get('cache-control') !== 'no-store') bad.push(`error cached: ${h.get('cache-control')}`);
  if ((p.mode ?? 'public') === 'private' && h.get('x-handoff-mode') !== 'private') bad.push('private answer not flagged');
  if (p.cls === 'over-url-limit' && res.status !== 414) bad.push(`URL over the limit answered ${res.status}, not 414`);
  if (p.cls === 'double-escape' && res.status < 300) bad.push('a value escaped twice was decoded twice');
  // An empty value is the same as none (the plain request answers 200 on every route).
  if (p.cls === 'no-value' && res.status !== 200) bad.push(`an empty value is not the default`);
  const body = await res.text();
  if (p.method === 'HEAD') {
    if (res.status >= 500) bad.push(`status ${res.status}`);
    return bad;
  }
  const type = h.get('content-type') ?? '';
  if (res.status >= 500) {
    let timeLimit = false;
    try {
      timeLimit = res.status === 503 && /took longer than/.test(String((JSON.parse(body) as { error?: unknown }).error));
    } catch {
      // not an envelope: reported below
    }
    if (!timeLimit) bad.push(`status ${res.status}: ${body.slice(0, 160)}`);
  }
  if (res.status >= 300) {
    if (!type.startsWith('application/json')) bad.push(`error as ${type || 'no type'}`);
    let env: Record<string, unknown> | null = null;
    try {
      env = JSON.parse(body) as Record<string, unknown>;
    } catch {
      bad.push(`error body not JSON: ${body.slice(0, 80)}`);
    }
    if (env) {
      if (Object.keys(env).sort().join(',') !== 'error,errors,ok,status' || env.ok !== false || env.status !== res.status || typeof env.error !== 'string' || !Array.isArray(env.errors)) {
        bad.push(`not the error envelope: ${body.slice(0, 120)}`);
      }
      const message = [env.error, ...(Array.isArray(env.errors) ? env.errors : [])].join(' | ');
      if (STACK.test(message)) bad.push(`internals in the message: ${message.slice(0, 160)}`);
      // A refused parameter is named: "place", place=..., parameter "place", no release "x". A path
      // that is not even well-formed is refused before routing, as a whole ("no such resource: /api/…").
      const names = p.param && new RegExp(`(^|[^a-z_])${p.param.name}([^a-z_]|$)`, 'i').test(message);
      if ((res.status === 400 || res.status === 404) && p.param && !names && !(p.param.in === 'path' && /^no such resource: /.test(String(env.error)))) {
        bad.push(`${res.status} does not name "${p.param.name}": ${message.slice(0, 160)}`);
      }
      if (res.status === 400 && !p.param && !/param|\?/i.test(message)) bad.push(`400 does not say which parameter: ${message.slice(0, 160)}`);
    }
  } else if (res.status === 200) {
    const want = p.route.format;
    const isRoute = new URL(p.url, 'http://x').pathname === new URL(fill(p.route), 'http://x').pathname;
    if (want === 'json' || !isRoute) {
      if (type.startsWith('application/json')) {
        const env = JSON.parse(body) as Record<string, unknown>;
        if (p.route.path !== '/api/openapi.json' && (env.ok !== true || !Array.isArray(env.rows) || typeof env.meta !== 'object')) bad.push(`not the success envelope: ${body.slice(0, 120)}`);
      } else if (!type.startsWith('text/csv') && !type.startsWith('text/html')) bad.push(`200 as ${type}`);
    } else if (want === 'csv' && !type.startsWith('text/csv')) bad.push(`CSV route answered ${type}`);
    else if (want === 'html' && !type.startsWith('text/html')) bad.push(`page answered ${type}`);
    else if (want === 'css' && !type.startsWith('text/css')) bad.push(`stylesheet answered ${type}`);
  } else if (res.status !== 204) {
    bad.push(`unexpected status ${res.status}`);
  }
  return bad;
}

test('every route and parameter of the OpenAPI document, with every hostile class: envelope, headers, no 5xx', async () => {
  const doc = (await (await fixture.pub.request('/api/openapi.json')).json()) as { paths: Record<string, { get: { parameters: OpenApiParam[]; responses: Record<string, { content?: Record<string, unknown> }> } }> };
  const routes: Route[] = Object.entries(doc.paths).map(([p, op]) => {
    const type = Object.keys(op.get.responses['200']?.content ?? {})[0] ?? '';
    return { path: p, params: op.get.parameters, format: type.includes('csv') ? 'csv' : type.includes('html') ? 'html' : type.includes('css') ? 'css' : 'json' };
  });
  expect(routes.length).toBeGreaterThanOrEqual(16);
  // Every path parameter must have an example (or an enum) so it can be filled.
  for (const r of routes) fill(r);

  const probes = probesOf(routes);
  const violations = new Map<string, { n: number; example: string }>();
  const byClass = new Map<string, number>();
  const byStatus = new Map<number, number>();
  for (const p of probes) {
    const app = p.mode === 'private' ? fixture.priv : fixture.pub;
    let res: Response;
    try {
      res = await app.request(p.url, { method: p.method ?? 'GET' });
    } catch (e) {
      violations.set(`${p.route.path} [${p.cls}] threw`, { n: 1, example: `${p.method ?? 'GET'} ${p.url.slice(0, 160)}: ${String(e).slice(0, 120)}` });
      continue;
    }
    byClass.set(p.cls, (byClass.get(p.cls) ?? 0) + 1);
    byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
    for (const v of await check(p, res)) {
      // One line per route, parameter, class and broken rule, with a count and the first request.
      const key = `${p.route.path} [${p.cls}${p.param ? ` ${p.param.name}` : ''}] ${res.status}: ${v.replace(/:.*/s, '')}`;
      const seen = violations.get(key);
      if (seen) seen.n++;
      else violations.set(key, { n: 1, example: `${p.method ?? 'GET'} ${p.url.slice(0, 160)} -> ${v.slice(0, 200)}` });
    }
  }
  console.log(
    `hostile requests: ${probes.length} over ${routes.length} routes; by class ${JSON.stringify(Object.fromEntries([...byClass].sort()))}; by status ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`,
  );
  expect(probes.length).toBeGreaterThanOrEqual(2_000);
  const report = [...violations].map(([k, v]) => `${k} (×${v.n}) e.g. ${v.example}`);
  expect(report.slice(0, 80), `${report.length} kinds of violation`).toEqual([]);
}, 120_000);
