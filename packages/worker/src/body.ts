/**
 * Request body parsing: raw image bytes or Workers-AI-style JSON `{"image": number[]}`, decided by the first
 * significant byte (never by Content-Type or chunking), with the cap of that kind applied to Content-Length and while
 * streaming, and a pixel cap applied from the header before any decoding.
 */
import { checkImageHeader, ResNetEdgeError, type ImageFormat } from '@resnet-edge/core';
import { DRAIN_LIMIT_BYTES, drainReader } from './drain.js';
import { HttpError } from './http-error.js';
import { checkKeys, OPTION_KEYS, parseOptions, queryOptions, type InferenceOptions, type Task } from './options.js';

/** Caps applied to every inference request. */
export interface BodyLimits {
  /** Max encoded image size in bytes. */
  maxImageBytes: number;
  /** Max width*height, checked from the header before decoding. */
  maxPixels: number;
  /** Max width*height of a WebP (decoded at full size); defaults to `maxPixels`. */
  maxWebpPixels?: number;
}

/** A validated inference request. */
export interface InferenceRequest extends InferenceOptions {
  image: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
}

/** JSON arrays spell each byte as up to 4 characters ("255,"), plus room for the other fields. */
export function maxJsonBytes(limits: BodyLimits): number {
  return limits.maxImageBytes * 4 + 64 * 1024;
}

/**
 * Reads and validates an inference request. Query options are checked first (cheap; a refused body is drained
 * by the app).
 *
 * @example
 * ```ts
 * const req = await readInferenceRequest({ request, url, task: 'classification', limits: { maxImageBytes: 4 << 20, maxPixels: 4 << 20 } });
 * ```
 */
export async function readInferenceRequest(options: {
  request: Request;
  url: URL;
  limits: BodyLimits;
  /** The route's task: detection-only options on /v1/classify are refused. */
  task?: Task;
}): Promise<InferenceRequest> {
  const { request, url, limits, task } = options;
  const fromQuery = queryOptions({ params: url.searchParams, task });
  const { bytes: body, kind } = await readCapped({ request, limits });

  let image = body;
  let fromJson: InferenceOptions = {};
  if (kind === 'json') {
    const json = parseJson(body);
    image = jsonImage({ json, limits });
    fromJson = parseOptions({ source: 'JSON', task, get: (k) => (json as Record<string, unknown>)[k] });
  }
  // core's header check, the one the SDK and CLI run before decoding: a cut-off signature or header, a header-only
  // "bomb" (far too little data for the declared size) -> IMAGE_DECODE_FAILED, too many pixels -> IMAGE_TOO_LARGE,
  // another format -> UNSUPPORTED_IMAGE_FORMAT. Reads the header only; nothing is decoded or allocated yet.
  const { format, width, height } = headerOf({ image, limits, raw: kind === 'raw' });
  const maxWebp = Math.min(limits.maxPixels, limits.maxWebpPixels ?? limits.maxPixels);
  if (format === 'webp' && width * height > maxWebp) {
    throw new ResNetEdgeError('IMAGE_TOO_LARGE', `The WebP is ${width}x${height}, more than ${maxWebp} pixels (WebP is decoded at full size; JPEG and PNG may be larger).`, {
      details: { format, width, height, maxPixels: maxWebp },
    });
  }
  // Query parameters win over JSON fields so a URL can override a stored request body.
  return { image, format, width, height, ...fromJson, ...fromQuery };
}

function headerOf(options: { image: Uint8Array; limits: BodyLimits; raw: boolean }): ReturnType<typeof checkImageHeader> {
  try {
    return checkImageHeader(options.image, { maxPixels: options.limits.maxPixels });
  } catch (e) {
    // A raw body that is JSON after all (`123`, `true`, `null`: no "{", "[" or '"' to sniff) is a bad request, not an image.
    const json = options.raw && e instanceof ResNetEdgeError && e.code === 'UNSUPPORTED_IMAGE_FORMAT' ? tryJson(options.image) : undefined;
    throw json ? notAnObject(json.value) : e;
  }
}

/**
 * Reads the body, refusing it once the cap for its kind is passed: by Content-Length as soon as the kind is known
 * (from the first significant byte), else mid-stream. The rest of a refused body is drained here, before the 413
 * goes out (see drain.ts for why); a declared length past the drain limit is not read further.
 */
