// Entry for the standalone engine bundle measured by the benchmark (size and cold start).
export { createWasmBackend } from '../packages/core/src/backends/wasm/wasm-backend.js';
export { createWasmSession } from '../packages/core/src/engine/session/wasm-session.js';
