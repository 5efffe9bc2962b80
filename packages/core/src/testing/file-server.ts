/**
 * A local HTTP server for load tests (Node only): serves files from a folder and/or in-memory entries over real
 * HTTP, so loads go through the real `fetch`. Records every request path; entries can carry extra headers
 * (digests) and be replaced between requests.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

/** One in-memory file. */
export interface ServedFile {
  body: Uint8Array | string;
  headers?: Record<string, string>;
}

/** A running server. */
export interface FileServer {
  /** Base URL, ending in `/`. */
  url: string;
  /** Paths requested so far (without the leading `/`), in order, with the status served. */
  requests: Array<{ path: string; status: number }>;
  /** Adds or replaces an in-memory file (path without leading `/`). */
  set(path: string, file: ServedFile | undefined): void;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (a free port) serving `root` (optional) and `files` (taking precedence).
 *
 * @example
 * ```ts
 * const server = await serveFiles({ root: '/tmp/resnet-50' });
 * const model = await load({ model: `${server.url}` });
 * await server.close();
 * ```
 */
export async function serveFiles(o: { root?: string; files?: Record<string, ServedFile> } = {}): Promise<FileServer> {
  const files = new Map(Object.entries(o.files ?? {}));
  const requests: FileServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const send = (status: number, body: Uint8Array | string, headers: Record<string, string> = {}) => {
      requests.push({ path, status });
      res.writeHead(status, { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength), ...headers });
      res.end(body);
    };
    const mem = files.get(path);
    if (mem) return send(200, mem.body, mem.headers);
    if (!o.root || path.split('/').includes('..')) return send(404, 'not found');
    const full = join(o.root, normalize(path));
    stat(full)
      .then((st) => (st.isFile() ? readFile(full).then((b) => send(200, new Uint8Array(b))) : send(404, 'not found')))
      .catch(() => send(404, 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    set(path, file) {
      if (file) files.set(path, file);
      else files.delete(path);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
