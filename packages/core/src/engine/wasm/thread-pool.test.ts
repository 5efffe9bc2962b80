// Threaded sessions (helper threads on a shared memory) give bit-identical results to single-threaded ones; the
// kernel tests (q8-test-harness testEngines) also run every conv shape through the threaded path.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlanConv } from '../plan/types.js';
import { runQ8Op } from '../../testing/q8-test-harness.js';
import { randomInt8 } from '../../testing/random.js';
import { instantiateEngine } from './engine.js';
import { countCalls, encodeCalls, CALL, CALL_CAPACITY, threadsSupported } from './thread-pool.js';
import { createWasmSession } from '../session/wasm-session.js';

const MODEL = fileURLToPath(new URL('../../../../../models/fmnist-resnet20/model.int8.onnx', import.meta.url));

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

  it('falls back to one thread where memory cannot be shared (a precompiled module, as on Workers)', async () => {
    const module = await WebAssembly.compile(readFileSync(fileURLToPath(new URL('../../../wasm/build/engine-simd.wasm', import.meta.url))));
    const s = await createWasmSession({ model: new Uint8Array(readFileSync(MODEL)), threads: 4, module });
    expect(s.threads).toBe(1);
  });
});
