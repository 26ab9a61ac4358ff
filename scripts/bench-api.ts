/**
 * Load test of the metric endpoints: `npm run bench:api -- [db] [--seconds N] [--connections 32] [--cold N]`.
 * Starts the server on a free loopback port and prints how long after the start every metric had
 * answered once (target: 2 s). With --cold N, each metric then gets N distinct, never-asked URLs
 * (places × grains × breakdowns, so no cached answer), sent by `connections` clients, and the cold
 * p50/p99 per metric are printed (target p99 < 100 ms). Then, for each metric endpoint, `connections`
 * keep-alive clients repeat one URL for N seconds (warm: median < 50 ms, p99 < 200 ms).
 *
 * The server runs as its own process (`node bin/handoff.js serve`), as it does for users, so the
 * clients' own work (parsing answers of up to 200 kB) does not queue behind the server's on one
 * event loop; the start time counts from the spawn, process start-up included. `--in-process`
 * runs it in this process instead; `--profile DIR` has the server process write a CPU profile to DIR.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../src/cli/commands/serve.ts';
import { resolveDbPath } from '../src/core/config.ts';
import { STATES } from '../src/geo/states.ts';
import { GRAINS, METRICS } from '../src/metrics/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '3' }, cold: { type: 'string', default: '0' }, connections: { type: 'string', default: '32' }, mode: { type: 'string', default: 'public' }, 'in-process': { type: 'boolean', default: false }, profile: { type: 'string' } },
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

/** Starts `handoff serve` as a child process; resolves with its URL once it listens. */
function spawnServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const bin = path.resolve(import.meta.dirname, '../bin/handoff.js');
  // --profile DIR: the server writes a V8 CPU profile there when it exits.
  const prof = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const args = [...prof, ...(process.env.SERVER_NODE_OPTIONS ? process.env.SERVER_NODE_OPTIONS.split(' ') : []), bin, 'serve', '--db', dbPath, '--port', '0', ...(values.mode === 'private' ? ['--private'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = /(http:\/\/[^/\s]+)\/api\/docs/.exec(err);
      if (m) resolve({ url: m[1]!, close: () => new Promise((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); }) });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

const started = performance.now();
const server = values['in-process'] ? await startServer({ dbPath, port: 0, mode: values.mode === 'private' ? 'private' : 'public' }) : await spawnServer();
process.stdout.write(`server ${values['in-process'] ? 'in this process' : 'process'} listening ${Math.round(performance.now() - started)} ms after start at ${server.url}\n`);
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
    const slowest: { url: string; ms: number }[] = [];
    let failed = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < urls.length) {
          const url = urls[next++]!;
          try {
            const ms = await get(agent, `${server.url}${url}`);
            times.push(ms);
            slowest.push({ url, ms });
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
    // The slowest URLs, to tell a heavy answer from a queue behind one.
    if (p99 >= 100) for (const x of slowest.sort((a, b) => b.ms - a.ms).slice(0, 3)) process.stdout.write(`       ${x.ms.toFixed(0).padStart(5)} ms ${x.url}\n`);
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
