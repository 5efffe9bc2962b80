/**
 * Worker thread of bench/litert/node.ts: loads one LiteRT.js build (workerData), compiles a .tflite and answers
 * `run` messages with one timed inference (tensor in, run, logits out) on the stored NHWC input.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { loadLitertInNode, type LitertBuild } from './node-runtime.js';

export interface NodeWorkerData {
  build: LitertBuild;
  tflite: string;
  numThreads: number;
  /** NHWC float32 input. */
  input: Float32Array;
  shape: number[];
}

export type NodeWorkerReply = { ready: true; logs: string[] } | { ms: number; logits: Float32Array } | { error: string };

const logs: string[] = [];
// LiteRT logs its C++ INFO/WARNING lines and a failed WebGPU probe through console: keep them, print nothing.
for (const level of ['log', 'info', 'warn', 'error'] as const) console[level] = (...args: unknown[]) => void logs.push(args.map(String).join(' ').split('\n')[0]);

const d = workerData as NodeWorkerData;
const port = parentPort!;
try {
  const litert = await loadLitertInNode({ build: d.build });
  const model = await litert.loadAndCompile(new Uint8Array(readFileSync(d.tflite)), { accelerator: 'wasm', cpuOptions: { numThreads: d.numThreads } });
  port.postMessage({ ready: true, logs } satisfies NodeWorkerReply);
  port.on('message', async () => {
    const t0 = performance.now();
    const input = new litert.Tensor(d.input, d.shape);
    const outputs = await model.run([input]);
    const logits = Float32Array.from(outputs[0].toTypedArray() as Float32Array);
    input.delete();
    for (const t of outputs) t.delete();
    port.postMessage({ ms: performance.now() - t0, logits } satisfies NodeWorkerReply);
  });
} catch (e) {
  port.postMessage({ error: String((e as Error)?.stack ?? e) } satisfies NodeWorkerReply);
}
