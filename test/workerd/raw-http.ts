/**
 * A minimal HTTP/1.1 client over one raw `node:net` socket, for keep-alive tests: requests go out on the same
 * connection one after another, bodies are written whole (Content-Length or chunked) without waiting for the
 * server, and a request that gets no complete answer in time resolves as `timeout` instead of hanging.
 */
import { connect, type Socket } from 'node:net';

/** One answer, or what happened instead. */
export type RawResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string; ms: number }
  | { kind: 'closed' | 'timeout' | 'error'; detail: string; ms: number };

/** One request on a {@link RawConnection}. */
export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Send the body with `Transfer-Encoding: chunked` (64 KiB chunks) instead of Content-Length. */
  chunked?: boolean;
  timeoutMs?: number;
}

/** A keep-alive connection. */
export interface RawConnection {
  request(options: RawRequest): Promise<RawResult>;
  /** False once the server closed or reset the socket. */
  open(): boolean;
  close(): void;
}

/**
 * Opens a TCP connection to `url`'s host and port.
 *
 * @example
 * ```ts
 * const c = await openConnection({ url: 'http://127.0.0.1:8787' });
 * const r = await c.request({ path: '/healthz' });
 * c.close();
 * ```
 */
export async function openConnection(options: { url: string }): Promise<RawConnection> {
  const u = new URL(options.url);
  const socket: Socket = await new Promise((ok, fail) => {
    const s = connect(Number(u.port), u.hostname, () => ok(s));
    s.once('error', fail);
  });
  let ended = false;
  socket.on('error', () => (ended = true));
  socket.on('close', () => (ended = true));
  return {
    open: () => !ended && !socket.destroyed,
    close: () => socket.destroy(),
    request: (r) => send(socket, u.host, r),
  };
}

function send(socket: Socket, host: string, r: RawRequest): Promise<RawResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (res: RawResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      resolve(res);
    };
    const ms = () => Math.round(performance.now() - t0);
    const timer = setTimeout(() => finish({ kind: 'timeout', detail: buf.toString('latin1').slice(0, 300), ms: ms() }), r.timeoutMs ?? 20_000);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const parsed = parseResponse(buf);
      if (parsed) finish({ kind: 'response', ...parsed, ms: ms() });
    };
    const onClose = () => finish({ kind: 'closed', detail: buf.toString('latin1').slice(0, 300), ms: ms() });
    const onError = (e: Error & { code?: string }) => finish({ kind: 'error', detail: e.code ?? e.message, ms: ms() });
    if (socket.destroyed) return finish({ kind: 'closed', detail: 'socket already closed', ms: 0 });
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', onError);

    const lines = [`${r.method ?? (r.body ? 'POST' : 'GET')} ${r.path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
    for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
    if (r.body) lines.push(r.chunked ? 'transfer-encoding: chunked' : `content-length: ${r.body.byteLength}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (!r.body) return;
    if (!r.chunked) {
      socket.write(r.body);
      return;
    }
    for (let i = 0; i < r.body.byteLength; i += 65536) {
      const c = r.body.subarray(i, i + 65536);
      socket.write(`${c.byteLength.toString(16)}\r\n`);
      socket.write(c);
      socket.write('\r\n');
    }
    socket.write('0\r\n\r\n');
  });
}

/** Parses one complete response (Content-Length or chunked body) from the start of `buf`, or null if incomplete. */
function parseResponse(buf: Buffer): { status: number; headers: Record<string, string>; body: string } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...rest] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of rest) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let at = end + 4;
  if (headers['transfer-encoding']?.includes('chunked')) {
    const parts: Buffer[] = [];
    for (;;) {
      const nl = buf.indexOf('\r\n', at);
      if (nl < 0) return null;
      const size = parseInt(buf.subarray(at, nl).toString('latin1'), 16);
      if (buf.length < nl + 2 + size + 2) return null;
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      parts.push(buf.subarray(nl + 2, nl + 2 + size));
      at = nl + 2 + size + 2;
    }
  }
  const len = Number(headers['content-length'] ?? 0);
  if (buf.length < at + len) return null;
  return { status, headers, body: buf.subarray(at, at + len).toString('utf8') };
}
