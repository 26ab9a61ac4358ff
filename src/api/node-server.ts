/**
 * The HTTP/1.1 server around the app. Node's parser answers some requests before the app sees them
 * (an unknown method, a request head over the size limit, a slow client, CONNECT); here those answers
 * get the same JSON error envelope and security headers as the app's own.
 *
 * Does: create the node:http server with the request limits of {@link HTTP_LIMITS}; answer what the
 * parser refuses with an envelope (400, 408, 413, 414, 431) and CONNECT with a 405; close such a
 * connection without a reset (it sends the answer, then reads and discards what the client is still
 * sending, for a bounded time and size); hand every request it could parse to the app.
 * Does not: listen on a port (src/cli/commands/serve.ts does), route, or know anything of the data.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { errorBody } from './envelope.ts';
import { setSecurityHeaders } from './security.ts';

/** What one request may cost the server. The app checks the URL and body; Node's parser the head. */
export const HTTP_LIMITS = Object.freeze({
  /** Longest request URL the app answers, characters (414 above). */
  maxUrlChars: 4096,
  /** Largest request body, bytes: this API is read-only and takes none (413 above). */
  maxBodyBytes: 0,
  /** Largest request head (request line and headers), bytes: 431, or 414 when the URL alone is over. */
  maxHeaderBytes: 16 * 1024,
  /** Longest wait for a complete request head, ms (408 after). */
  headersTimeoutMs: 20_000,
  /** Longest wait for a complete request, ms (408 after). */
  requestTimeoutMs: 30_000,
  /** How long a refused connection is read and discarded before it is closed, ms. */
  lingerMs: 2_000,
  /** How much of a refused request is read and discarded before the connection is closed, bytes. */
  lingerBytes: 16 * 1024 * 1024,
  /** How often Node checks the head and request timeouts, ms. */
  timeoutCheckMs: 5_000,
});

export type HttpLimits = { readonly [K in keyof typeof HTTP_LIMITS]: number };

type Fetch = (request: Request, env: { incoming: IncomingMessage; outgoing: ServerResponse }) => Response | Promise<Response>;

/** The headers of an error envelope sent outside the app: the app's security headers, never cached. */
function errorHeaders(extra: Record<string, string>): Headers {
  const h = new Headers({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra });
  setSecurityHeaders(h, { cors: true });
  return h;
}

/** The error envelope as a complete Response (for requests the app could not be given). */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(errorBody(status, message)), { status, headers: errorHeaders(headers) });
}

