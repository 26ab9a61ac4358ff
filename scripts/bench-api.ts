/**
 * Load test of the metric endpoints: `npm run bench:api -- [db] [--seconds N] [--connections 32] [--cold N]`.
 * Starts the server on a free loopback port and prints how long after the start every metric had
 * answered once (target: 2 s). With --cold N, each metric then gets N distinct, never-asked URLs
 * (places × grains × breakdowns, so no cached answer), sent by `connections` clients, and the cold
 * p50/p99 per metric are printed (target p99 < 100 ms). Then, for each metric endpoint, `connections`
 * keep-alive clients repeat one URL for N seconds (warm: median < 50 ms, p99 < 200 ms).
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { startServer } from '../src/cli/commands/serve.ts';
import { resolveDbPath } from '../src/core/config.ts';
import { STATES } from '../src/geo/states.ts';
import { GRAINS, METRICS } from '../src/metrics/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '3' }, cold: { type: 'string', default: '0' }, connections: { type: 'string', default: '32' }, mode: { type: 'string', default: 'public' } },
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
// Every metric once, all at the same time, as soon as the server listens.
const firstAnswers = await Promise.all(
  METRICS.map((m) => get(agent, `${server.url}/api/metrics/${m.id}.json`).then(() => performance.now() - started, (e: Error) => { process.stdout.write(`  ${e.message}\n`); return NaN; })),
);
process.stdout.write(`every metric answered once ${Math.round(Math.max(...firstAnswers))} ms after the server was started (target 2000 ms)\n\n`);

const coldCount = Number(values.cold);
if (coldCount > 0) {
  const places = ['nation', ...STATES.map((s) => `state:${s.postal}`)];
  process.stdout.write(`cold: ${coldCount} distinct URLs per metric, ${connections} connections\n`);
  for (const m of METRICS) {
    const urls: string[] = [];
    outer: for (const by of m.by) {
      for (const grain of GRAINS) {
        for (const place of places) {
          // The first URL of each metric was asked above; start from the second.
          if (urls.length >= coldCount + 1) break outer;
          urls.push(`/api/metrics/${m.id}.json?place=${place}&grain=${grain}&by=${by}`);
        }
      }
    }
    urls.shift();
    const times: number[] = [];
    let failed = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < urls.length) {
          const url = urls[next++]!;
          try {
            times.push(await get(agent, `${server.url}${url}`));
          } catch {
            failed++;
          }
        }
      }),
    );
    times.sort((a, b) => a - b);
    const p50 = times.length ? quantile(times, 0.5) : NaN;
    const p99 = times.length ? quantile(times, 0.99) : NaN;
    process.stdout.write(`${p99 < 100 ? 'ok  ' : 'SLOW'} cold ${m.id.padEnd(48)} n=${String(times.length).padStart(5)} p50=${p50.toFixed(1)}ms p99=${p99.toFixed(1)}ms${failed ? ` failed=${failed}` : ''}\n`);
  }
  process.stdout.write('\n');
}

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
