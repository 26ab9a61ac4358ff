/**
 * Node-level answers (issue 21): requests that Node's HTTP parser refuses before the app sees them
 * (an unknown method, a request head over the limit, CONNECT, a stalled client) and requests the
 * adapter cannot turn into a Request (no Host, a bad Host) get the JSON error envelope and the security
 * headers, like every answer of the app; a large refused request gets its answer, not a reset.
 * Requests are sent raw over node:net, as an attacker would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { createNodeServer, HTTP_LIMITS } from '../../src/api/node-server.ts';
import { startServer } from '../../src/cli/commands/serve.ts';
import { openReadOnly } from '../../src/pipeline/index.ts';
import type { Store } from '../../src/store/index.ts';
import { buildFixtureDb } from '../metrics/fixture.ts';

let dir: string;
let db: string;
let store: Store;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'handoff-node-level-'));
  db = await buildFixtureDb(dir);
  store = await openReadOnly(db);
  const app = createApp({ store, mode: 'public' });
  // Short head/request timeouts so the stalled-client case answers soon; the other limits as served.
  server = createNodeServer(app.fetch, { hostname: '127.0.0.1', limits: { headersTimeoutMs: 300, requestTimeoutMs: 300, timeoutCheckMs: 50 } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The socket error the client saw, if any (ECONNRESET is what a reset looks like). */
  error?: string;
  /** Everything the server sent (every answer on the connection), as latin1. */
  all: string;
}

/**
 * Sends `parts` in order (each after the previous one was taken by the kernel, like a blocking client)
 * and reads one answer: until the server closes, or until the body of Content-Length has arrived.
 * `waitForClose` also waits for the server's close, to see a reset that follows the answer.
 */
function raw(parts: (string | Buffer)[], options: { port?: number; waitForClose?: boolean; gapMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: options.port ?? port, host: '127.0.0.1', allowHalfOpen: true });
    let data = Buffer.alloc(0);
    let i = 0;
    let error: string | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const text = data.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head < 0) return reject(new Error(`no answer (error: ${error ?? 'none'}, received ${JSON.stringify(text.slice(0, 200))})`));
      const [statusLine, ...lines] = text.slice(0, head).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1] ?? 0), headers, body: Buffer.from(text.slice(head + 4), 'latin1').toString('utf8'), error, all: text });
    };
    const complete = () => {
      const text = data.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head < 0) return false;
      const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head + 2));
      return m !== null && data.length - (head + 4) >= Number(m[1]);
    };
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      if (!options.waitForClose && complete()) finish();
    });
    let serverEnded = false;
    socket.on('end', () => {
      serverEnded = true;
      if (!options.waitForClose) finish();
      else if (i >= parts.length) socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      finish();
    });
    socket.on('close', finish);
    socket.setTimeout(10_000, () => {
      error = 'timeout';
      finish();
    });
    const next = () => {
      if (socket.destroyed) return;
      if (i >= parts.length) {
        if (serverEnded) socket.end();
        return;
      }
      socket.write(parts[i++]!, (err) => {
        if (err) return;
        if (options.gapMs) setTimeout(next, options.gapMs);
        else next();
      });
    };
    socket.on('connect', next);
  });
}

/** The envelope and the headers every answer carries. */
function expectEnvelope(a: RawAnswer, status: number): Record<string, unknown> {
  expect(a.status).toBe(status);
  expect(a.headers['content-type']).toMatch(/^application\/json/);
  expect(a.headers['content-security-policy']).toContain("default-src 'self'");
  expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(a.headers['x-content-type-options']).toBe('nosniff');
  expect(a.headers['x-frame-options']).toBe('DENY');
  expect(a.headers['referrer-policy']).toBe('no-referrer');
  expect(a.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(a.body) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'errors', 'ok', 'status']);
  expect(body.ok).toBe(false);
  expect(body.status).toBe(status);
  expect(typeof body.error).toBe('string');
  expect(String(body.error)).not.toMatch(/Error:|\.ts:|at /);
  return body;
}

