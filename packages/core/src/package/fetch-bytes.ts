/** Reads a URL (http(s), file: in Node, or anything a caller-supplied fetch understands) with byte progress. */
import { ModelLoadError, throwIfAborted } from '../errors.js';
import { nodeBuiltin } from '../platform/node-builtin.js';

export interface FetchBytesOptions {
  url: URL;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Expected size, used for progress when the server sends no Content-Length and to refuse oversized bodies. */
  expectedBytes?: number;
  onProgress?: (loaded: number, total: number) => void;
}

/**
 * Fetches `url` fully into memory, reporting progress.
 *
 * @example
 * ```ts
 * const bytes = await fetchBytes({ url: new URL('https://example.com/model.onnx') });
 * ```
 */
export async function fetchBytes(options: FetchBytesOptions): Promise<Uint8Array> {
  const { url, signal, expectedBytes, onProgress } = options;
  throwIfAborted(signal);
  if (url.protocol === 'file:' && !options.fetch) return readFileUrl(url, options);
  const f = options.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await f(url, { signal });
  } catch (e) {
    throwIfAborted(signal);
    throw new ModelLoadError('MODEL_FETCH_FAILED', `Could not fetch ${url.href}: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) {
    throw new ModelLoadError(res.status === 404 ? 'UNKNOWN_MODEL' : 'MODEL_FETCH_FAILED', `Fetching ${url.href} failed with HTTP ${res.status}.`, {
      details: { status: res.status, url: url.href },
    });
  }
  const total = Number(res.headers.get('content-length')) || expectedBytes || 0;
  if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    // A body larger than the manifest promises cannot pass integrity anyway: stop early instead of buffering it all.
    if (expectedBytes && loaded > expectedBytes) {
      await reader.cancel();
      throw new ModelLoadError('INTEGRITY_MISMATCH', `${url.href} is larger than the ${expectedBytes} bytes the manifest declares.`);
    }
    onProgress(loaded, Math.max(total, loaded));
  }
  return concat(chunks, loaded);
}

async function readFileUrl(url: URL, options: FetchBytesOptions): Promise<Uint8Array> {
  const fs = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
  if (!fs) throw new ModelLoadError('MODEL_FETCH_FAILED', `${url.href}: file: URLs are only readable in Node; pass a fetch that can read them.`);
  try {
    const buf = await fs.readFile(url);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    options.onProgress?.(bytes.byteLength, bytes.byteLength);
    return bytes;
  } catch (e) {
    const errno = (e as { code?: string }).code;
    // ENOTDIR: a path through a file, e.g. an image path taken for a model folder (its model.json looked up under it).
    if (errno === 'ENOTDIR') {
      throw new ModelLoadError('UNKNOWN_MODEL', `No model at ${url.href}: a parent of it is a file, not a folder. Pass a model.json, an .onnx file, or a folder holding one.`, { cause: e });
    }
    throw new ModelLoadError(errno === 'ENOENT' ? 'UNKNOWN_MODEL' : 'MODEL_FETCH_FAILED', `Could not read ${url.href}: ${(e as Error).message}`, { cause: e });
  }
}

/** Concatenates byte chunks into one array. */
export function concat(chunks: Uint8Array[], total = chunks.reduce((n, c) => n + c.byteLength, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
