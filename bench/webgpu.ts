/**
 * Own int8 WebGPU engine vs onnxruntime-web's WebGPU EP (fp32 model and QDQ model) on the same adapter, side by side.
 * Node + Dawn (`webgpu` npm package); on SwiftShader only the ratios mean anything.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/webgpu.ts --arch resnet18 --batch 1 --iters 3
 *
 * Results are merged into bench-results/webgpu.json (one entry per arch/batch).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createWebGpuSession } from '../packages/core/src/engine/session/webgpu-session.js';
import { setupDawn } from '../packages/core/src/testing/dawn-test-setup.js';
import { torchvisionModel } from './prepare-models.js';

const ROOT = new URL('..', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'resnet18' },
    batch: { type: 'string', default: '1' },
    iters: { type: 'string', default: '3' },
    /** Untimed runs first (0 for very slow configs: then the timed run includes lazy shader compilation). */
    warmup: { type: 'string', default: '1' },
    engines: { type: 'string', default: 'own,own-fallback-shader,ort-fp32,ort-qdq' },
    /** `system`: the Vulkan loader picks the driver (a real GPU); default: SwiftShader. */
    icd: { type: 'string', default: 'swiftshader' },
    /** Results file (entries merged by arch/batch). */
    out: { type: 'string' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** onnxruntime-web's JSEP build (the `onnxruntime-web/webgpu` entry crashes under Dawn in Node). */
async function ortWebGpu(adapter: GPUAdapter) {
  const ort = (await import(join(ROOT, 'node_modules/onnxruntime-web/dist/ort.all.min.mjs'))) as typeof import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  // Dawn's writeBuffer rejects views into ORT's wasm heap: copy into a fresh array first.
  const wrapped = {
    limits: adapter.limits, features: adapter.features, info: adapter.info,
    requestDevice: async (d?: GPUDeviceDescriptor) => {
      const device = await adapter.requestDevice(d);
      const q = device.queue, orig = q.writeBuffer.bind(q);
      (q as { writeBuffer: unknown }).writeBuffer = (b: GPUBuffer, off: number, data: ArrayBufferView | ArrayBuffer, dOff?: number, size?: number) => {
        const v = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const unit = data instanceof ArrayBuffer ? 1 : ((data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1);
        const start = (dOff ?? 0) * unit, len = size !== undefined ? size * unit : v.byteLength - start;
        orig(b, off, new Uint8Array(v.subarray(start, start + len)));
      };
      return device;
    },
  };
  ort.env.webgpu.adapter = wrapped as unknown as GPUAdapter;
  return ort;
}

async function main(): Promise<void> {
  const RESULTS = args.out ?? join(ROOT, 'bench-results/webgpu.json');
  const gpu = (await setupDawn({ icd: args.icd === 'system' ? 'system' : 'swiftshader' }))!;
  (globalThis as { navigator?: unknown }).navigator ??= { gpu };
  const adapter = (await gpu.requestAdapter())!;
  const arch = args.arch as 'resnet18' | 'resnet50', N = Number(args.batch), iters = Number(args.iters);
  const engines = args.engines!.split(',');
  const { fp32, int8, size } = await torchvisionModel({ arch });
  const dims = [N, 3, size, size];
  const data = Float32Array.from({ length: N * 3 * size * size }, (_, i) => Math.sin(i * 0.001) * 2);
  const entry: Record<string, unknown> = { arch, batch: N, iters, warmup: Number(args.warmup), adapter: `${adapter.info.vendor} ${adapter.info.architecture} (${adapter.info.description})`, date: new Date().toISOString() };
  // All sessions stay alive and runs are interleaved, so load changes on a shared machine hit every engine alike.
  const runners: { key: string; run: () => Promise<unknown>; release: () => Promise<unknown>; extra?: Record<string, unknown> }[] = [];
  for (const packed of [true, false]) {
    const key = packed ? 'own' : 'own-fallback-shader';
    if (!engines.includes(key)) continue;
    const s = await createWebGpuSession({ model: new Uint8Array(readFileSync(int8)), inputShapes: { input: dims }, disablePackedDot: !packed });
    const name = s.inputNames[0];
    runners.push({ key, run: () => s.runRaw({ [name]: { data, dims } }), release: () => s.dispose(), extra: { packedDot: s.packedDot } });
  }
  const ort = engines.some((e) => e.startsWith('ort')) ? await ortWebGpu(adapter) : undefined;
  for (const [key, file] of [['ort-fp32', fp32], ['ort-qdq', int8]] as const) {
    if (!ort || !engines.includes(key)) continue;
    const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)), { executionProviders: ['webgpu'] });
    const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', data, dims) };
    runners.push({ key, run: () => s.run(feeds), release: () => s.release() });
  }
  const runs = new Map<string, number[]>(runners.map((r) => [r.key, []]));
  for (let w = 0; w < Number(args.warmup); w++) for (const r of runners) await r.run(); // pipelines, first uploads
  for (let i = 0; i < iters; i++) {
    for (const r of runners) {
      const t0 = performance.now();
      await r.run();
      runs.get(r.key)!.push(Math.round(performance.now() - t0));
    }
    console.log(`iteration ${i}:`, Object.fromEntries([...runs].map(([k, v]) => [k, v[i]])));
  }
  for (const r of runners) {
    entry[r.key] = { medianMs: median(runs.get(r.key)!), runsMs: runs.get(r.key), ...r.extra };
    await r.release();
  }
  const ms = (key: string) => (entry[key] as { medianMs: number } | undefined)?.medianMs;
  for (const mine of ['own', 'own-fallback-shader']) for (const theirs of ['ort-fp32', 'ort-qdq']) {
    const a = ms(mine), b = ms(theirs);
    if (a && b) entry[`ratio_${mine}_vs_${theirs}`] = Number((a / b).toFixed(3));
  }
  mkdirSync(dirname(RESULTS), { recursive: true });
  const all = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>[]) : [];
  const rest = all.filter((e) => !(e.arch === arch && e.batch === N));
  writeFileSync(RESULTS, `${JSON.stringify([...rest, entry], null, 2)}\n`);
  console.log(JSON.stringify(entry));
  process.exit(0);
}

await main();
