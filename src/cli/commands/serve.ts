/**
 * `handoff serve`: the API over HTTP on loopback by default. Opens the database read-only, builds the
 * publication cubes in the background, reopens the database when the pipeline renames a new file over
 * it, and stops cleanly on SIGINT/SIGTERM. At start it reports, and removes when their process is
 * gone, the lock and working copy a killed ingest left. The HTTP server is src/api/node-server.ts, so
 * Node's own answers (parser errors, oversize heads, timeouts) carry the envelope too.
 */
import { stat, watchFile, unwatchFile, type Stats } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.ts';
import { PRIVATE_NOTICE } from '../../api/envelope.ts';
import { StoreHolder } from '../../api/holder.ts';
import { createNodeServer } from '../../api/node-server.ts';
import { CliError } from '../../core/errors.ts';
import { trace } from '../../core/trace.ts';
import type { Mode } from '../../metrics/index.ts';
import { openReadOnly } from '../../pipeline/index.ts';
import { cleanLeftovers, type Leftover } from '../../store/store.ts';
import { dbPathOf } from '../db-path.ts';
import type { Command } from './index.ts';
import { describeLeftovers } from './status.ts';

export interface StartServerOptions {
  dbPath: string;
  port?: number;
  host?: string;
  mode?: Mode;
  now?: () => Date;
  /** How often the database file is checked for replacement, ms (default 1000). */
  watchIntervalMs?: number;
  /** Called after the database was reopened (tests, logs). */
  onReload?: (info: { ok: boolean; error?: string }) => void;
  /** Called at start with the files a killed ingest left beside the database, after the stale ones were removed. */
  onLeftovers?: (leftovers: Leftover[]) => void;
}

export interface RunningServer {
  url: string;
  holder: StoreHolder;
  /** Stops accepting requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>;
}

/** Starts the API server; resolves once it is listening (the cubes then build in the background). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const mode = options.mode ?? 'public';
  // A killed ingest leaves its lock and a database-sized working copy; remove them if their process is gone.
  trace('serve: start');
  const leftovers = await cleanLeftovers(options.dbPath);
  if (leftovers.length) options.onLeftovers?.(leftovers);
  const store = await openReadOnly(options.dbPath);
  const holder = new StoreHolder(store, mode);
  const app = createApp({ holder, mode, now: options.now });

  let last: { ino: number; mtimeMs: number; size: number } | null = await new Promise((resolve) =>
    stat(options.dbPath, (err, s) => resolve(err ? null : { ino: s.ino, mtimeMs: s.mtimeMs, size: s.size })),
  );
  let reloading = false;
  const onChange = (cur: Stats) => {
    if (cur.nlink === 0 && cur.size === 0 && cur.mtimeMs === 0) return; // missing for a moment during the rename
    if (last && cur.ino === last.ino && cur.mtimeMs === last.mtimeMs && cur.size === last.size) return;
    if (reloading) return;
    reloading = true;
    last = { ino: cur.ino, mtimeMs: cur.mtimeMs, size: cur.size };
    openReadOnly(options.dbPath)
      .then((next) => {
        void holder.swap(next);
        options.onReload?.({ ok: true });
      })
      .catch((e: Error) => options.onReload?.({ ok: false, error: e.message }))
      .finally(() => {
        reloading = false;
      });
  };
  watchFile(options.dbPath, { interval: options.watchIntervalMs ?? 1000, persistent: false }, onChange);

  // Node's own answers (parser errors, oversize heads, timeouts, CONNECT) carry the envelope too.
  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = createNodeServer(app.fetch, { hostname: options.host ?? '127.0.0.1' });
    s.once('error', reject);
    s.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve(s));
  }).catch((error: unknown) => {
    // Not listening (the port is taken, say): let go of the database before the error is reported.
    unwatchFile(options.dbPath, onChange);
    holder.close();
    throw error;
  });
  // The cubes are built only once the server listens, so a refused port costs no counting.
  trace('serve: listening');
  void holder.warm();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    holder,
    close: () =>
      new Promise<void>((resolve) => {
        unwatchFile(options.dbPath, onChange);
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        server.closeIdleConnections();
        server.close(() => {
          clearTimeout(force);
          holder.close();
          resolve();
        });
      }),
  };
}

/**
 * Why the server could not listen, in words that say what to do; undefined for an error that is not
 * about the port or the address (it is then reported as it is).
 */
export function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const code = (error as { code?: string } | null)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host} (another handoff serve, or another program): stop it, or pass another port, e.g. --port ${port >= 65535 ? 8788 : port + 1}, or --port 0 for any free port`;
    case 'EACCES':
      return `not allowed to listen on ${where}: ports below 1024 need privileges; pass --port 8787, or --port 0 for any free port`;
    case 'EADDRNOTAVAIL':
      return `--host ${host} is not an address of this machine; pass --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `--host ${host} is not a name this machine can resolve; pass an address such as 127.0.0.1`;
    default:
      return undefined;
  }
}

export const serveCommand: Command = {
  args: '',
  summary: 'serve the API (read-only) on http://127.0.0.1:8787; --private lifts small-cell suppression',
  help:
    'Serves /api/metrics/<name>.json|.csv, places, policies, releases, quality, /api/openapi.json and /api/docs.\n' +
    'Public mode (default) withholds counts of 1-10 and their complements. --private shows every count and says so\n' +
    'on every response: use it only on your own machine. The database is reopened when a new ingest replaces it.',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    private: { type: 'boolean' },
  },
  async run(ctx) {
    const port = ctx.values.port === undefined ? 8787 : Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, not "${String(ctx.values.port)}"`);
    const mode: Mode = ctx.values.private ? 'private' : 'public';
    const host = (ctx.values.host as string | undefined) ?? '127.0.0.1';
    const running = await startServer({
      dbPath: dbPathOf(ctx),
      port,
      host,
      mode,
      now: ctx.now,
      onLeftovers: (leftovers) => {
        for (const note of describeLeftovers(leftovers).notes) ctx.stderr.write(`${note}\n`);
      },
    }).catch((error: unknown) => {
      const problem = listenProblem(error, host, port);
      throw problem ? new CliError(problem, { cause: error }) : error;
    });
    ctx.stderr.write(`Handoff (${mode} mode): dashboard at ${running.url}/ , API documentation at ${running.url}/api/docs\n`);
    if (mode === 'private') ctx.stderr.write(`${PRIVATE_NOTICE}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        ctx.stderr.write('Stopping: finishing requests in flight...\n');
        void running.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return { kind: 'none' };
  },
};