/** `n` bytes of filler, in pieces, so large requests stream like a real client's. */
function filler(n: number, piece = 256 * 1024): Buffer[] {
  const out: Buffer[] = [];
  for (let left = n; left > 0; left -= piece) out.push(Buffer.alloc(Math.min(piece, left), 'a'));
  return out;
}

const GET = (target: string, headers = 'Host: x\r\n') => `GET ${target} HTTP/1.1\r\n${headers}\r\n`;

describe('what Node refuses before the app', () => {
  test('an unknown method is a 400 envelope', async () => {
    const body = expectEnvelope(await raw(['FOO /api/releases.json HTTP/1.1\r\nHost: x\r\n\r\n']), 400);
    expect(String(body.error)).toMatch(/method/);
  });

  test('bytes that are not HTTP are a 400 envelope', async () => {
    expectEnvelope(await raw([Buffer.from([0, 1, 2, 0xff, 13, 10, 13, 10])]), 400);
    expectEnvelope(await raw(['NOT HTTP AT ALL\r\n\r\n']), 400);
  });

  test('CONNECT is a 405 envelope that names the allowed methods', async () => {
    const a = await raw(['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n']);
    expectEnvelope(a, 405);
    expect(a.headers.allow).toBe('GET, HEAD');
  });

  test('headers over the limit are a 431 envelope: one large header, and 3,000 small ones', async () => {
    expectEnvelope(await raw([GET('/api/releases.json', `Host: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n`)]), 431);
    const many = Array.from({ length: 3000 }, (_, i) => `X-H${i}: 1\r\n`).join('');
    expectEnvelope(await raw([GET('/api/releases.json', `Host: x\r\n${many}`)]), 431);
  });

  test('a URL over the head limit is a 414 envelope; one over the URL limit but under the head limit too', async () => {
    const big = await raw(['GET /api/releases.json?x=', ...filler(1024 * 1024), ' HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(String(expectEnvelope(big, 414).error)).toContain(String(HTTP_LIMITS.maxUrlChars));
    expectEnvelope(await raw([GET(`/api/releases.json?x=${'a'.repeat(10_000)}`)]), 414);
  });

  test('Content-Length and Transfer-Encoding together, or a negative Content-Length, are a 400 envelope', async () => {
    expectEnvelope(await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n']), 400);
    expectEnvelope(await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n']), 400);
  });

  test('a client that stalls in the middle of its head gets a 408 envelope', async () => {
    const a = await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\n'], { waitForClose: true });
    expectEnvelope(a, 408);
  });
});

describe('what the adapter could not turn into a request', () => {
  test('HTTP/1.1 without Host, and a Host that is not a host, are 400 envelopes', async () => {
    expect(String(expectEnvelope(await raw(['GET /api/releases.json HTTP/1.1\r\n\r\n']), 400).error)).toMatch(/Host/);
    expectEnvelope(await raw([GET('/api/releases.json', 'Host: a b\r\n')]), 400);
  });

  test('HTTP/1.0 without Host is still served', async () => {
    const a = await raw(['GET /api/releases.json HTTP/1.0\r\n\r\n']);
    expect(a.status).toBe(200);
    expect((JSON.parse(a.body) as { ok: boolean }).ok).toBe(true);
  });
});

describe('bodies and large requests', () => {
  test('a body over 1 MB is a 413 envelope, and the connection is closed cleanly', async () => {
    const n = 2 * 1024 * 1024;
    const a = await raw([`GET /api/releases.json HTTP/1.1\r\nHost: x\r\nContent-Length: ${n}\r\n\r\n`, ...filler(n)]);
    expectEnvelope(a, 413);
    expect(a.error).toBeUndefined();
    const chunked = await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n']);
    expectEnvelope(chunked, 413);
  });

  test('a refused request of several MB gets its answer and no reset while the client is still sending', async () => {
    // Closing a socket with unread bytes makes the kernel reset the connection; the answer is then lost.
    const n = 8 * 1024 * 1024;
    expect(n).toBeLessThan(HTTP_LIMITS.lingerBytes);
    const headers = await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nX-Big: ', ...filler(n), '\r\n\r\n'], { waitForClose: true });
    expectEnvelope(headers, 431);
    expect(headers.error).toBeUndefined();
    const url = await raw(['GET /api/releases.json?x=', ...filler(n), ' HTTP/1.1\r\nHost: x\r\n\r\n'], { waitForClose: true });
    expectEnvelope(url, 414);
    expect(url.error).toBeUndefined();
  });

  test('the server answers normally after all of the above', async () => {
    const a = await raw([GET('/api/releases.json', 'Host: x\r\nConnection: close\r\n')]);
    expect(a.status).toBe(200);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
  });
});

/** The answers on one connection, in the order sent: each status line and its headers. */
function answersOf(all: string): { status: number; head: string }[] {
  return all
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter((part) => part.startsWith('HTTP/1.1 '))
    .map((part) => ({ status: Number(part.slice(9, 12)), head: part.slice(0, part.indexOf('\r\n\r\n')).toLowerCase() }));
}

/** The server still answers a plain request after a hostile one. */
async function expectAlive(what: string): Promise<void> {
  const a = await raw([GET('/api/releases.json', 'Host: x\r\nConnection: close\r\n')]);
  expect(a.status, `after ${what}`).toBe(200);
}

describe('hostile request lines, headers and framing (issue 21, item 1)', () => {
  const H = 'Host: x\r\nConnection: close\r\n';

  test('methods Node knows but the API refuses are a 405 envelope naming GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE']) {
      const a = await raw([`${method} /api/releases.json HTTP/1.1\r\n${H}\r\n`]);
      expectEnvelope(a, 405);
      expect(a.headers.allow, method).toBe('GET, HEAD');
    }
    await expectAlive('refused methods');
  });

  test('bad request lines are a 400 envelope', async () => {
    const lines: (string | Buffer)[] = [
      `get /api/releases.json HTTP/1.1\r\n${H}\r\n`,
      `${'A'.repeat(40)} / HTTP/1.1\r\n${H}\r\n`,
      'GET\r\n\r\n',
      `GET /api/releases.json HTTP/9.9\r\n${H}\r\n`,
      `GET /api/releases.json HTTP/1.1 x\r\n${H}\r\n`,
      'GET /api/releases.json HTTP/1.1\nHost: x\n\n',
      `GET /api/rel eases.json HTTP/1.1\r\n${H}\r\n`,
      Buffer.from(`GET /api/\0releases.json HTTP/1.1\r\n${H}\r\n`, 'latin1'),
      Buffer.concat([Buffer.from('GET /api/metrics/'), Buffer.from([0xff, 0xfe]), Buffer.from(`.json HTTP/1.1\r\n${H}\r\n`)]),
      Buffer.from(`GET /api/metrics/detainers_issued.json?place=é HTTP/1.1\r\n${H}\r\n`, 'utf8'),
      `GET /api/\treleases.json HTTP/1.1\r\n${H}\r\n`,
      `GET api/releases.json HTTP/1.1\r\n${H}\r\n`,
      `GET ../../etc/passwd HTTP/1.1\r\n${H}\r\n`,
      `GET %ZZ HTTP/1.1\r\n${H}\r\n`,
      `GET * HTTP/1.1\r\n${H}\r\n`,
      `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
      `GET http://[::1/api HTTP/1.1\r\n${H}\r\n`,
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]),
    ];
    for (const line of lines) expectEnvelope(await raw([line]), 400);
    await expectAlive('bad request lines');
  });

  test('malformed headers, and two Host headers, are a 400 envelope', async () => {
    const heads: (string | Buffer)[] = [
      'GET /api/releases.json HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n',
      'GET /api/releases.json HTTP/1.1\r\nHost: x\r\nNoColon\r\nConnection: close\r\n\r\n',
      'GET /api/releases.json HTTP/1.1\r\nHost : x\r\nConnection: close\r\n\r\n',
      Buffer.from('GET /api/releases.json HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nConnection: close\r\n\r\n', 'latin1'),
    ];
    for (const head of heads) expectEnvelope(await raw([head]), 400);
    const twoHosts = expectEnvelope(await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n']), 400);
    expect(String(twoHosts.error)).toMatch(/Host/);
    expectEnvelope(await raw([`GET /api/releases.json HTTP/1.1\r\n${H}${'X'.repeat(20_000)}: 1\r\n\r\n`]), 431);
    await expectAlive('malformed headers');
  });

  test('invalid body framing is a 400 envelope; a body, however announced, a 413', async () => {
    for (const framing of ['Content-Length: 99999999999999999999', 'Content-Length: abc', 'Content-Length: 1\r\nContent-Length: 2']) {
      expectEnvelope(await raw([`GET /api/releases.json HTTP/1.1\r\n${H}${framing}\r\n\r\nab`]), 400);
    }
    // Node refuses `identity` as it parses, or hands the request on and the app refuses the body.
    const identity = await raw([`GET /api/releases.json HTTP/1.1\r\n${H}Transfer-Encoding: identity\r\n\r\n`]);
    expect([400, 413]).toContain(identity.status);
    expectEnvelope(identity, identity.status);
    // A bad chunk size: the app has refused the body (413) by the time Node reads the chunk; one answer only.
    const chunk = await raw([`GET /api/releases.json HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n`], { waitForClose: true });
    expect([400, 413]).toContain(chunk.status);
    expectEnvelope(chunk, chunk.status);
    expect(answersOf(chunk.all)).toHaveLength(1);
    expectEnvelope(await raw([`GET /api/releases.json HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`]), 413);
    await expectAlive('body framing');
  });

  test('Expect: 100-continue gets the 413 at once, with no interim 100 inviting the body; another expectation a 417', async () => {
    const a = await raw([`GET /api/releases.json HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\n`]);
    expect(a.all).not.toMatch(/^HTTP\/1\.1 100/);
    expectEnvelope(a, 413);
    expectEnvelope(await raw([`GET /api/releases.json HTTP/1.1\r\n${H}Expect: foo\r\n\r\n`]), 417);
    await expectAlive('Expect');
  });

  test('slowloris: a head sent a byte at a time, or a request line never ended, gets a 408 envelope', async () => {
    const dribble = 'GET /api/releases.json HTTP/1.1\r\nHost: x\r\nX-A: '.padEnd(120, 'a').split('');
    expectEnvelope(await raw(dribble, { waitForClose: true, gapMs: 10 }), 408);
    expectEnvelope(await raw(['GET /api/releases.json HT'], { waitForClose: true }), 408);
    await expectAlive('slow clients');
  });

  test('a bad request pipelined behind a good one: the good one gets its own answer first, then the refusal', async () => {
    for (const first of ['/api/releases.json', '/api/metrics/detainers_issued.json?grain=month&by=criminality&place=state:NY']) {
      const a = await raw([`GET ${first} HTTP/1.1\r\nHost: x\r\n\r\nFOO / HTTP/1.1\r\nHost: x\r\n\r\n`], { waitForClose: true });
      const answers = answersOf(a.all);
      expect(answers.map((x) => x.status), first).toEqual([200, 400]);
      expect(answers[1]!.head).toContain('content-security-policy:');
      expect(answers[1]!.head).toContain('content-type: application/json');
    }
    await expectAlive('pipelining');
  });

  test('a body that never arrives: its request gets one answer (413), then a close, not a second answer', async () => {
    const a = await raw(['GET /api/releases.json HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab'], { waitForClose: true });
    expectEnvelope(a, 413);
    expect(answersOf(a.all).map((x) => x.status)).toEqual([413]);
    await expectAlive('a stalled body');
  });
});

test('handoff serve uses this server: an unknown method through startServer is the envelope too', async () => {
  const running = await startServer({ dbPath: db, port: 0, watchIntervalMs: 60_000 });
  try {
    const p = Number(new URL(running.url).port);
    expectEnvelope(await raw(['FOO / HTTP/1.1\r\nHost: x\r\n\r\n'], { port: p }), 400);
    expectEnvelope(await raw(['GET /api/metrics/%ZZ.json HTTP/1.1\r\nHost: x\r\n\r\n'], { port: p }), 404);
  } finally {
    await running.close();
  }
});
