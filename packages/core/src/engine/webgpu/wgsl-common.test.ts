import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requantize, roundHalfEven } from '../ops/shared/requant.js';
import { hasSwiftShader, setupDawn } from '../../testing/dawn-test-setup.js';
import { WGSL_I2F, WGSL_REQUANT } from './wgsl-common.js';

/** Runs requant(acc, m, zp, -128, 127) and i2f(acc) on the GPU for each (acc, m). */
async function runHelpers(device: GPUDevice, acc: Int32Array, m: Float32Array): Promise<{ q: Int32Array; f: Float32Array }> {
  const code = `${WGSL_I2F}${WGSL_REQUANT}
@group(0) @binding(0) var<storage, read> acc: array<i32>;
@group(0) @binding(1) var<storage, read> m: array<f32>;
@group(0) @binding(2) var<storage, read_write> q: array<i32>;
@group(0) @binding(3) var<storage, read_write> f: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&acc)) { return; }
  q[i] = requant(acc[i], m[i], 3, -128, 127);
  f[i] = i2f(acc[i]);
}`;
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const n = acc.length, bytes = n * 4;
  const mk = (usage: number, data?: ArrayBufferView) => {
    const b = device.createBuffer({ size: bytes, usage: usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    if (data) device.queue.writeBuffer(b, 0, new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength));
    return b;
  };
  const bufs = [mk(GPUBufferUsage.STORAGE, acc), mk(GPUBufferUsage.STORAGE, m), mk(GPUBufferUsage.STORAGE), mk(GPUBufferUsage.STORAGE)];
  const read = device.createBuffer({ size: bytes * 2, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder(), pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) }));
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  enc.copyBufferToBuffer(bufs[2], 0, read, 0, bytes);
  enc.copyBufferToBuffer(bufs[3], 0, read, bytes, bytes);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const all = read.getMappedRange().slice(0);
  read.destroy();
  for (const b of bufs) b.destroy();
  return { q: new Int32Array(all, 0, n), f: new Float32Array(all, bytes, n) };
}

describe.skipIf(!hasSwiftShader)('WGSL requantization helpers are bit-exact with engine/ops/shared/requant.ts', () => {
  let device: GPUDevice;
  beforeAll(async () => {
    const gpu = (await setupDawn())!;
    device = await (await gpu.requestAdapter())!.requestDevice();
  });
  afterAll(() => device?.destroy());

  it('i2f rounds to nearest even above 2^24, and requant matches including half-way ties', async () => {
    const acc: number[] = [], m: number[] = [];
    // Odd integers just above 2^24..2^30 (not representable in f32: rounding direction matters), both signs.
    for (let e = 24; e <= 30; e++) for (let j = 1; j < 200; j++) {
      const v = 2 ** e + j * 2 ** (e - 24) / 2 + (j % 3);
      acc.push(v, -v);
      m.push(2 ** -(e - 6), 2 ** -(e - 6));
    }
    // Exact ties x.5 (multiplier 0.5 on odd accumulators) and generic values.
    for (let j = -300; j <= 300; j++) { acc.push(j); m.push(0.5); acc.push(j * 7919); m.push(Math.fround(1 / 3000)); }
    const a = Int32Array.from(acc), mm = Float32Array.from(m);
    const { q, f } = await runHelpers(device, a, mm);
    const wantF = Array.from(a, (v) => Math.fround(v));
    const wantQ = Array.from(a, (v, i) => requantize(v, mm[i], 3, -128, 127));
    expect(Array.from(f)).toEqual(wantF);
    expect(Array.from(q)).toEqual(wantQ);
    // The cases must include ties and values that need rounding.
    expect(wantF.some((v, i) => v !== a[i])).toBe(true);
    expect(Array.from(a).some((v, i) => v * mm[i] - Math.floor(v * mm[i]) === 0.5 && roundHalfEven(v * mm[i]) % 2 === 0)).toBe(true);
  });
});
