/**
 * How core reaches onnxruntime-web, an optional peer dependency: imported only when a graph needs it, through a
 * specifier bundlers cannot see (so an app that never runs ORT neither ships it nor fails to build without it).
 * Its types (backends/types.ts) are structural so core's public declarations do not need onnxruntime-web installed.
 */
import { BackendError } from '../../errors.js';
import type { OrtModule, OrtOptions } from '../types.js';

export type { OrtModule, OrtOptions, OrtSessionLike, OrtTensorLike, OrtWasmPaths } from '../types.js';

const INSTALL_HINT =
  'onnxruntime-web is an optional peer dependency: `npm install onnxruntime-web`, and in a browser bundle pass ' +
  "`load({ ort: { module: () => import('onnxruntime-web') } })` so the bundler includes it.";

// Kept in variables so bundlers do not try to resolve (and inline, or fail on) the optional peer.
const ORT_WASM: string = 'onnxruntime-web';
const ORT_WEBGPU: string = 'onnxruntime-web/webgpu';

const isNode = () => typeof process !== 'undefined' && !!process.versions?.node;

/**
 * Imports onnxruntime-web for `device` (`webgpu` outside Node loads ORT's JSEP build), or uses `options.module`,
 * and applies `wasmPaths`. A missing package is a `BACKEND_UNAVAILABLE` error that says what to install.
 *
 * @example
 * ```ts
 * const ort = await loadOrtModule({ device: 'wasm', options: { wasmPaths: 'https://cdn.example.com/ort/' } });
 * ```
 */
export async function loadOrtModule(o: { device: 'wasm' | 'webgpu'; options?: OrtOptions }): Promise<OrtModule> {
  const given = o.options?.module;
  let ort: OrtModule;
  try {
    if (given === undefined) {
      const spec = o.device === 'webgpu' && !isNode() ? ORT_WEBGPU : ORT_WASM;
      ort = (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as OrtModule;
    } else {
      ort = typeof given === 'function' ? await given() : given;
    }
  } catch (e) {
    throw new BackendError('BACKEND_UNAVAILABLE', `onnxruntime-web could not be loaded (${(e as Error).message}). ${INSTALL_HINT}`, {
      cause: e,
      details: { package: 'onnxruntime-web' },
    });
  }
  // A namespace object from a CJS interop build can nest the API under `default`.
  const mod = (ort as { InferenceSession?: unknown; default?: OrtModule }).InferenceSession ? ort : (ort as { default?: OrtModule }).default;
  if (!mod?.InferenceSession || !mod.env?.wasm) {
    throw new BackendError('BACKEND_UNAVAILABLE', `The module given as onnxruntime-web has no InferenceSession. ${INSTALL_HINT}`);
  }
  if (o.options?.wasmPaths !== undefined) mod.env.wasm.wasmPaths = o.options.wasmPaths;
  return mod;
}
