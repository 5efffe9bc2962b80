/**
 * Cloudflare Worker entry: the API from app.ts with models on onnxruntime-web's wasm build, which is
 * imported as a precompiled module (workerd cannot compile wasm from bytes).
 *
 * @example
 * ```sh
 * npx wrangler dev   # then: curl -X POST --data-binary @shirt.png http://127.0.0.1:8787/v1/classify
 * ```
 */
import { createBackendRegistry, createOrtBackend } from '@resnet-edge/core';
// Bundled by wrangler's CompiledWasm rule: this is a WebAssembly.Module, not bytes.
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
// Not in core's public index yet (asked the lead to export it); same module instance as core's decoder.
import { setWebpWasmModule } from '../../core/src/image/webp.js';
import { createApp } from './app.js';
import { loadOrtForWorkerd } from './ort-shim.js';

// WebP decoding uses libwebp wasm; workerd needs it precompiled, handed over before the first decode.
setWebpWasmModule(webpWasm);

const registry = createBackendRegistry();
registry.register(createOrtBackend({ device: 'wasm', ort: () => loadOrtForWorkerd({ module: ortWasm }) }));

/** The module-syntax Worker. */
export default createApp({ registry });
