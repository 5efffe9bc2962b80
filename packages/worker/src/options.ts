/**
 * Inference options (`model`, `topK`, `threshold`, `nms`, `iou`) from the query string or a JSON body. Unknown or
 * misspelt keys are refused (400 with a did-you-mean hint) rather than ignored: `?top_k=1` answering five results
 * would be a silent wrong answer.
 */
import { ResNetEdgeError } from '@resnet-edge/core';

/** The parsed options; absent values stay undefined. */
export interface InferenceOptions {
  model?: string;
  topK?: number;
  threshold?: number;
  /** Detection: 'class-agnostic' or 'per-class' NMS (default: the model's manifest). */
  nms?: 'class-agnostic' | 'per-class';
  /** Detection: the NMS IoU threshold, 0..1 (default: the model's manifest). */
  iou?: number;
}

/** Which route the options are for; detection-only options on /v1/classify would be silently ignored. */
export type Task = 'classification' | 'detection';

/** Option names, as the README documents them. */
export const OPTION_KEYS = ['model', 'topK', 'threshold', 'nms', 'iou'] as const;
const DETECT_ONLY = new Set<string>(['threshold', 'nms', 'iou']);
const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/**
 * Throws 400 INVALID_ARGUMENT for the first key not in `known`, with the nearest known key as a hint.
 *
 * @example
 * ```ts
 * checkKeys({ source: 'query', keys: ['top_k'], known: OPTION_KEYS }); // throws: ... did you mean "topK"?
 * ```
 */
export function checkKeys(options: { source: string; keys: Iterable<string>; known: readonly string[] }): void {
  const { source, known } = options;
  for (const key of options.keys) {
    if (known.includes(key)) continue;
    const hint = suggest({ key, known });
    throw new ResNetEdgeError(
      'INVALID_ARGUMENT',
      `Unknown ${source} "${clip(key)}"${hint ? `; did you mean "${hint}"?` : '.'} Known: ${known.join(', ')}.`,
      { details: { key: clip(key), ...(hint ? { suggestion: hint } : {}) } },
    );
  }
}

/** Query parameters: known names only, each at most once (a repeat would leave which one wins to chance). */
export function queryOptions(options: { params: URLSearchParams; task?: Task }): InferenceOptions {
  const { params } = options;
  checkKeys({ source: 'query parameter', keys: params.keys(), known: OPTION_KEYS });
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) throw new ResNetEdgeError('INVALID_ARGUMENT', `Query parameter "${key}" is given more than once.`);
  }
  return parseOptions({ source: 'query', task: options.task, get: (k) => params.get(k) ?? undefined });
}

/**
 * Validates `model`, `topK`, `threshold`, `nms`, `iou` from one source; absent (or null) values stay undefined.
 *
 * @example
 * ```ts
 * parseOptions({ source: 'JSON', task: 'detection', get: (k) => json[k] }); // { threshold: 0.4 }
 * ```
 */
export function parseOptions(options: { source: string; task?: Task; get: (key: string) => unknown }): InferenceOptions {
  const { source, task } = options;
  const get = (key: string): unknown => {
    const v = options.get(key);
    if (task === 'classification' && DETECT_ONLY.has(key) && v !== undefined && v !== null) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "${key}" applies to /v1/detect only.`);
    }
    return v;
  };
  const out: InferenceOptions = {};
  const model = get('model');
  if (model !== undefined && model !== null) {
    if (typeof model !== 'string' || !MODEL_ID.test(model) || model.includes('..')) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "model" must be a model id like "fmnist-resnet20".`);
    }
    out.model = model;
  }
  const topK = num(get('topK'));
  if (topK !== undefined) {
    if (!Number.isInteger(topK) || topK < 1 || topK > 1000) {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "topK" must be an integer from 1 to 1000.`);
    }
    out.topK = topK;
  }
  const threshold = num(get('threshold'));
  if (threshold !== undefined) {
    if (!(threshold >= 0 && threshold <= 1)) throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "threshold" must be a number from 0 to 1.`);
    out.threshold = threshold;
  }
  const nms = get('nms');
  if (nms !== undefined && nms !== null && nms !== '') {
    if (nms !== 'class-agnostic' && nms !== 'per-class') {
      throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "nms" must be "class-agnostic" or "per-class".`);
    }
    out.nms = nms;
  }
  const iou = num(get('iou'));
  if (iou !== undefined) {
    if (!(iou >= 0 && iou <= 1)) throw new ResNetEdgeError('INVALID_ARGUMENT', `${source} "iou" must be a number from 0 to 1.`);
    out.iou = iou;
  }
  return out;
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  return NaN; // fails every range check with a clear message
}

/**
 * The known key `key` most likely meant: equal ignoring case, `_` and `-` (top_k -> topK), else within edit
 * distance 1, or 2 with the same first letter (treshold -> threshold, img -> image).
 *
 * @example
 * ```ts
 * suggest({ key: 'top_k', known: OPTION_KEYS }); // 'topK'
 * ```
 */
export function suggest(options: { key: string; known: readonly string[] }): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const k = norm(options.key);
  if (k.length === 0 || k.length > 64) return undefined;
  const same = options.known.find((c) => norm(c) === k);
  if (same) return same;
  let best: string | undefined;
  let bestD = 3;
  for (const c of options.known) {
    const n = norm(c);
    const d = distance(k, n);
    // Two edits only when the first letter matches: "img" -> "image", but not "foo" -> "iou".
    if (d < bestD && (d <= 1 || k[0] === n[0])) [best, bestD] = [c, d];
  }
  return best;
}

/** Levenshtein distance (both strings are short: caller keys are clipped at 64 characters). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Keys are caller-controlled: keep echoes short. */
function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}
