// @resnet-edge/core as Cloudflare Workers resolve it (the "workerd" export condition; copied to dist/ by build.mjs).
// Workers may not compile WebAssembly from bytes, so the engine and the WebP decoder arrive as modules that wrangler
// precompiles (its default rule for `.wasm` imports), handed to the default registry and the image decoder here.
import engine from './wasm/engine-simd.wasm';
import webp from '@jsquash/webp/codec/dec/webp_dec.wasm';
import { createWasmBackend, getDefaultRegistry, setWebpWasmModule } from './index.js';

getDefaultRegistry().register(createWasmBackend({ module: engine }));
setWebpWasmModule(webp);

export * from './index.js';
