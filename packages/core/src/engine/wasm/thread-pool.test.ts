// Threaded sessions (helper threads on a shared memory) give bit-identical results to single-threaded ones; the
// kernel tests (q8-test-harness testEngines) also run every conv shape through the threaded path.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlanConv } from '../plan/types.js';
import { runQ8Op } from '../../testing/q8-test-harness.js';
import { randomInt8 } from '../../testing/random.js';
import { instantiateEngine } from './engine.js';
import { countCalls, encodeCalls, CALL, runCalls } from './call-list.js';
import { CALL_CAPACITY, threadsSupported } from './thread-pool.js';
import { createWasmSession } from '../session/wasm-session.js';

const MODEL = fileURLToPath(new URL('../../../../../models/fmnist-resnet20/model.int8.onnx', import.meta.url));
const DETECTOR = fileURLToPath(new URL('../../../../../models/fmnist-scenes-centernet/model.int8.onnx', import.meta.url));

describe('engine thread pool', () => {
  it('encodes and counts call lists', () => {
    const list = encodeCalls([[CALL.gemm_q8, ...new Array(15).fill(1)], [CALL.im2row, ...new Array(19).fill(2)]]);
    expect(list.length).toBe(16 + 20);
    expect(countCalls(list)).toBe(2);
  });

  it.skipIf(!threadsSupported() || !existsSync(MODEL))('2 threads = 1 thread, bit for bit, at batch 1 and 3', async () => {
    const bytes = new Uint8Array(readFileSync(MODEL));
    const one = await createWasmSession({ model: bytes });
    const two = await createWasmSession({ model: bytes, threads: 2 });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    for (const N of [1, 3]) {
      let s = N;
      const data = Float32Array.from({ length: N * 784 }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
      const feeds = { input: { data, dims: [N, 1, 28, 28] } };
      const a = one.runRaw(feeds), b = two.runRaw(feeds);
      expect(Array.from(b.logits.data)).toEqual(Array.from(a.logits.data));
    }
    // The helpers run the whole int8 part as one schedule segment (no round trip per op).
    expect(Math.max(...two.executor.segments.map((s) => s.length))).toBeGreaterThan(two.plan.ops.length / 2);
    await two.dispose();
    await one.dispose();
    await expect(two.run({ input: { data: new Float32Array(784), dims: [1, 1, 28, 28] } })).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it.skipIf(!threadsSupported())('a depthwise conv too big for the mailbox runs on one thread, same result', async () => {
    const C = 1024; // 1024 groups x (im2row + gemm) calls per thread > CALL_CAPACITY words
    expect(C * 36).toBeGreaterThan(CALL_CAPACITY);
    const op: PlanConv = {
      op: 'conv', name: 'dw', input: 0, output: 1, C, OC: C, group: C, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1],
      weights: randomInt8(C * 9, 3, -127, 127), bias: new Int32Array(C), multiplier: new Float32Array(C).fill(1 / 300), inZeroPoint: 2, outZeroPoint: -5, lo: -128, hi: 127,
    };
    const args = { op, shapes: [[1, C, 6, 6], [1, C, 6, 6]], inputs: { 0: randomInt8(C * 36, 4) } };
    const one = runQ8Op({ ...args, engine: await instantiateEngine({ relaxedSimd: false }) });
    const two = await instantiateEngine({ threads: 2 });
    const got = runQ8Op({ ...args, engine: two });
    expect(Array.from(got.outputs[1])).toEqual(Array.from(one.outputs[1]));
    two.pool?.terminate();
  });

  it.skipIf(!threadsSupported() || !existsSync(DETECTOR))('2 threads = 1 thread on the detector (a larger plan, several segments)', async () => {
    const bytes = new Uint8Array(readFileSync(DETECTOR));
    const one = await createWasmSession({ model: bytes });
    const two = await createWasmSession({ model: bytes, threads: 2 });
    const name = one.inputNames[0], dims = [1, ...one.plan.tensors[one.plan.inputs[0].tensor].shape.slice(1)];
    const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.11) * 2);
    const a = one.runRaw({ [name]: { data, dims } }), b = two.runRaw({ [name]: { data, dims } });
    for (const k of one.outputNames) expect(Array.from(b[k].data), k).toEqual(Array.from(a[k].data));
    await two.dispose();
  });

  it.skipIf(!threadsSupported())('a helper that traps makes the run throw INFERENCE_FAILED (no hang), and the pool keeps working', async () => {
    const engine = await instantiateEngine({ threads: 2 });
    const pool = engine.pool!;
    const base = engine.exports.heap_base();
    // A GEMM whose rows lie far outside memory: the helper's call traps.
    const bad = encodeCalls([[CALL.gemm_q8, 0x7ff00000, 16, 2, 1, base, 4, 0, base, base, 0, -128, 127, base, 4, 0]]);
    const local = (l: Int32Array) => runCalls(engine.exports, l);
    expect(() => pool.run([new Int32Array(0), bad], local)).toThrow(expect.objectContaining({ code: 'INFERENCE_FAILED' }));
    // Segment path: the same call as helper 0's step 1 of 2, written into wasm memory.
    const words = Int32Array.from([2, bad.length, ...bad, 0]);
    new Int32Array(engine.memory.buffer).set(words, (base + 4096) >> 2);
    const steps: number[] = [];
    expect(() => pool.runSegment({ helperPtrs: [base + 4096], steps: 2 }, (s) => steps.push(s))).toThrow(expect.objectContaining({ code: 'INFERENCE_FAILED' }));
    expect(steps).toEqual([0, 1]);
    // Still usable.
    pool.run([new Int32Array(0), new Int32Array(0)], local);
    new Int32Array(engine.memory.buffer).set([1, 0], (base + 8192) >> 2);
    pool.runSegment({ helperPtrs: [base + 8192], steps: 1 }, () => {});
    pool.terminate();
  });

  it('falls back to one thread where memory cannot be shared (a precompiled module, as on Workers)', async () => {
    const module = await WebAssembly.compile(readFileSync(fileURLToPath(new URL('../../../wasm/build/engine-simd.wasm', import.meta.url))));
    const s = await createWasmSession({ model: new Uint8Array(readFileSync(MODEL)), threads: 4, module });
    expect(s.threads).toBe(1);
  });
});
