/**
 * "Lite" Worker entry (`wrangler deploy --env lite`): only the project's own int8 wasm engine, no
 * onnxruntime-web, so the upload is ~0.17 MB gzipped instead of ~3.8 MB (fits the Workers Free 3 MB limit).
 * Models must be graphs the own engine supports; anything else answers 503 BACKEND_UNAVAILABLE.
 *
 * @example
 * ```sh
 * npx wrangler dev --env lite
 * ```
 */
import { setWebpWasmModule } from '@resnet-edge/core';
import webpWasm from '@jsquash/webp/codec/dec/webp_dec.wasm';
import engineWasm from '@resnet-edge/core/wasm/engine-relaxed.wasm';
import { createApp } from './app.js';
import { createWorkerBackends } from './worker-backends.js';

setWebpWasmModule(webpWasm);

/** The module-syntax Worker. */
export default createApp({ registry: createWorkerBackends({ engineModule: engineWasm, ort: false }) });
