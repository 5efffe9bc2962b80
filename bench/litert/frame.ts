/**
 * Runs inside a same-origin iframe of the browser-cpu bench page (bundled with esbuild): one LiteRT.js wasm module per
 * frame. LiteRT.js keeps its module in a global, so the single-threaded build and the threaded build each get their own
 * frame; the page drives both on its own thread, interleaved with the other engines.
 */
import { loadAndCompile, loadLiteRt, Tensor, type CompiledModel } from '@litertjs/core';

export interface LitertFrameInfo {
  /** The `.wasm` file LiteRT.js picked (its loader chooses by relaxed SIMD / threads support). */
  wasmFile: string;
  crossOriginIsolated: boolean;
}

export interface LitertCompiled {
  inputs: Array<{ name: string; dtype: string; shape: number[] }>;
  outputs: Array<{ name: string; dtype: string; shape: number[] }>;
  /** LiteRT's own log lines during load and compile (XNNPACK delegate messages). */
  logs: string[];
}

/** What the frame exposes on `window.litertFrame`. */
export interface LitertFrame {
  /** `glue`: load this LiteRT.js glue file (e.g. the SIMD128 `litert_wasm_compat_internal.js`) instead of letting it pick. */
  init(o: { threads: boolean; glue?: string }): Promise<LitertFrameInfo>;
  compile(o: { key: string; url: string; numThreads: number }): Promise<LitertCompiled>;
  /** Copies `data` (the model's own layout, NHWC here) into this frame's realm: kept for `run`. */
  setInput(o: { key: string; data: ArrayLike<number> }): void;
  /** One inference on the stored input: tensor in, run, logits out (copied), tensors freed. */
  run(key: string): Promise<Float32Array>;
}

declare global {
  interface Window {
    litertFrame: LitertFrame;
  }
}

const models = new Map<string, { model: CompiledModel; shape: number[]; input?: Float32Array }>();
const logs: string[] = [];

// LiteRT's wasm logs its C++ LOG lines through console.error; keep them so the bench can show what it reports, and pass
// on only what is not INFO or the NPU-not-present warning (the bench prints page errors).
for (const level of ['log', 'info', 'warn', 'error'] as const) {
  const orig = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    logs.push(line);
    if (!line.startsWith('INFO:') && !line.includes('NPU accelerator could not be loaded')) orig(...args);
  };
}

window.litertFrame = {
  async init({ threads, glue }) {
    await loadLiteRt(`${location.origin}/litert-wasm/${glue ?? ''}`, glue ? {} : { threads });
    const wasm = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm'));
    return { wasmFile: wasm.map((n) => n.slice(n.lastIndexOf('/') + 1)).join(', '), crossOriginIsolated: self.crossOriginIsolated };
  },
  async compile({ key, url, numThreads }) {
    const start = logs.length;
    const model = await loadAndCompile(url, { accelerator: 'wasm', cpuOptions: { numThreads } });
    const details = (d: readonly { name: string; dtype: string; shape: ArrayLike<number> }[]) => d.map((t) => ({ name: t.name, dtype: t.dtype, shape: Array.from(t.shape) }));
    const inputs = details(model.getInputDetails());
    if (inputs.length !== 1 || inputs[0].dtype !== 'float32') throw new Error(`expected one float32 input, got ${JSON.stringify(inputs)}`);
    models.set(key, { model, shape: inputs[0].shape });
    return { inputs, outputs: details(model.getOutputDetails()), logs: logs.slice(start) };
  },
  setInput({ key, data }) {
    const m = models.get(key);
    if (!m) throw new Error(`no model ${key}`);
    m.input = Float32Array.from(data);
  },
  async run(key) {
    const m = models.get(key);
    if (!m?.input) throw new Error(`no model or input for ${key}`);
    const input = new Tensor(m.input, m.shape);
    const outputs = await m.model.run([input]);
    const logits = Float32Array.from(outputs[0].toTypedArray() as Float32Array);
    input.delete();
    for (const t of outputs) t.delete();
    return logits;
  },
};
