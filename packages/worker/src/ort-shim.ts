/**
 * Makes onnxruntime-web run inside workerd. workerd forbids compiling WebAssembly from bytes at
 * runtime, so the .wasm file is imported as a precompiled `WebAssembly.Module` (wrangler's
 * CompiledWasm rule) and ORT is handed a tiny placeholder `wasmBinary`; when ORT's emscripten glue
 * calls `WebAssembly.instantiate(placeholder, imports)`, the shim instantiates the precompiled
 * module instead.
 */
import type { OrtModule } from '@resnet-edge/core';

/** What `WebAssembly.instantiate` resolves to when given bytes. */
type Instantiated = { module: WebAssembly.Module; instance: WebAssembly.Instance };

let installed: { module: WebAssembly.Module; placeholder: Uint8Array } | undefined;

/**
 * Installs the `WebAssembly.instantiate` shim (idempotent) and returns the placeholder bytes to give
 * ORT as `env.wasm.wasmBinary`. Anything else passed to `instantiate` goes to the original function.
 *
 * @example
 * ```ts
 * import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm';
 * ort.env.wasm.wasmBinary = installInstantiateShim({ module: ortWasm });
 * ```
 */
export function installInstantiateShim(options: { module: WebAssembly.Module }): Uint8Array {
  if (installed) {
    if (installed.module !== options.module) throw new Error('A different precompiled ORT module is already installed.');
    return installed.placeholder;
  }
  // Wasm magic + version (so any "is this wasm?" sniffing still passes) + a marker. Matched by content:
  // the emscripten glue copies wasmBinary (`new Uint8Array(g)`) before calling instantiate.
  const placeholder = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...new TextEncoder().encode('resnet-edge-ort')]);
  const original = WebAssembly.instantiate.bind(WebAssembly) as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>;
  const isPlaceholder = (s: unknown) => {
    const b = s instanceof Uint8Array ? s : s instanceof ArrayBuffer ? new Uint8Array(s) : undefined;
    return !!b && b.byteLength === placeholder.byteLength && b.every((v, i) => v === placeholder[i]);
  };
  const shim = (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (isPlaceholder(source)) {
      return (original(options.module, imports) as Promise<WebAssembly.Instance>).then(
        (instance): Instantiated => ({ module: options.module, instance }),
      );
    }
    return original(source, imports);
  };
  (WebAssembly as { instantiate: unknown }).instantiate = shim;
  installed = { module: options.module, placeholder };
  return placeholder;
}

/**
 * Imports onnxruntime-web's wasm-only build and points it at the precompiled module (single-threaded:
 * Workers have no threads to spawn).
 *
 * @example
 * ```ts
 * const ort = await loadOrtForWorkerd({ module: ortWasm });
 * registry.register(createOrtBackend({ device: 'wasm', ort }));
 * ```
 */
export async function loadOrtForWorkerd(options: { module: WebAssembly.Module }): Promise<OrtModule> {
  const placeholder = installInstantiateShim(options);
  const ort = (await import('onnxruntime-web/wasm')) as unknown as OrtModule;
  ort.env.wasm.wasmBinary = placeholder;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  return ort;
}
