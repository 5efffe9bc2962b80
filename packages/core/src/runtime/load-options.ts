/**
 * `load()`'s argument forms and their checks: every key must be a known option in its place. An unknown key, or one
 * put in the wrong object (`{ model: { manifest, bytes, backend } }`), is `INVALID_ARGUMENT`, never silently ignored;
 * so is a bad value where it would otherwise be coerced or ignored (`numThreads`, `model.bytes`, `preprocess`,
 * `detection`).
 */
import { checkKeys } from '../check-keys.js';
import { ResNetEdgeError } from '../errors.js';
import { checkImagePreprocessOptions } from '../image/decode-to-size.js';
import { INPUT_PRESET_NAMES, type InputPresetName } from '../package/input-presets.js';
import type { ModelSource } from '../package/resolve.js';
import { checkDetectOptions } from './detect-options.js';

/** Keys of `LoadOptions` (load-model.ts); `builtins` is the internal loader hook. */
export const LOAD_OPTION_KEYS = [
  'model', 'backend', 'modelBaseUrl', 'fetch', 'signal', 'onProgress', 'onFallback', 'numThreads', 'ort', 'registry', 'preprocess',
  'dtype', 'labels', 'input', 'detection', 'sha256', 'cache', 'pins',
] as const;

/** Keys of ImagePreprocessOptions (image/decode-to-size.ts): per-call `preprocess`, and load()'s with `preset`. */
export const IMAGE_OPTION_KEYS = ['decode', 'maxPixels', 'maxBytes', 'applyExifOrientation', 'preferPlatformDecoder', 'alphaBackground'] as const;
const PREPROCESS_KEYS = [...IMAGE_OPTION_KEYS, 'preset'] as const;
const INPUT_KEYS = ['shape', 'channels', 'resize', 'scale', 'mean', 'std'] as const;
const RESIZE_KEYS = ['mode', 'shorterSide', 'filter', 'padValue', 'cropRounding'] as const;
const DETECTION_KEYS = ['head', 'scoreThreshold', 'iouThreshold', 'maxDetections', 'nms'] as const;

/** WASM threads the own engine runs (the CLI's `--threads` range); the engine starts at most this many. */
export const MAX_THREADS = 16;

/** An options object: not null, an array, a URL or bytes (which are model sources, not options). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof URL) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);

/**
 * Normalizes `load()`'s arguments to one options object: `load(options)`, `load(source, options)`, and the
 * shorthand `load({ manifest, bytes, ...options })`.
 *
 * @example
 * ```ts
 * normalizeLoadArgs({ manifest, bytes, backend: 'ort-wasm' }); // { model: { manifest, bytes }, backend: 'ort-wasm' }
 * ```
 */
