/**
 * Load test of the metric endpoints: `npm run bench:api -- [db] [--seconds N] [--connections 32]`.
 * Starts the server on a free loopback port, waits for the cubes, then for each metric endpoint runs
 * `connections` keep-alive clients (node:http Agent) for N seconds and prints the median and p99
 * latency. Targets: median < 50 ms, p99 < 200 ms.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startServer } from '../src/cli/commands/serve.ts';
import { resolveDbPath } from '../src/core/config.ts';
import { METRICS } from '../src/metrics/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '3' }, connections: { type: 'string', default: '32' }, mode: { type: 'string', default: 'public' } },
});
const dbPath = resolveDbPath(positionals[0]);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

function get(agent: http.Agent, url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

function quantile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const started = performance.now();
const server = await startServer({ dbPath, port: 0, mode: values.mode === 'private' ? 'private' : 'public' });
process.stdout.write(`server ready in ${Math.round(performance.now() - started)} ms at ${server.url}\n`);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const warm = performance.now();
await get(agent, `${server.url}/api/metrics/detainers_issued.json`);
await get(agent, `${server.url}/api/metrics/ice_arrests_by_method.json`).catch(() => 0);
process.stdout.write(`cubes built in ${Math.round(performance.now() - warm)} ms\n\n`);

const endpoints = METRICS.flatMap((m) => [
  `/api/metrics/${m.id}.json`,
  `/api/metrics/${m.id}.json?grain=fiscal_year&place=state:CA`,
]);
const results: { endpoint: string; requests: number; median: number; p99: number; failed: number }[] = [];
for (const endpoint of endpoints) {
  const times: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        try {
          times.push(await get(agent, `${server.url}${endpoint}`));
        } catch {
          failed++;
        }
      }
    }),
  );
  times.sort((a, b) => a - b);
  const r = { endpoint, requests: times.length, median: times.length ? quantile(times, 0.5) : NaN, p99: times.length ? quantile(times, 0.99) : NaN, failed };
  results.push(r);
  process.stdout.write(`${r.median < 50 && r.p99 < 200 ? 'ok  ' : 'SLOW'} ${endpoint.padEnd(70)} n=${String(r.requests).padStart(6)} median=${r.median.toFixed(1)}ms p99=${r.p99.toFixed(1)}ms${failed ? ` failed=${failed}` : ''}\n`);
}
agent.destroy();
await server.close();
const slow = results.filter((r) => !(r.median < 50 && r.p99 < 200));
process.stdout.write(`\n${results.length - slow.length}/${results.length} endpoints within median < 50 ms, p99 < 200 ms\n`);
process.exitCode = slow.length ? 1 : 0;
