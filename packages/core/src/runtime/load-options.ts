/**
 * `load()`'s argument forms and their checks: every key must be a known option in its place. An unknown key, or one
 * put in the wrong object (`{ model: { manifest, bytes, backend } }`), is `INVALID_ARGUMENT`, never silently ignored.
 */
import { ResNetEdgeError } from '../errors.js';
import { INPUT_PRESET_NAMES, type InputPresetName } from '../package/input-presets.js';
import type { ModelSource } from '../package/resolve.js';

/** Keys of `LoadOptions` (load-model.ts); `builtins` is the internal loader hook. */
export const LOAD_OPTION_KEYS = [
  'model', 'backend', 'modelBaseUrl', 'fetch', 'signal', 'onProgress', 'onFallback', 'numThreads', 'ort', 'registry', 'preprocess',
  'dtype', 'labels', 'input', 'detection', 'sha256', 'cache', 'pins',
] as const;

/** Keys of the object form of `preprocess` (ImagePreprocessOptions plus `preset`). */
const PREPROCESS_KEYS = ['decode', 'maxPixels', 'maxBytes', 'applyExifOrientation', 'preferPlatformDecoder', 'alphaBackground', 'preset'] as const;
const INPUT_KEYS = ['shape', 'channels', 'resize', 'scale', 'mean', 'std'] as const;
const RESIZE_KEYS = ['mode', 'shorterSide', 'filter', 'padValue', 'cropRounding'] as const;
const DETECTION_KEYS = ['head', 'scoreThreshold', 'iouThreshold', 'maxDetections', 'nms'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof URL) && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer);

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/**
 * Throws `INVALID_ARGUMENT` naming the first key of `obj` not in `known` (with the closest known key as a hint).
 *
 * @example
 * ```ts
 * checkKeys({ backnd: 'wasm' }, ['backend'], 'load() option'); // throws: Unknown load() option "backnd" (did you mean "backend"?)
 * ```
 */
export function checkKeys(obj: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = known.map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
    const hint = near && near[1] <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${near[0]}"?)` : '';
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown ${what} "${key}"${hint}. Known: ${known.join(', ')}.`, { details: { key, known: [...known] } });
  }
}

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
  }
  const p = o.preprocess;
  if (p === undefined) return undefined;
  if (typeof p === 'string') return preset(p);
  if (!isPlainObject(p)) throw new ResNetEdgeError('INVALID_ARGUMENT', "preprocess must be a preset name ('imagenet', ...) or an object.");
  checkKeys(p, PREPROCESS_KEYS, 'preprocess option');
  return p.preset === undefined ? undefined : preset(p.preset);
}

function preset(v: unknown): InputPresetName {
  if (!(INPUT_PRESET_NAMES as readonly unknown[]).includes(v)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown preprocess preset ${JSON.stringify(v)}. Use one of ${INPUT_PRESET_NAMES.join(', ')}.`);
  }
  return v as InputPresetName;
}