export function normalizeLoadArgs(a: unknown, b: unknown): Record<string, unknown> {
  if (b !== undefined && !isPlainObject(b)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load(model, options): options must be an object.');
  if (isPlainObject(a) && !('model' in a) && 'manifest' in a && 'bytes' in a) {
    // load({ manifest, bytes, backend }): the package is the model, every other key an option.
    const { manifest, bytes, ...rest } = a;
    if (b && 'model' in b) throw misplaced('model', 'load({ manifest, bytes }, options) already names the model');
    return { ...rest, ...b, model: { manifest, bytes } };
  }
  if (isPlainObject(a) && 'model' in a) {
    if (b !== undefined) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load(options) takes one object; put every option in it.');
    return a;
  }
  if (a === undefined || a === null) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load() needs a model.');
  if (b && 'model' in b) throw misplaced('model', 'load(model, options) already names the model');
  return { ...b, model: a as ModelSource };
}

function misplaced(key: string, why: string): ResNetEdgeError {
  return new ResNetEdgeError('INVALID_ARGUMENT', `Misplaced option "${key}": ${why}.`, { details: { key } });
}

/**
 * Checks a normalized options object: known keys only (plus `extra`), the `{ manifest, bytes }` form with nothing else
 * in it, and the shapes of the newer options. Returns the preset named by `preprocess` (string or `{ preset }`).
 *
 * @example
 * ```ts
 * checkLoadOptions({ model: bytes, labels, preprocess: 'imagenet' }); // 'imagenet'
 * ```
 */
export function checkLoadOptions(o: Record<string, unknown>, extra: readonly string[] = []): InputPresetName | undefined {
  checkKeys(o, [...LOAD_OPTION_KEYS, ...extra], 'load() option');
  if (o.model === undefined || o.model === null) throw new ResNetEdgeError('INVALID_ARGUMENT', 'load() needs a model.');
  if (isPlainObject(o.model)) {
    for (const key of Object.keys(o.model)) {
      if (key === 'manifest' || key === 'bytes') continue;
      if ((LOAD_OPTION_KEYS as readonly string[]).includes(key)) {
        throw misplaced(key, `it is a load() option, not part of the model: load({ model: { manifest, bytes }, ${key} })`);
      }
      throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown key "${key}" in model: the object form is { manifest, bytes }.`, { details: { key } });
    }
    const b = o.model.bytes;
    // Else null or a string reads as 0 bytes and is reported as a corrupt package (INTEGRITY_MISMATCH).
    if (!(b instanceof Uint8Array || b instanceof ArrayBuffer)) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `model.bytes must be a Uint8Array or ArrayBuffer, got ${show(b)}.`, { details: { key: 'bytes' } });
    }
  }
  const r = o.registry as { createSession?: unknown } | undefined;
  if (r !== undefined && (!r || typeof r.createSession !== 'function')) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'registry must be a backend registry (createBackendRegistry()).', { details: { key: 'registry' } });
  }
  const t = o.numThreads;
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `numThreads must be an integer from 1 to ${MAX_THREADS}, got ${show(t)}.`, { details: { key: 'numThreads' } });
  }
  if (o.labels !== undefined && !(Array.isArray(o.labels) && o.labels.length > 0 && o.labels.every((l) => typeof l === 'string'))) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'labels must be a non-empty array of strings.');
  }
  if (o.sha256 !== undefined && !(typeof o.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(o.sha256))) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'sha256 must be 64 hex digits.');
  }
  if (o.input !== undefined) {
    if (!isPlainObject(o.input)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'input must be an object.');
    checkKeys(o.input, INPUT_KEYS, 'input field');
    if (o.input.resize !== undefined) {
      if (!isPlainObject(o.input.resize)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'input.resize must be an object.');
      checkKeys(o.input.resize, RESIZE_KEYS, 'input.resize field');
    }
  }
  if (o.detection !== undefined) {
    if (!isPlainObject(o.detection)) throw new ResNetEdgeError('INVALID_ARGUMENT', 'detection must be an object.');
    checkKeys(o.detection, DETECTION_KEYS, 'detection field');
    checkDetectOptions(o.detection);
  }
  const p = o.preprocess;
  if (p === undefined) return undefined;
  if (typeof p === 'string') return preset(p);
  if (!isPlainObject(p)) throw new ResNetEdgeError('INVALID_ARGUMENT', "preprocess must be a preset name ('imagenet', ...) or an object.");
  checkImageOptions(p, PREPROCESS_KEYS, 'preprocess option');
  return p.preset === undefined ? undefined : preset(p.preset);
}

/**
 * Checks an image-options object (`preprocess`): an object with known keys only and valid values (positive integer
 * `maxPixels`/`maxBytes`, `decode` 'fast' | 'exact', ...), else `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * checkImageOptions({ maxPixels: NaN }, IMAGE_OPTION_KEYS, 'classify() preprocess option'); // throws
 * ```
 */
export function checkImageOptions(p: unknown, known: readonly string[], what: string): void {
  if (!isPlainObject(p)) throw new ResNetEdgeError('INVALID_ARGUMENT', `preprocess must be an object, got ${show(p)}.`);
  checkKeys(p, known, what);
  checkImagePreprocessOptions(p);
}

/** A value as an error message shows it: strings quoted, objects by kind. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  const kind = Array.isArray(v) ? 'Array' : (v.constructor?.name ?? 'Object');
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function preset(v: unknown): InputPresetName {
  if (!(INPUT_PRESET_NAMES as readonly unknown[]).includes(v)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown preprocess preset ${JSON.stringify(v)}. Use one of ${INPUT_PRESET_NAMES.join(', ')}.`);
  }
  return v as InputPresetName;
}
