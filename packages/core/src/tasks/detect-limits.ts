/**
 * The value checks of detection options (score and IoU thresholds, box caps, NMS mode): one rule for the decoders,
 * nms(), detect(), load()'s `detection` and the manifest's defaults, kept apart from the code that uses them.
 */
import { ResNetEdgeError } from '../errors.js';
import type { NmsMode } from '../package/manifest-types.js';

const NMS_MODES: readonly NmsMode[] = ['class-agnostic', 'per-class'];

/** Validates an NMS mode option; anything else is an INVALID_ARGUMENT error, never a silent fallback. */
export function checkNmsMode(v: unknown): NmsMode {
  if (!NMS_MODES.includes(v as NmsMode)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `nms must be "class-agnostic" or "per-class", got ${JSON.stringify(v)}.`);
  }
  return v as NmsMode;
}

/** Validates a number option; bad input is reported, never allowed to loop or allocate without bound. */
export function checkNumber(name: string, v: number, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    const range = min === -Infinity && max === Infinity ? '' : ` in [${min}, ${max}]`;
    throw new ResNetEdgeError('INVALID_ARGUMENT', `${name} must be ${integer ? 'an integer' : 'a number'}${range}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}.`);
  }
  return v;
}

/**
 * Scores are probabilities, so a threshold is a number in [0, 1], as the CLI's and the HTTP worker's `threshold`; 2 or
 * Infinity would silently return nothing and -1 everything. Used by every decoder, `nms()` and `detect()`.
 */
export function checkScoreThreshold(v: unknown): number {
  return checkNumber('scoreThreshold', v as number, 0, 1);
}

/** An NMS IoU threshold: a number in [0, 1]. */
export function checkIouThreshold(v: unknown): number {
  return checkNumber('iouThreshold', v as number, 0, 1);
}

/** A cap on the boxes kept: an integer in [0, 1e6] (bounded so it cannot allocate without limit). */
export function checkMaxDetections(v: unknown): number {
  return checkNumber('maxDetections', v as number, 0, 1e6, true);
}
