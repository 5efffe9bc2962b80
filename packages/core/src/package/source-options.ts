/** Which load() options apply to which model sources (kept apart from resolve-location.ts, which loads on demand). */
import { ModelLoadError } from '../errors.js';
import type { SourceOptions } from './source-types.js';

/** The load() options that describe a model without a manifest. */
export const SOURCE_KEYS = ['dtype', 'labels', 'preset', 'input', 'detection', 'sha256'] as const;

/**
 * Throws `INVALID_ARGUMENT` for source options that do not apply to `what` (a model package has its own labels,
 * preprocessing and sha256; only folders have file variants), so none is silently ignored.
 *
 * @example
 * ```ts
 * rejectSourceOptions(options, [], 'a model.json');
 * ```
 */
export function rejectSourceOptions(options: SourceOptions, allowed: readonly (typeof SOURCE_KEYS)[number][], what: string): void {
  const given = SOURCE_KEYS.filter((k) => options[k] !== undefined && !allowed.includes(k));
  if (given.length) {
    throw new ModelLoadError('INVALID_ARGUMENT', `${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply to ${what}${allowed.length ? ` (it takes ${allowed.join(', ')})` : ''}.`, {
      details: { options: given },
    });
  }
}
