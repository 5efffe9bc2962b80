/**
 * Cloudflare Worker entry: the API from app.ts on the project's own int8 wasm engine and onnxruntime-web's
 * wasm build. workerd cannot compile wasm from bytes, so every .wasm is imported as a precompiled
 * WebAssembly.Module (wrangler's CompiledWasm rule) and handed to its user.
 *
 * @example
 * ```sh
 * npx wrangler dev   # then: curl -X POST --data-binary @shirt.png http://127.0.0.1:8787/v1/classify
 * ```
 */
import { setWebpWasmModule } from '@resnet-edge/core';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
// Relaxed-SIMD build of the own engine (5 KB). It runs the SIMD128 kernel by default (faster on x64 without AVX-VNNI);
// relaxedMode: 1 opts into the relaxed dot-add, which the engine self-tests at startup.
import engineWasm from '@resnet-edge/core/wasm/engine-relaxed.wasm';
import { createApp } from './app.js';
import { loadOrtForWorkerd } from './ort-shim.js';
import { createWorkerBackends } from './worker-backends.js';

// WebP input is decoded by libwebp (wasm); it must be handed over before the first decode.
setWebpWasmModule(webpWasm);

const registry = createWorkerBackends({ engineModule: engineWasm, ort: () => loadOrtForWorkerd({ module: ortWasm }) });

/** The module-syntax Worker. */
export default createApp({ registry });
