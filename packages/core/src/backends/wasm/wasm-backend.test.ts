// End-to-end: the wasm engine against onnxruntime-web (Node, wasm, 1 thread) on the tiny ResNet fixtures, fp32 and
// quantized by our own quantizer (QDQ). Also checks every intermediate int8 activation against onnxruntime by
// truncating the graph after each QuantizeLinear.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../onnx/index.js';
import { compareActivations, ortRun } from '../../testing/ort-oracle.js';
import { quantize } from '../../quantizer/index.js';
import { createWasmSession } from '../../engine/session/wasm-session.js';
import { createWasmBackend } from './wasm-backend.js';

const fixture = (n: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../test-fixtures/quantize/${n}.onnx`, import.meta.url))));

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

const shape = [1, 3, 32, 32];
const x = seeded(3 * 32 * 32, 42);

describe('wasm backend vs onnxruntime-web', () => {
  let qdq: Uint8Array;
  beforeAll(async () => {
    const calibration = Array.from({ length: 8 }, (_, i) => ({ data: seeded(3 * 32 * 32, 100 + i), dims: shape }));
    qdq = (await quantize({ model: fixture('tiny-op17-bn'), calibration })).model;
  });

  it('fp32 with BatchNormalization (folded at load) matches within 1e-4', async () => {
    const bytes = fixture('tiny-op17-bn');
    const s = await createWasmSession({ model: bytes, inputShapes: { input: shape } });
    expect(s.plan.format).toBe('fp32');
    expect(s.plan.ops.some((o) => o.op === 'float' && o.opType === 'BatchNormalization')).toBe(false);
    const got = (await s.run({ input: { data: x, dims: shape } })).logits.data;
    const want = (await ortRun(bytes, { input: { data: x, dims: shape } })).logits.data as Float32Array;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
  });

  it('QDQ int8: logits equal onnxruntime (within one output step) and every int8 activation matches (+-1)', async () => {
    const s = await createWasmSession({ model: qdq, inputShapes: { input: shape } });
    expect(s.plan.format).toBe('qdq');
    // 3 convs + the Gemm head (int8 with float output), nothing left in float.
    expect(s.plan.ops.filter((o) => o.op === 'conv').length).toBe(4);
    expect(s.plan.ops.some((o) => o.op === 'float')).toBe(false);
    const got = (await s.run({ input: { data: x, dims: shape } })).logits.data;
    const want = (await ortRun(qdq, { input: { data: x, dims: shape } })).logits.data as Float32Array;
    const range = Math.max(...want) - Math.min(...want);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(range / 255 + 1e-6);
    const { compared, offByOne, total } = await compareActivations(qdq, { input: { data: x, dims: shape } });
    expect(compared).toBeGreaterThanOrEqual(5);
    // +-1 differences are the documented float-vs-integer rounding cases; they must stay rare.
    expect(offByOne / total).toBeLessThan(0.01);
  });

  it('recompiles for a new batch size and reports its memory', async () => {
    const s = await createWasmSession({ model: qdq, inputShapes: { input: shape } });
    const one = (await s.run({ input: { data: x, dims: shape } })).logits.data;
    const two = new Float32Array(2 * x.length);
    two.set(x);
    two.set(seeded(x.length, 9), x.length);
    const out = await s.run({ input: { data: two, dims: [2, 3, 32, 32] } });
    expect(out.logits.dims[0]).toBe(2);
    expect(Array.from(out.logits.data.slice(0, one.length))).toEqual(Array.from(one));
    expect(s.peakMemoryBytes).toBeGreaterThan(0);
    expect(s.peakMemoryBytes).toBeLessThan(8 << 20);
  });

  it('backend: probe, session, UNSUPPORTED_OP naming the node, DISPOSED', async () => {
    const b = createWasmBackend();
    expect((await b.probe()).available).toBe(true);
    const m = decodeModel(fixture('tiny-op13'));
    m.graph!.node[1] = { ...m.graph!.node[1], opType: 'Einsum', name: 'weird_node' };
    await expect(createWasmSession({ model: encodeModel(m) })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', details: { node: 'weird_node', op: 'Einsum' } });
    const manifest = { input: { name: 'input', shape: [-1, 3, 32, 32] } } as never;
    const s = await b.createSession({ manifest, modelBytes: qdq });
    expect(s.backend).toBe('wasm');
    await s.dispose();
    await expect(s.run({ input: { data: x, dims: shape } })).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('backend declines float-heavy models (so auto uses onnxruntime) unless allowed', async () => {
    const manifest = { input: { name: 'input', shape: [1, 3, 32, 32] } } as never;
    const fp32 = fixture('tiny-op17-bn');
    await expect(createWasmBackend({ maxFloatMacs: 1000 }).createSession({ manifest, modelBytes: fp32 })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP' });
    expect((await createWasmBackend({ maxFloatMacs: 1000 }).createSession({ manifest, modelBytes: qdq })).backend).toBe('wasm');
    expect((await createWasmBackend().createSession({ manifest, modelBytes: fp32 })).backend).toBe('wasm');
  });

  it('runs from a precompiled WebAssembly.Module (the Cloudflare Workers path)', async () => {
    const wasm = readFileSync(fileURLToPath(new URL('../../../wasm/build/engine-simd.wasm', import.meta.url)));
    const module = new WebAssembly.Module(wasm);
    const s = await createWasmSession({ model: qdq, inputShapes: { input: shape }, module });
    const ref = await createWasmSession({ model: qdq, inputShapes: { input: shape } });
    expect(s.relaxedSimd).toBe(false);
    const a = (await s.run({ input: { data: x, dims: shape } })).logits.data;
    const b = (await ref.run({ input: { data: x, dims: shape } })).logits.data;
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('rejects inputs of the wrong size with a typed error', async () => {
    const s = await createWasmSession({ model: qdq, inputShapes: { input: shape } });
    await expect(s.run({ input: { data: new Float32Array(5), dims: shape } })).rejects.toMatchObject({ code: 'INFERENCE_FAILED' });
  });
});
