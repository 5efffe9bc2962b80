/**
 * The fuzz corpus: case ids `image/<kind>/<n>` and `model/<kind>/<n>`, each rebuilt from the corpus seed, so the
 * parent only passes ids to the child processes that run them. FUZZ_SEED picks another corpus (default 14).
 */
import { IMAGE_KINDS } from './image-cases.js';
import { MODEL_KINDS } from './model-cases.js';
import { caseSeed, rng } from './rng.js';

export const DEFAULT_SEED = 14;

/** Every case id of the corpus, images first. */
export function corpusIds(): string[] {
  return [
    ...Object.entries(IMAGE_KINDS).flatMap(([kind, k]) => Array.from({ length: k.count }, (_, i) => `image/${kind}/${i}`)),
    ...Object.entries(MODEL_KINDS).flatMap(([kind, k]) => Array.from({ length: k.count }, (_, i) => `model/${kind}/${i}`)),
  ];
}

/** Which backends a model case also runs on: every sixth one on onnxruntime-web too (sessions there cost more). */
export function modelBackends(id: string): ('wasm' | 'ort-wasm')[] {
  return Number(id.split('/')[2]) % 6 === 0 ? ['wasm', 'ort-wasm'] : ['wasm'];
}

/** The bytes of an image case. */
export function buildImage(id: string, seed: number): Uint8Array {
  const [, kind, n] = id.split('/');
  return IMAGE_KINDS[kind].make(rng(caseSeed(seed, kind, Number(n))));
}

/** The base model and bytes of a model case. */
export function buildModel(id: string, seed: number): ReturnType<(typeof MODEL_KINDS)[string]['make']> {
  const [, kind, n] = id.split('/');
  return MODEL_KINDS[kind].make(rng(caseSeed(seed, kind, Number(n))));
}

/** Error codes a case may end with (anything else, an untyped error, a crash, a hang or a memory blow-up fails). */
export const ALLOWED: Record<'image' | 'model' | 'model-ort', readonly string[]> = {
  image: ['IMAGE_DECODE_FAILED', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_IMAGE_FORMAT', 'EMPTY_INPUT'],
  model: ['INVALID_MODEL', 'UNSUPPORTED_OP', 'INFERENCE_FAILED'],
  // onnxruntime's refusals it does not explain as the model's fault ("No Op registered for ...") stay BACKEND_UNAVAILABLE.
  'model-ort': ['INVALID_MODEL', 'UNSUPPORTED_OP', 'INFERENCE_FAILED', 'BACKEND_UNAVAILABLE'],
};
