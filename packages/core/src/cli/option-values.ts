/** Typed reads of parsed CLI flags; a bad value is `INVALID_ARGUMENT` naming the flag, the allowed values and what was given. */
import { ResNetEdgeError } from '../errors.js';

type Flags = Record<string, string | boolean>;

function bad(name: string, expected: string, got: string | boolean): never {
  throw new ResNetEdgeError('INVALID_ARGUMENT', `--${name} must be ${expected} (got "${String(got)}").`, { details: { option: name, value: got } });
}

/**
 * An integer flag in `[min, max]`, or `undefined` when absent.
 *
 * @example
 * ```ts
 * const topK = intOption({ flags, name: 'top-k', min: 1, max: 1000 }) ?? 5;
 * ```
 */
export function intOption(o: { flags: Flags; name: string; min: number; max: number }): number | undefined {
  const v = o.flags[o.name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= o.min && n <= o.max)) bad(o.name, `an integer from ${o.min} to ${o.max}`, v);
  return n;
}

/**
 * A finite number flag in `[min, max]`, or `undefined` when absent.
 *
 * @example
 * ```ts
 * const threshold = numberOption({ flags, name: 'threshold', min: 0, max: 1 });
 * ```
 */
export function numberOption(o: { flags: Flags; name: string; min: number; max: number }): number | undefined {
  const v = o.flags[o.name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!(Number.isFinite(n) && n >= o.min && n <= o.max)) bad(o.name, `a number from ${o.min} to ${o.max}`, v);
  return n;
}

/**
 * A flag that must be one of `choices`, or `undefined` when absent.
 *
 * @example
 * ```ts
 * const backend = choiceOption({ flags, name: 'backend', choices: ['auto', 'wasm'] as const }) ?? 'auto';
 * ```
 */
export function choiceOption<T extends string>(o: { flags: Flags; name: string; choices: readonly T[] }): T | undefined {
  const v = o.flags[o.name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(o.choices as readonly string[]).includes(v)) bad(o.name, `one of ${o.choices.join(', ')}`, v);
  return v as T;
}

/**
 * A comma-separated list of finite numbers (`--mean 0.485,0.456,0.406`), or `undefined` when absent.
 *
 * @example
 * ```ts
 * const mean = numberListOption({ flags, name: 'mean' });
 * ```
 */
export function numberListOption(o: { flags: Flags; name: string }): number[] | undefined {
  const v = o.flags[o.name];
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s))) : [NaN];
  if (!parts.every(Number.isFinite)) bad(o.name, 'comma-separated numbers', v);
  return parts;
}

/**
 * A non-empty string flag, or `undefined` when absent.
 *
 * @example
 * ```ts
 * const out = stringOption({ flags, name: 'out' });
 * ```
 */
export function stringOption(o: { flags: Flags; name: string }): string | undefined {
  const v = o.flags[o.name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') bad(o.name, 'a non-empty value', v);
  return v;
}
