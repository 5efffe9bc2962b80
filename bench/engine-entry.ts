// Entry for the standalone engine bundle measured by the benchmark (size and cold start).
export { createWasmSession, createWasmBackend } from '../packages/core/src/backends/wasm/wasm-backend.js';
