/**
 * `quantize()`'s argument checks, run before any work: unknown keys and malformed values are `INVALID_ARGUMENT`
 * (as in `load()`), never ignored or silently read as a default (`samples: NaN` would otherwise mean "all samples").
 */
import { ResNetEdgeError } from '../errors.js';
import type { OnnxGraph } from '../onnx/index.js';
import { checkKeys } from '../check-keys.js';
import { isFloatTensor } from '../tensor.js';
import { CALIBRATION_METHODS, type CalibrationMethod } from './histogram.js';
import type { QuantizeOptions } from './quantize.js';

/** Keys of {@link QuantizeOptions}; a record so that the compiler flags a key added to one but not the other. */
const KEYS: Record<keyof QuantizeOptions, true> = {
  model: true, calibration: true, method: true, percentile: true, excludeNodes: true, samples: true, onProgress: true, signal: true,
};
const QUANTIZE_OPTION_KEYS = Object.keys(KEYS);

const bad = (message: string, details?: Record<string, unknown>): never => {
  throw new ResNetEdgeError('INVALID_ARGUMENT', message, details ? { details } : {});
};

const given = (v: unknown): boolean => v !== undefined && v !== null;

const iterable = (v: unknown): boolean =>
  typeof v !== 'string' &&
  (typeof (v as Record<symbol, unknown>)[Symbol.iterator] === 'function' || typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function');

/**
 * Checks `quantize()`'s options object and returns the method and percentile to use (null and undefined mean "not
 * given", as elsewhere in the SDK). The model bytes are left to `decodeModel` (`INVALID_MODEL`) and the samples to
 * calibration (`INVALID_TENSOR`), which know what they should look like.
 *
 * @throws ResNetEdgeError `INVALID_ARGUMENT`.
 * @example
 * ```ts
 * const { method, percentile } = checkQuantizeOptions(o); // 'percentile', 99.99 when neither is given
 * ```
 */
export function checkQuantizeOptions(o: unknown): { method: CalibrationMethod; percentile: number } {
  if (!o || typeof o !== 'object' || Array.isArray(o)) bad('quantize() needs an options object { model, calibration, ... }.');
  const r = o as Record<string, unknown>;
  checkKeys(r, QUANTIZE_OPTION_KEYS, 'quantize() option');
  if (!given(r.model)) bad('quantize() needs model: the fp32 ONNX bytes (Uint8Array).');
  if (!given(r.calibration)) bad('quantize() needs calibration: an array or (async) iterable of samples.');
  if (!iterable(r.calibration)) {
    const hint = isFloatTensor(r.calibration) ? ' (a single tensor: wrap it in an array)' : '';
    bad(`calibration must be an array or (async) iterable of samples; got ${typeof r.calibration}${hint}.`);
  }
  const method = (r.method ?? 'percentile') as CalibrationMethod;
  if (!CALIBRATION_METHODS.includes(method)) {
    bad(`unknown calibration method ${JSON.stringify(method)} (${CALIBRATION_METHODS.join(' | ')})`);
  }
  // Checked whatever the method: a bad value is a mistake even where it would go unused.
  const percentile = (r.percentile ?? 99.99) as number;
  if (typeof percentile !== 'number' || !(percentile > 50 && percentile <= 100)) bad(`percentile must be a number in (50, 100], got ${String(percentile)}`);
  if (given(r.samples) && !(Number.isInteger(r.samples) && (r.samples as number) > 0)) bad(`samples must be a positive integer, got ${String(r.samples)}`);
  if (given(r.excludeNodes) && !(Array.isArray(r.excludeNodes) && r.excludeNodes.every((n) => typeof n === 'string'))) {
    bad('excludeNodes must be an array of node (or first-output) names.');
  }
  if (given(r.onProgress) && typeof r.onProgress !== 'function') bad('onProgress must be a function (done, total) => void.');
  if (given(r.signal) && typeof (r.signal as AbortSignal).aborted !== 'boolean') bad('signal must be an AbortSignal.');
  return { method, percentile };
}

/**
 * Throws `INVALID_ARGUMENT` for an `excludeNodes` entry that names neither a node nor a node's first output in `g`
 * (the graph as given, before folding): a typo would otherwise quantize the node it meant to keep in float.
 *
 * @example
 * ```ts
 * checkExcludeNodes(model.graph!, ['size', 'offset']);
 * ```
 */
export function checkExcludeNodes(g: OnnxGraph, names: readonly string[] | undefined): void {
  if (!names?.length) return;
  const known = new Set(g.node.flatMap((n) => [n.name ?? '', n.output[0] ?? '']).filter(Boolean));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) bad(`excludeNodes: no node is named ${unknown.map((n) => `"${n}"`).join(', ')} (nor writes it as its first output).`, { unknown });
}
