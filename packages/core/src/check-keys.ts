/**
 * The unknown-key check every options object in the SDK gets (load, classify/detect, quantize): a typo is
 * `INVALID_ARGUMENT` with the closest known key as a hint, never silently ignored. Shared by runtime and quantizer,
 * so it lives with errors.ts rather than in either.
 */
import { ResNetEdgeError } from './errors.js';

/**
 * Levenshtein distance, for "did you mean" hints (the CLI's option names use it too).
 *
 * @example
 * ```ts
 * editDistance('backnd', 'backend'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
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
    const near = known.map((k) => [k, editDistance(key.toLowerCase(), k.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
    const hint = near && near[1] <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${near[0]}"?)` : '';
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown ${what} "${key}"${hint}. Known: ${known.join(', ')}.`, { details: { key, known: [...known] } });
  }
}
