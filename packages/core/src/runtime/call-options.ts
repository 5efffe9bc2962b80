/**
 * The options of `classify()`, `detect()` and `runTensor()`, checked as load()'s are (load-options.ts): undefined or an
 * object of known keys with valid values, else `INVALID_ARGUMENT` before any decoding. A typo (`topk`,
 * `scoreTreshold`) would otherwise be ignored and the call answer with the defaults.
 */
import { ResNetEdgeError } from '../errors.js';
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import { checkDetectOptions, type DetectOptions } from './detect-options.js';
import { checkKeys } from '../check-keys.js';
import { IMAGE_OPTION_KEYS, checkImageOptions, isPlainObject, show } from './load-options.js';
import type { ClassifyOptions } from './model.js';

// Records keyed by each interface's keys, as quantize()'s options are: an option added to the interface but not here
// fails to compile, not at run time.
const CLASSIFY: Record<keyof ClassifyOptions, true> = { topK: true, signal: true, preprocess: true };
const DETECT: Record<keyof DetectOptions, true> = { scoreThreshold: true, iouThreshold: true, maxDetections: true, nms: true, signal: true, preprocess: true };
const KEYS = { classify: Object.keys(CLASSIFY), detect: Object.keys(DETECT), runTensor: ['signal'] };

/**
 * Returns `options` (or `{}` when undefined) after checking it for `method`: keys, the `preprocess` object, and
 * detect()'s thresholds. `topK` is checked by classify() itself.
 *
 * @example
 * ```ts
 * checkCallOptions('detect', { scoreTreshold: 0.9 }); // throws: Unknown detect() option "scoreTreshold" (did you mean "scoreThreshold"?)
 * ```
 */
export function checkCallOptions<T extends object>(method: keyof typeof KEYS, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `${method}() options must be an object, got ${show(options)}.`);
  }
  checkKeys(options, KEYS[method], `${method}() option`);
  if (options.preprocess !== undefined) checkImageOptions(options.preprocess, IMAGE_OPTION_KEYS, `${method}() preprocess option`);
  if (method === 'detect') checkDetectOptions(options);
  return options;
}

/**
 * The load's image settings with a call's on top; an undefined value keeps the load's (`{ maxPixels: undefined }`
 * must not lift a limit set at load).
 *
 * @example
 * ```ts
 * mergeImageOptions({ maxPixels: 1e6 }, { decode: 'exact', maxPixels: undefined }); // { maxPixels: 1e6, decode: 'exact' }
 * ```
 */
export function mergeImageOptions(base: Readonly<ImagePreprocessOptions>, call: ImagePreprocessOptions | undefined): ImagePreprocessOptions {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(call ?? {})) if (v !== undefined) out[k] = v;
  return out as ImagePreprocessOptions;
}
