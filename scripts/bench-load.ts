/**
 * Load benchmark of the API (issue 10): `npm run bench:load -- <db> [--seconds 60] [--connections 32] [--cold]`.
 *
 * Starts `node bin/handoff.js serve --db <db> --port 0` (public mode) as a child process, reads the
 * metric list from /api/metrics.json and the places from /api/places.json, and drives every metric ×
 * by × grain × place URL (plus releases, places, quality and the OpenAPI document) over N keep-alive
 * connections on loopback for the given time. Reports requests, errors, throughput, p50/p99/max
 * latency, and the server's RSS sampled every second (first / last / max). Exit 1 on any error.
 * `--cold` adds a random from/to window (whole months of the data) to every metric URL, so nearly
 * every request misses the server's answer cache and is computed from the cube.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '32' }, places: { type: 'string', default: '25' }, cold: { type: 'boolean', default: false } },
});
const db = positionals[0];
if (!db) {
  console.error('usage: bench-load <db> [--seconds 60] [--connections 32] [--places 25]');
  process.exit(2);
}
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const BIN = path.resolve(import.meta.dirname, '../bin/handoff.js');

const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise<string>((resolve, reject) => {
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    err += d;
    const m = /(http:\/\/[^/\s]+)\/api\/docs/.exec(err);
    if (m) resolve(m[1]!);
  });
  child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
});
const rssMiB = (): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

const agent = new Agent({ keepAlive: true, maxSockets: connections });
function request(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${base}${url}`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

try {
  const metrics = (JSON.parse((await request('/api/metrics.json')).body) as { rows: { id: string; by: string[] }[] }).rows;
  const openapi = JSON.parse((await request('/api/openapi.json')).body) as { paths: Record<string, unknown> };
  const places = (JSON.parse((await request('/api/places.json')).body) as { rows: { place: string }[] }).rows.slice(0, Number(values.places)).map((p) => p.place);
  const grains = ['month', 'quarter', 'fiscal_year', 'calendar_year', 'total'];
  const urls: string[] = ['/api/releases.json', '/api/places.json', '/api/quality.json', '/api/openapi.json', '/api/metrics.json', '/api/releases.csv'];
  for (const m of metrics) for (const by of m.by) for (const grain of grains) for (const place of places) for (const fmt of ['json', 'csv']) urls.push(`/api/metrics/${m.id}.${fmt}?place=${encodeURIComponent(place)}&grain=${grain}&by=${by}`);
  // Valid combinations only: a 400 (e.g. arrests by facility) is the API working, not an error.
  const t0 = performance.now();
  const valid: string[] = [];
  for (const u of urls) {
    const r = await request(u);
    if (r.status === 200) valid.push(u);
    else if (r.status !== 400) throw new Error(`warm-up: ${u} → ${r.status} ${r.body.slice(0, 200)}`);
  }
  console.log(`bench-load: ${base}, ${Object.keys(openapi.paths).length} documented routes, ${metrics.length} metrics, ${valid.length} distinct URLs (${urls.length - valid.length} unsupported combinations skipped); warm-up pass ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Cold: months of the data, from which each metric request draws its own window.
  const months = values.cold
    ? (JSON.parse((await request('/api/metrics/detainers_issued.json?grain=month')).body) as { rows: { period_start: string; period_end: string }[] }).rows
    : [];
  let seed = 1;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const withWindow = (url: string): string => {
    if (!months.length || !url.startsWith('/api/metrics/')) return url;
    const a = random(months.length);
    const b = a + random(months.length - a);
    return `${url}&from=${months[a]!.period_start}&to=${months[b]!.period_end}`;
  };
  if (values.cold) console.log(`  cold: random from/to windows over ${months.length} months on every metric URL`);

  const latencies: number[] = [];
  const errors: string[] = [];
  const rss: number[] = [rssMiB()];
  const sampler = setInterval(() => rss.push(rssMiB()), 1000);
  const end = Date.now() + seconds * 1000;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const url = withWindow(valid[next++ % valid.length]!);
        const s = performance.now();
        try {
          const r = await request(url);
          if (r.status !== 200) errors.push(`${url} → ${r.status}`);
        } catch (e) {
          errors.push(`${url} → ${(e as Error).message}`);
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rss.push(rssMiB());
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(`  ${latencies.length} requests in ${elapsed.toFixed(1)} s over ${connections} keep-alive connections: ${(latencies.length / elapsed).toFixed(0)} req/s`);
  console.log(`  errors: ${errors.length}${errors.length ? ` (first: ${errors.slice(0, 5).join('; ')})` : ''}`);
  console.log(`  latency ms: p50 ${q(0.5).toFixed(1)}, p99 ${q(0.99).toFixed(1)}, max ${latencies.at(-1)!.toFixed(1)}`);
  const finite = rss.filter(Number.isFinite);
  console.log(`  server RSS MiB: first ${finite[0]?.toFixed(0)}, last ${finite.at(-1)?.toFixed(0)}, max ${Math.max(...finite).toFixed(0)} (${finite.length} samples)`);
  process.exitCode = errors.length ? 1 : 0;
} finally {
  agent.destroy();
  child.kill('SIGTERM');
}