/** The error envelope as the raw bytes of an HTTP/1.1 response that closes the connection. */
export function rawErrorResponse(status: number, message: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify(errorBody(status, message));
  const h = errorHeaders({ ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', Date: new Date().toUTCString() });
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`];
  for (const [k, v] of h) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Status and message for an error of Node's HTTP parser (or its timeouts). */
export function parserErrorAnswer(err: { code?: string; rawPacket?: unknown }, limits: HttpLimits = HTTP_LIMITS): { status: number; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW': {
      // Node does not say which part overflowed. When the packet is the start of the request and its
      // first line is already over the URL limit, the URL is the problem (414); else the headers (431).
      const packet = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : null;
      if (packet && /^[A-Z]{1,20} /.test(packet.subarray(0, 21).toString('latin1'))) {
        const eol = packet.indexOf('\r\n');
        if ((eol < 0 ? packet.length : eol) > limits.maxUrlChars) {
          return { status: 414, message: `request URL longer than ${limits.maxUrlChars} characters` };
        }
      }
      return { status: 431, message: `request headers larger than ${limits.maxHeaderBytes} bytes` };
    }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: 'requests to this API carry no body' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: `the request was not received in time (head within ${limits.headersTimeoutMs / 1000} s, all of it within ${limits.requestTimeoutMs / 1000} s)` };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: 'unknown HTTP method; this API is read-only (GET, HEAD)' };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return { status: 400, message: 'malformed request: conflicting or invalid Content-Length / Transfer-Encoding' };
    default:
      return { status: 400, message: `malformed HTTP request${err.code?.startsWith('HPE_') ? ` (${err.code})` : ''}` };
  }
}

/** Answers `res` with the error envelope and closes the connection (a request the app is not given). */
function refuse(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify(errorBody(status, message));
  res.writeHead(status, Object.fromEntries(errorHeaders({ 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })));
  res.end(body);
}

/** Connections already answered: the parser reports every later chunk of a refused request again. */
const answered = new WeakSet<Duplex>();
/** Connections whose refusal waits for the answer to an earlier request on them to be sent first. */
const pending = new WeakSet<Duplex>();
/**
 * Connections whose last request was answered (a 413) before its body had all arrived: when that
 * body then times out, the request has had its answer already, and a second one (a 408) would be
 * read by the client as the answer to its next request. Such a connection is only closed.
 */
const bodyUnread = new WeakSet<Duplex>();

/**
 * Sends `payload` and closes the connection without a reset: closing a socket that still has unread
 * bytes makes the kernel send RST, and the client may then lose the answer. So the write side is
 * closed first and what the client still sends is read and dropped, up to the linger limits.
 */
export function answerAndClose(socket: Duplex, payload: string, limits: HttpLimits = HTTP_LIMITS): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const timer = setTimeout(() => socket.destroy(), limits.lingerMs);
  timer.unref();
  let read = 0;
  socket.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > limits.lingerBytes) socket.destroy();
  });
  socket.on('error', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
  socket.end(payload);
  socket.resume();
}

/**
 * The node:http server for `fetch` (the Hono app's), with the limits and answers above. `hostname`
 * completes the URL of an HTTP/1.0 request without a Host header; `limits` overrides some (tests).
 */
export function createNodeServer(fetch: Fetch, options: { hostname?: string; limits?: Partial<HttpLimits> } = {}): Server {
  const limits: HttpLimits = { ...HTTP_LIMITS, ...options.limits };
  const listener = getRequestListener(fetch as Parameters<typeof getRequestListener>[0], {
    hostname: options.hostname,
    // A request Node parsed but the adapter could not turn into a Request (a bad Host, an invalid
    // absolute URL): a 400 envelope rather than the adapter's empty 400.
    errorHandler: (e) =>
      e instanceof Error && e.name === 'RequestError' ? errorResponse(400, 'malformed request: invalid Host or URL') : errorResponse(500, 'internal error'),
  });
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckMs,
      // Node's own 400 for a missing Host has no envelope; the check is made below instead.
      requireHostHeader: false,
    },
    handle,
  );
  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      refuse(res, 400, 'malformed request: HTTP/1.1 requires a Host header');
      return;
    }
    // Two Host headers (RFC 9112 §3.2: a 400): a proxy and this server could read different hosts.
    if (req.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'host').length > 1) {
      refuse(res, 400, 'malformed request: more than one Host header');
      return;
    }
    const socket = req.socket;
    res.once('finish', () => {
      if (!req.complete) {
        bodyUnread.add(socket);
        req.once('end', () => bodyUnread.delete(socket));
      }
    });
    void listener(req, res);
  }
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex) => {
    if (answered.has(socket) || pending.has(socket)) return; // a later chunk of a request already refused
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || bodyUnread.has(socket)) {
      socket.destroy();
      return;
    }
    const { status, message } = parserErrorAnswer(err, limits);
    // A parse error on a kept-alive connection while the answer to an earlier (pipelined) request is
    // still being prepared or written: sent now, the refusal would be read as that request's answer,
    // or corrupt it. So the earlier answer goes first, then the refusal, then the close.
    const inflight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (inflight && !inflight.writableFinished) {
      pending.add(socket);
      inflight.once('close', () => {
        pending.delete(socket);
        if (inflight.writableFinished) answerAndClose(socket, rawErrorResponse(status, message), limits);
        else socket.destroy();
      });
      return;
    }
    answerAndClose(socket, rawErrorResponse(status, message), limits);
  });
  // A request with `Expect: 100-continue` is answered at once (413: this API takes no body), without
  // the interim 100 that would invite the body; any other expectation is a 417 envelope.
  server.on('checkContinue', handle);
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => refuse(res, 417, 'unsupported Expect header; this API takes no request body'));
  // CONNECT (proxy tunnels) never reaches the request handler; without an answer Node drops the socket.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    answerAndClose(socket, rawErrorResponse(405, 'method CONNECT not allowed; this API is read-only (GET, HEAD)', { Allow: 'GET, HEAD' }), limits);
  });
  return server;
}