async function readCapped(options: { request: Request; limits: BodyLimits }): Promise<{ bytes: Uint8Array; kind: BodyKind }> {
  const { request, limits } = options;
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (!request.body) throw new ResNetEdgeError('EMPTY_INPUT', 'The request body is empty; send image bytes or {"image": [...]}.');

  const reader = request.body.getReader();
  const sniffer = new KindSniffer();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await readChunk(reader);
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    sniffer.push(value);
    // Until the kind is known the larger (JSON) cap holds; it is known within the first ~1 KiB.
    const cap = sniffer.kind === 'raw' ? limits.maxImageBytes : maxJsonBytes(limits);
    if (total > cap || (sniffer.kind !== undefined && declared > cap)) {
      chunks.length = 0;
      if (declared > DRAIN_LIMIT_BYTES) reader.releaseLock();
      else await drainReader({ reader, alreadyRead: total });
      throw tooLarge({ cap, kind: sniffer.kind === 'raw' ? 'image' : 'json' });
    }
  }
  if (total === 0) throw new ResNetEdgeError('EMPTY_INPUT', 'The request body is empty; send image bytes or {"image": [...]}.');
  const kind = sniffer.finish();
  if (kind === 'blank') throw new ResNetEdgeError('EMPTY_INPUT', 'The request body is only whitespace; send image bytes or {"image": [...]}.');
  return { bytes: concat(chunks, total), kind };
}

/** A failed read is the client going away mid-upload (drain.ts counts it the same): a client-side 408, not a 500. */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (e) {
    throw new ResNetEdgeError('ABORTED', 'The request body ended with an error before it was complete (the client disconnected or aborted the upload).', { cause: e });
  }
}

/** `kind` says which cap applied: the image's (a raw body, or the bytes of "image") or the JSON body's. */
function tooLarge(options: { cap: number; kind: 'image' | 'json' }): HttpError {
  const what = options.kind === 'image' ? 'The image' : 'The JSON body';
  return new HttpError({
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: `${what} exceeds the limit of ${options.cap} bytes.`,
    details: { limit: options.cap, kind: options.kind },
  });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

type BodyKind = 'json' | 'raw';

/** Leading whitespace past this is no image either: the body is taken as JSON (which may legally start so). */
const MAX_LEADING_WHITESPACE = 1024;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Decides JSON vs raw image from the first significant byte, after an optional UTF-8 BOM and JSON whitespace, so the
 * answer depends on the bytes only, never on how they were chunked. `{`, `[` or `"` is JSON (no image signature
 * starts so); anything else is a raw image.
 */
class KindSniffer {
  kind: BodyKind | undefined;
  private seen = 0;
  private bom = 0;

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length && this.kind === undefined; i++, this.seen++) {
      const c = chunk[i];
      if (this.seen === this.bom && this.bom < 3 && c === BOM[this.bom]) {
        this.bom++;
        continue;
      }
      if (this.bom > 0 && this.bom < 3) this.kind = 'raw'; // a broken BOM
      else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (this.seen - this.bom >= MAX_LEADING_WHITESPACE) this.kind = 'json';
      } else this.kind = c === 0x7b || c === 0x5b || c === 0x22 ? 'json' : 'raw';
    }
  }

  /** The kind at the end of the body: 'blank' when it held only whitespace (and maybe a BOM). */
  finish(): BodyKind | 'blank' {
    if (this.kind !== undefined) return this.kind;
    return this.bom > 0 && this.bom < 3 ? 'raw' : 'blank';
  }
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a leading BOM
}

function tryJson(bytes: Uint8Array): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(decode(bytes)) };
  } catch {
    return undefined;
  }
}

function parseJson(bytes: Uint8Array): unknown {
  const parsed = tryJson(bytes);
  if (!parsed) throw new HttpError({ status: 400, code: 'INVALID_JSON', message: 'The body starts like JSON (with {, [ or ") but is not valid UTF-8 JSON.' });
  return parsed.value;
}

function notAnObject(json: unknown): ResNetEdgeError {
  const what = Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`;
  return new ResNetEdgeError('INVALID_ARGUMENT', `The JSON body is ${what}; it must be an object like {"image": [137, 80, ...]} (the file's bytes).`);
}

const JSON_KEYS = ['image', ...OPTION_KEYS];

function jsonImage(options: { json: unknown; limits: BodyLimits }): Uint8Array {
  const { json, limits } = options;
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw notAnObject(json);
  checkKeys({ source: 'JSON field', keys: Object.keys(json), known: JSON_KEYS });
  const arr = (json as { image?: unknown }).image;
  if (!Array.isArray(arr)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'JSON bodies must be an object with "image": an array of byte values (0-255).');
  }
  if (arr.length === 0) throw new ResNetEdgeError('EMPTY_INPUT', '"image" is an empty array.');
  if (arr.length > limits.maxImageBytes) throw tooLarge({ cap: limits.maxImageBytes, kind: 'image' });
  const out = new Uint8Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `"image"[${i}] is not a byte value (integer 0-255).`);
    }
    out[i] = v;
  }
  return out;
}
