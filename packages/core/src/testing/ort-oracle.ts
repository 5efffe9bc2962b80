/** Test helpers: onnxruntime-web (wasm, 1 thread) as the oracle for the engine's numerics. */
import * as ort from 'onnxruntime-web';
import { decodeModel, encodeModel, type OnnxModel } from '../onnx/index.js';
import { createWasmSession } from '../engine/session/wasm-session.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

type Feeds = Record<string, { data: Float32Array; dims: number[] }>;

/** Runs a model in onnxruntime-web with all graph optimizations (so QDQ groups fuse as in production). */
const sessions = new WeakMap<Uint8Array, Promise<ort.InferenceSession>>();

export async function ortRun(bytes: Uint8Array, feeds: Feeds) {
  let sp = sessions.get(bytes);
  if (!sp) {
    sp = ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    sessions.set(bytes, sp);
  }
  const s = await sp;
  const f: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) f[k] = new ort.Tensor('float32', v.data, v.dims);
  return s.run(f);
}

/** The model cut after node `last`, with that node's first output as the only graph output. */
function truncate(m: OnnxModel, last: number): Uint8Array {
  const g = m.graph!;
  const node = g.node[last];
  return encodeModel({
    ...m,
    graph: { ...g, node: g.node.slice(0, last + 1), output: [{ name: node.output[0], type: { tensorType: { elemType: 2 } } }], valueInfo: [] },
  });
}


/**
 * Compares every QuantizeLinear output (an int8/uint8 activation) of a QDQ model between the engine and
 * onnxruntime by cutting the graph after each one. Throws if any element differs by more than 1.
 */
export async function compareActivations(model: Uint8Array, feeds: Feeds): Promise<{ compared: number; offByOne: number; total: number }> {
  const m = decodeModel(model);
  const shapes = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.dims]));
  let compared = 0, offByOne = 0, total = 0;
  for (let i = 0; i < m.graph!.node.length; i++) {
    if (m.graph!.node[i].opType !== 'QuantizeLinear') continue;
    const cut = truncate(m, i);
    const mine = (await createWasmSession({ model: cut, inputShapes: shapes })).runRaw(feeds);
    const theirs = await ortRun(cut, feeds);
    const name = m.graph!.node[i].output[0];
    const a = mine[name].data, b = theirs[name].data as Uint8Array;
    if (a.length !== b.length) throw new Error(`${name}: ${a.length} vs ${b.length} elements`);
    for (let k = 0; k < a.length; k++) {
      const d = Math.abs(a[k] - b[k]);
      if (d > 1) throw new Error(`${name}[${k}]: engine ${a[k]}, onnxruntime ${b[k]}`);
      if (d) offByOne++;
    }
    total += a.length;
    compared++;
  }
  return { compared, offByOne, total };
}
