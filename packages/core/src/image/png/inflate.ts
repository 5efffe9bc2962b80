/**
 * Bounded zlib inflate for PNG image data. The output is consumed as it is produced and the stream is abandoned the
 * moment it passes `limit` bytes, so a zlib bomb costs at most `limit` plus one chunk, never its full expansion.
 * Engines, best first: Node's zlib stream (256 KiB chunks on the thread pool, overlapping the caller's row work),
 * the platform's `DecompressionStream('deflate')` (workerd, browsers; fed one slice at a time, see inflateWithStream),
 * fflate's streaming `Unzlib` (anywhere). Both are fed in slices sized to the limit, so no single step can expand far
 * past it.
 */
import { Unzlib } from 'fflate';
import { ImageInputError } from '../../errors.js';
import { nodeZlib } from './node-zlib.js';

/** Deflate's maximum expansion per compressed byte. */
const MAX_RATIO = 1032;

/**
 * Compressed bytes handed to the inflater per step: at most ~1032x this comes out of one step, so the slice is
 * sized to the limit (one step can overshoot it at most about twice) within [256 B, 64 KiB].
 */
function sliceSize(limit: number): number {
  return Math.max(256, Math.min(64 * 1024, Math.ceil(limit / MAX_RATIO)));
}

export type InflateEngine = 'node' | 'stream' | 'fflate';

/** What to do with each piece of inflated data; return `false` to stop early (the rest is not inflated). */
export type InflateSink = (chunk: Uint8Array) => boolean | void;

export interface InflateOptions {
  /** zlib stream, possibly split across several IDAT chunks. */
  parts: readonly Uint8Array[];
  /** Most bytes the caller accepts; one more is an error. */
  limit: number;
  sink: InflateSink;
  /** Force an implementation (tests); default: Node's zlib in Node, else DecompressionStream, else fflate. */
  engine?: InflateEngine;
}

export class InflateLimitError extends ImageInputError {
  constructor(limit: number) {
    super('IMAGE_DECODE_FAILED', `The png image data inflates to more than the ${limit} bytes its header declares (a decompression bomb or corrupt data).`, {
      details: { format: 'png', reason: 'inflate-limit', limit },
    });
  }
}

function* slices(parts: readonly Uint8Array[], size: number): Generator<Uint8Array> {
  for (const p of parts) for (let i = 0; i < p.length; i += size) yield p.subarray(i, Math.min(p.length, i + size));
}

/**
 * Inflates `parts` into `sink`, refusing to produce more than `limit` bytes. Resolves with the byte count once the
 * zlib stream ends (or the sink said stop); rejects with `IMAGE_DECODE_FAILED` on corrupt data or when the limit is
 * passed. A stream that ends early is not an error here: the caller compares the count with what it expected.
 *
 * @example
 * ```ts
 * let n = 0;
 * await inflateBounded({ parts: png.idat, limit: expected + 1024, sink: (c) => { n += c.length; } });
 * ```
 */
export async function inflateBounded(o: InflateOptions): Promise<number> {
  const engine = o.engine ?? (nodeZlib() ? 'node' : typeof DecompressionStream === 'function' ? 'stream' : 'fflate');
  if (engine === 'node') return inflateWithNode(o);
  return engine === 'stream' ? inflateWithStream(o) : inflateWithFflate(o);
}

function corrupt(cause: unknown): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', 'The png image data is corrupt (zlib error).', { cause, details: { format: 'png', reason: 'zlib' } });
}

/** Errors thrown by the sink pass through untouched; only the inflater's own failures become `corrupt`. */
class SinkFailure {
  constructor(readonly error: unknown) {}
}

function feed(o: InflateOptions, chunk: Uint8Array): boolean {
  try {
    return o.sink(chunk) !== false;
  } catch (e) {
    throw new SinkFailure(e);
  }
}

function rethrow(e: unknown): never {
  if (e instanceof SinkFailure) throw e.error;
  if (e instanceof InflateLimitError) throw e;
  throw corrupt(e);
}

function inflateWithFflate(o: InflateOptions): number {
  let total = 0;
  let stop = false;
  const z = new Unzlib((chunk) => {
    if (stop) return;
    total += chunk.length;
    if (total > o.limit) throw new InflateLimitError(o.limit);
    if (!feed(o, chunk)) stop = true;
  });
  try {
    const it = slices(o.parts, sliceSize(o.limit));
    for (let s = it.next(); !s.done && !stop; ) {
      const next = it.next();
      z.push(s.value, !!next.done);
      s = next;
    }
  } catch (e) {
    rethrow(e);
  }
  return total;
}

/** Resolves after one macrotask: by then every chunk the stream had ready has been handed to a pending read. */
function macrotask(): Promise<'idle'> {
  return new Promise((resolve) => setTimeout(() => resolve('idle'), 0));
}

/**
 * DecompressionStream in lock-step: one compressed slice is in flight at a time, and the next is written only once
 * the reader has drained everything the last one produced (a pending read that stays unanswered for a macrotask).
 * workerd inflates each write eagerly into a native buffer whether or not anybody reads it, so writing ahead
 * would let a bomb expand to gigabytes outside the JS heap before the limit check saw a byte; this way at most one
 * slice's expansion (about the limit, see sliceSize) exists beyond what the sink has taken.
 */
async function inflateWithStream(o: InflateOptions): Promise<number> {
  const ds = new DecompressionStream('deflate');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const it = slices(o.parts, sliceSize(o.limit));
  let inFlight: Promise<'written'> | undefined;
  let closed = false;
  let drained = true;
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  let total = 0;
  try {
    for (;;) {
      if (!inFlight && drained && !closed) {
        const s = it.next();
        // The stream takes ArrayBuffer-backed views only; a view of shared memory is copied.
        const step = s.done ? writer.close() : writer.write((s.value.buffer instanceof ArrayBuffer ? s.value : s.value.slice()) as Uint8Array<ArrayBuffer>);
        closed = !!s.done;
        inFlight = step.then(() => 'written' as const);
        inFlight.catch(() => undefined); // a failed write also errors the readable side, reported there
        drained = false;
      }
      pending ??= reader.read();
      const next = await Promise.race([pending, inFlight ?? macrotask()]);
      if (next === 'written') {
        inFlight = undefined;
        continue;
      }
      if (next === 'idle') {
        drained = true;
        continue;
      }
      pending = undefined;
      if (next.done) break;
      total += next.value.length;
      if (total > o.limit) throw new InflateLimitError(o.limit);
      if (!feed(o, next.value)) break;
    }
  } catch (e) {
    rethrow(e);
  } finally {
    reader.cancel().catch(() => undefined);
    writer.abort().catch(() => undefined);
  }
  return total;
}

function inflateWithNode(o: InflateOptions): Promise<number> {
  const zlib = nodeZlib();
  if (!zlib) return inflateWithStream(o);
  return new Promise<number>((resolve, reject) => {
    const inf = zlib.createInflate({ chunkSize: 256 * 1024 });
    let total = 0;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      inf.destroy();
      if (error === undefined) resolve(total);
      else {
        try {
          rethrow(error);
        } catch (e) {
          reject(e);
        }
      }
    };
    inf.on('data', (chunk: Uint8Array) => {
      if (settled) return;
      total += chunk.length;
      if (total > o.limit) return finish(new InflateLimitError(o.limit));
      try {
        if (!feed(o, chunk)) finish();
      } catch (e) {
        finish(e);
      }
    });
    inf.on('end', () => finish());
    inf.on('error', (e) => finish(e));
    // The input is already in memory; writing it all at once only queues references.
    for (const p of o.parts) inf.write(p);
    inf.end();
  });
}
