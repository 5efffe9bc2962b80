/** Load-time folding of BatchNormalization into the preceding float Conv (fp32 models). */
import type { OnnxNode } from '../../onnx/index.js';
import type { Compiler } from './compiler.js';

/**
 * Folds `BN(Conv(x, W, B))` into `Conv(x, W', B')` with W' = W * g / sqrt(v + eps), B' = (B - mean) * g / sqrt(v + eps) + beta
 * when the conv is a float op with constant weights whose output only feeds this BN. Returns false otherwise.
 */
export function foldBatchNorm(c: Compiler, node: OnnxNode): boolean {
  const x = c.vals.get(node.input[0]);
  if (x?.k !== 'f32' || (c.users.get(node.input[0])?.length ?? 0) !== 1 || c.graphOutputs.has(node.input[0])) return false;
  const pi = c.producer.get(x.t.id);
  const conv = pi === undefined ? undefined : c.ops[pi];
  if (!conv || conv.op !== 'float' || conv.opType !== 'Conv' || !conv.consts[1] || conv.inputs[2] >= 0) return false;
  const params = [1, 2, 3, 4].map((i) => c.constOf(node.input[i], node));
  if (params.some((p) => !p) || (node.output.length > 1 && node.output.slice(1).some(Boolean))) return false;
  const [g, beta, mean, variance] = params.map((p) => p!.f32);
  const eps = node.attribute.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
  const w = conv.consts[1];
  if (!(w.data instanceof Float32Array)) return false;
  const OC = w.dims[0];
  if (g.length !== OC) return false;
  const per = w.data.length / OC;
  const wNew = new Float32Array(w.data.length);
  const oldB = conv.consts[2]?.data;
  const bNew = new Float32Array(OC);
  for (let o = 0; o < OC; o++) {
    const k = g[o] / Math.sqrt(variance[o] + eps);
    for (let j = 0; j < per; j++) wNew[o * per + j] = w.data[o * per + j] * k;
    const b0 = oldB instanceof Float32Array ? oldB[o] : 0;
    bNew[o] = (b0 - mean[o]) * k + beta[o];
  }
  conv.consts[1] = { data: wNew, dims: w.dims };
  conv.consts[2] = { data: bNew, dims: [OC] };
  conv.inputs[2] = -1;
  c.vals.set(node.output[0], x);
  return true;
}
