/**
 * Bench-page side of the LiteRT.js column: opens one same-origin iframe per LiteRT.js build (`/litert-frame.html`,
 * see frame.ts) and turns each into an engine runner. `litert-1t`: the default (single-threaded) wasm build;
 * `litert-2t`: the threaded build with numThreads 2 (needs a cross-origin isolated page, as the bench page is).
 */
import type { LitertCompiled, LitertFrame, LitertFrameInfo } from './frame.js';

/** `litert-simd128-1t`: LiteRT.js' SIMD128 build (`litert_wasm_compat_internal`, for browsers without relaxed SIMD), one thread. */
export type LitertEngine = 'litert-1t' | 'litert-2t' | 'litert-simd128-1t';

export interface LitertEngineInfo extends LitertFrameInfo {
  numThreads: number;
}

interface OpenFrame {
  api: LitertFrame;
  info: LitertEngineInfo;
}

const frames = new Map<LitertEngine, Promise<OpenFrame>>();

function openFrame(engine: LitertEngine): Promise<OpenFrame> {
  let f = frames.get(engine);
  if (!f) {
    f = (async () => {
      const iframe = document.createElement('iframe');
      iframe.src = '/litert-frame.html';
      iframe.style.display = 'none';
      await new Promise<void>((ok, fail) => {
        iframe.onload = () => ok();
        iframe.onerror = () => fail(new Error('litert frame failed to load'));
        document.body.appendChild(iframe);
      });
      const win = iframe.contentWindow as (Window & { litertFrame?: LitertFrame }) | null;
      for (let i = 0; i < 200 && !win?.litertFrame; i++) await new Promise((ok) => setTimeout(ok, 25));
      if (!win?.litertFrame) throw new Error('litert frame did not start');
      const threads = engine === 'litert-2t';
      const info = await win.litertFrame.init({ threads, glue: engine === 'litert-simd128-1t' ? 'litert_wasm_compat_internal.js' : undefined });
      return { api: win.litertFrame, info: { ...info, numThreads: threads ? 2 : 1 } };
    })();
    frames.set(engine, f);
  }
  return f;
}

/** NCHW -> NHWC (the TFLite model's layout); done once per input, outside the timed runs. */
export function nchwToNhwc(x: Float32Array, dims: number[]): Float32Array {
  const [n, c, h, w] = dims;
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < h * w; i++) out[b * c * h * w + i * c + ch] = x[b * c * h * w + ch * h * w + i];
  return out;
}

/**
 * Loads the model into the engine's frame and returns a runner for a fixed NCHW input, and a one-off classifier
 * for other inputs (the agreement check).
 *
 * @example
 * ```ts
 * const r = await litertRunner({ engine: 'litert-1t', url: '/litert/resnet18-224.int8.tflite', key: 'resnet18', input, dims });
 * const logits = await r.run();
 * ```
 */
export async function litertRunner(o: { engine: LitertEngine; url: string; key: string; input: Float32Array; dims: number[] }): Promise<{
  run(): Promise<Float32Array>;
  infer(x: Float32Array): Promise<Float32Array>;
  compiled: LitertCompiled;
  info: LitertEngineInfo;
}> {
  const { api, info } = await openFrame(o.engine);
  const key = `${o.key}:${o.engine}`;
  const compiled = await api.compile({ key, url: o.url, numThreads: info.numThreads });
  const setInput = (x: Float32Array) => api.setInput({ key, data: nchwToNhwc(x, o.dims) });
  setInput(o.input);
  return {
    run: () => api.run(key),
    async infer(x) {
      setInput(x);
      const y = await api.run(key);
      setInput(o.input);
      return y;
    },
    compiled,
    info,
  };
}
