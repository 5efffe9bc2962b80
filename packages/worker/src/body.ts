/**
 * Request body parsing: raw image bytes or Workers-AI-style JSON `{"image": number[]}`, decided by
 * content sniffing (never by Content-Type), with size caps applied while streaming and a pixel cap
 * applied from the header before any decoding.
 */
import { checkImageHeader, ResNetEdgeError, type ImageFormat } from '@resnet-edge/core';
import { drainReader } from './drain.js';
import { HttpError } from './http-error.js';

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
export interface InferenceRequest {
  image: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
  model?: string;
  topK?: number;
  threshold?: number;
  /** Detection: 'class-agnostic' or 'per-class' NMS (default: the model's manifest). */
  nms?: 'class-agnostic' | 'per-class';
  /** Detection: the NMS IoU threshold, 0..1 (default: the model's manifest). */
  iou?: number;
}

/** JSON arrays spell each byte as up to 4 characters ("255,"), plus room for the other fields. */
export function maxJsonBytes(limits: BodyLimits): number {
  return limits.maxImageBytes * 4 + 64 * 1024;
}

/**
 * Reads and validates an inference request.
 *
 * @example
 * ```ts
 * const req = await readInferenceRequest({ request, url, limits: { maxImageBytes: 4 << 20, maxPixels: 4 << 20 } });
 * ```
 */
export async function readInferenceRequest(options: {
  request: Request;
  url: URL;
  limits: BodyLimits;
}): Promise<InferenceRequest> {
  const { request, url, limits } = options;
  const body = await readCapped({ request, limits });
  const fromQuery = parseOptions({ source: 'query', get: (k) => url.searchParams.get(k) ?? undefined });

  let image = body;
  let fromJson: Partial<InferenceRequest> = {};
  if (looksLikeJson(body)) {
    const json = parseJson(body);
    image = jsonImage({ json, limits });
    fromJson = parseOptions({ source: 'JSON', get: (k) => (json as Record<string, unknown>)[k] });
  }
  // core's header check, the one the SDK and CLI run before decoding: a cut-off signature or header, a header-only
  // "bomb" (far too little data for the declared size) -> IMAGE_DECODE_FAILED, too many pixels -> IMAGE_TOO_LARGE,
  // another format -> UNSUPPORTED_IMAGE_FORMAT. Reads the header only; nothing is decoded or allocated yet.
  const { format, width, height } = checkImageHeader(image, { maxPixels: limits.maxPixels });
  const maxWebp = Math.min(limits.maxPixels, limits.maxWebpPixels ?? limits.maxPixels);
  if (format === 'webp' && width * height > maxWebp) {
    throw new ResNetEdgeError('IMAGE_TOO_LARGE', `The WebP is ${width}x${height}, more than ${maxWebp} pixels (WebP is decoded at full size; JPEG and PNG may be larger).`, {
      details: { format, width, height, maxPixels: maxWebp },
    });
  }
  // Query parameters win over JSON fields so a URL can override a stored request body.
  return { image, format, width, height, ...fromJson, ...fromQuery };
}

/**
 * Reads the body, refusing early (Content-Length) or mid-stream once the cap for its kind is passed. A body
 * refused by its Content-Length is left unread for the app to drain (drainUnread); one refused mid-stream is
 * drained here, before the 413 goes out (see drain.ts for why).
 */
async function readCapped(options: { request: Request; limits: BodyLimits }): Promise<Uint8Array> {
  const { request, limits } = options;
  const hardCap = Math.max(maxJsonBytes(limits), limits.maxImageBytes);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > hardCap) throw tooLarge({ size: declared, cap: hardCap });
  if (!request.body) throw new ResNetEdgeError('EMPTY_INPUT', 'The request body is empty; send image bytes or {"image": [...]}.');

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let cap = hardCap;
  let decided = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (!decided && total >= 16) {
      // Sniff once enough bytes arrived: raw images get the tighter cap, JSON the inflated one.
      cap = looksLikeJson(concat(chunks, total)) ? maxJsonBytes(limits) : limits.maxImageBytes;
      decided = true;
    }
    if (total > cap) {
      chunks.length = 0;
      await drainReader({ reader, alreadyRead: total });
      throw tooLarge({ size: total, cap });
    }
  }
  if (total === 0) throw new ResNetEdgeError('EMPTY_INPUT', 'The request body is empty; send image bytes or {"image": [...]}.');
  const bytes = concat(chunks, total);
  if (!looksLikeJson(bytes) && total > limits.maxImageBytes) throw tooLarge({ size: total, cap: limits.maxImageBytes });
  return bytes;
}

function tooLarge(options: { size: number; cap: number }): HttpError {
  return new HttpError({
    status: 413,
    code: 'BODY_TOO_LARGE',
    message: `The request body exceeds the limit of ${options.cap} bytes.`,
    details: { limit: options.cap },
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
  chunks.length = 0;
  chunks.push(out);
  return out;
}

function looksLikeJson(b: Uint8Array): boolean {
  for (let i = 0; i < b.length && i < 64; i++) {
    const c = b[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b; // '{'
  }
  return false;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError({ status: 400, code: 'INVALID_JSON', message: 'The body starts with "{" but is not valid UTF-8 JSON.' });
  }
}

function jsonImage(options: { json: unknown; limits: BodyLimits }): Uint8Array {
  const { json, limits } = options;
  const arr = json && typeof json === 'object' && !Array.isArray(json) ? (json as { image?: unknown }).image : undefined;
  if (!Array.isArray(arr)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'JSON bodies must be an object with "image": an array of byte values (0-255).');
  }
  if (arr.length === 0) throw new ResNetEdgeError('EMPTY_INPUT', '"image" is an empty array.');
  if (arr.length > limits.maxImageBytes) throw tooLarge({ size: arr.length, cap: limits.maxImageBytes });
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

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Validates `model`, `topK`, `threshold`, `nms`, `iou` from one source; absent values stay undefined. */
function parseOptions(options: { source: string; get: (key: string) => unknown }): Partial<InferenceRequest> {
  const out: Partial<InferenceRequest> = {};
  const model = options.get('model');
  if (model !== undefined && model !== null) {
    if (typeof model !== 'string' || !MODEL_ID.test(model) || model.includes('..')) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${options.source} "model" must be a model id like "fmnist-resnet20".`);
    }
    out.model = model;
  }
  const topK = num(options.get('topK'));
  if (topK !== undefined) {
    if (!Number.isInteger(topK) || topK < 1 || topK > 1000) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${options.source} "topK" must be an integer from 1 to 1000.`);
    }
    out.topK = topK;
  }
  const threshold = num(options.get('threshold'));
  if (threshold !== undefined) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${options.source} "threshold" must be a number from 0 to 1.`);
    }
    out.threshold = threshold;
  }
  const nms = options.get('nms');
  if (nms !== undefined && nms !== null && nms !== '') {
    if (nms !== 'class-agnostic' && nms !== 'per-class') {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${options.source} "nms" must be "class-agnostic" or "per-class".`);
    }
    out.nms = nms;
  }
  const iou = num(options.get('iou'));
  if (iou !== undefined) {
    if (!(iou >= 0 && iou <= 1)) throw new ResNetEdgeError('INVALID_ARGUMENT', `${options.source} "iou" must be a number from 0 to 1.`);
    out.iou = iou;
  }
  return out;
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return NaN; // fails every range check below with a clear message
}
