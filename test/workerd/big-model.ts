/**
 * "Big models at the edge": a torchvision-architecture ResNet-50, int8 by this repository's quantizer, served by the
 * real Worker in local workerd (`wrangler dev`), with the isolate's memory read through the inspector
 * (Runtime.getHeapUsage: live JS heap + ArrayBuffer backing stores; plus the engine's wasm memory) idle, after loading and running,
 * and after garbage collection. Workers allow 128 MB per isolate.
 *
 *   npm run big-model -w @resnet-edge/worker -- [--requests 10] [--backend wasm] [--lite]
 *
 * The model is the benchmark's ResNet-50 (random seeded weights: memory does not depend on their values), built
 * once by bench/prepare-models.ts and cached in models/train/out/ (export: models/train/export_torchvision.py with
 * Debian's torch; quantize: core's quantizer, percentile calibration on 8 seeded random inputs).
 * Writes bench-results/worker-big-model.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWasmSession, type ManifestFile } from '@resnet-edge/core';
import { testManifest } from '@resnet-edge/core/testing';
import { torchvisionModel } from '../../bench/prepare-models.js';
import { encodeJpeg } from '../../packages/worker/src/testing/fixtures.js';
import { REPO_ROOT, stageAssets, startDevServer } from './dev-server.js';
import { connectIsolateHeap, type HeapUsage } from './isolate-heap.js';

const ID = 'resnet50-int8';
/** Workers' static-asset limit per file; bigger models ship as manifest `part`s. */
const MAX_ASSET = 25 * 1024 * 1024;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const REQUESTS = Number(arg('requests') ?? 10);
const BACKEND = arg('backend') ?? 'wasm';
const LITE = process.argv.includes('--lite');

/** The bench's ResNet-50 (bench/prepare-models.ts builds and caches it). */
async function int8Model(): Promise<Uint8Array> {
  return new Uint8Array(readFileSync((await torchvisionModel({ arch: 'resnet50' })).int8));
}

/** Writes `<root>/resnet50-int8/`: ImageNet preprocessing, 1000 placeholder labels, parts when over 25 MiB. */
function writePackage(root: string, model: Uint8Array): { parts: number } {
  const dir = join(root, ID);
  mkdirSync(dir, { recursive: true });
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const files: ManifestFile[] = [];
  if (model.byteLength <= MAX_ASSET) {
    writeFileSync(join(dir, 'model.onnx'), model);
    files.push({ path: 'model.onnx', role: 'model', bytes: model.byteLength, sha256: sha(model) });
  } else {
    const n = Math.ceil(model.byteLength / MAX_ASSET);
    const step = Math.ceil(model.byteLength / n);
    for (let i = 0; i < n; i++) {
      const part = model.subarray(i * step, Math.min(model.byteLength, (i + 1) * step));
      writeFileSync(join(dir, `model.onnx.part${i}`), part);
      files.push({ path: `model.onnx.part${i}`, role: 'part', bytes: part.byteLength, sha256: sha(part) });
    }
  }
  const manifest = testManifest({
    id: ID,
    labels: Array.from({ length: 1000 }, (_, i) => `class-${i}`),
    input: {
      shape: [1, 3, 224, 224],
      channels: 'rgb',
      resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' },
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    },
    output: { name: 'logits', kind: 'logits' },
    quantization: { format: 'qdq' },
    files,
  });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  return { parts: files.length };
}

/** A 640x480 photo-like JPEG (smooth gradients plus texture). */
function photo(): Uint8Array<ArrayBuffer> {
  const w = 640;
  const h = 480;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      rgba[i] = (x * 255) / w;
      rgba[i + 1] = (y * 255) / h;
      rgba[i + 2] = 128 + 100 * Math.sin((x + y) / 9);
      rgba[i + 3] = 255;
    }
  }
  return encodeJpeg({ rgba, width: w, height: h, quality: 90 });
}

const MB = (b: number) => Math.round((b / 1e6) * 10) / 10;
/** `wasm`: the engine's linear memory, which the inspector's figures leave out (see main). */
const summary = (h: HeapUsage, wasm: number) => ({
  jsUsedMB: MB(h.usedBytes),
  jsTotalMB: MB(h.totalBytes),
  backingMB: MB(h.backingBytes),
  embedderMB: MB(h.embedderBytes),
  wasmMB: MB(wasm),
  isolateMB: MB(h.usedBytes + h.backingBytes + h.embedderBytes + wasm),
});

async function main(): Promise<void> {
  const model = await int8Model();
  // The engine's wasm memory is not in Runtime.getHeapUsage (its backing-store figure matches the JS ArrayBuffers
  // alone), and the Worker does not expose it; the same engine build and plan give the same layout in Node, so it
  // is read from a session opened here (SIMD128 packing, relaxedMode 0, as in the Worker).
  const probe = await createWasmSession({ model, inputShapes: { input: [1, 3, 224, 224] } });
  const wasmBytes = probe.peakMemoryBytes;
  await probe.dispose();
  let parts = 0;
  const assetsDir = stageAssets({ models: [], extra: (root) => void ({ parts } = writePackage(root, model)) });
  const inspectorPort = 9400 + Math.floor(Math.random() * 500);
  const server = await startDevServer({
    assetsDir,
    inspectorPort,
    ...(LITE ? { env: 'lite' } : {}),
    vars: { MODELS: ID, DEFAULT_CLASSIFY_MODEL: ID, BACKEND },
  });
  const heap = await connectIsolateHeap({ port: inspectorPort });
  if (!heap) throw new Error('no inspector target');
  try {
    const body = photo();
    await heap.collectGarbage();
    const idle = await heap.sample();
    // Poll while requests run: the peak of live + backing memory is what the limit would hit.
    let peak = idle;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const s = await heap.sample().catch(() => undefined);
        if (s && s.usedBytes + s.backingBytes + s.embedderBytes > peak.usedBytes + peak.backingBytes + peak.embedderBytes) peak = s;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const t0 = performance.now();
    const first = await fetch(`${server.url}/v1/classify?topK=1`, { method: 'POST', body });
    const firstMs = performance.now() - t0;
    if (!first.ok) throw new Error(`first request: HTTP ${first.status} ${await first.text()}`);
    const backend = first.headers.get('x-backend');
    const timing = first.headers.get('server-timing');
    await first.arrayBuffer();
    const afterFirst = await heap.sample();
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const s = performance.now();
      const res = await fetch(`${server.url}/v1/classify?topK=1`, { method: 'POST', body });
      if (!res.ok) throw new Error(`request ${i}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }
    polling = false;
    await poller;
    const beforeGc = await heap.sample();
    await heap.collectGarbage();
    const retained = await heap.sample();
    latencies.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      target: `wrangler dev (local workerd), ${LITE ? 'lite build (--env lite)' : 'default build'}, BACKEND=${BACKEND}`,
      model: { id: ID, architecture: 'torchvision resnet50, opset 13, int8 QDQ (resnet-edge quantizer, percentile)', bytes: model.byteLength, assetParts: parts },
      backend,
      firstRequest: { ms: Math.round(firstMs), serverTiming: timing },
      warmMedianMs: Math.round(latencies[latencies.length >> 1] ?? NaN),
      requests: REQUESTS + 1,
      isolate: {
        idleAfterGc: summary(idle, 0),
        peakSampledBetweenRequests: summary(peak, wasmBytes),
        afterFirstRequest: summary(afterFirst, wasmBytes),
        afterRequestsBeforeGc: summary(beforeGc, wasmBytes),
        retainedAfterGc: summary(retained, wasmBytes),
      },
      note: 'isolateMB = JS heap used + ArrayBuffer backing stores + embedder objects (Runtime.getHeapUsage in workerd) + the engine wasm memory (same engine and plan, read in Node). The inspector only answers between tasks, so the peak inside a request (model load, inference) is not sampled.',
      workerdRssMB: MB(server.workerdRss() ?? NaN),
      loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
    };
    const out = join(REPO_ROOT, 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `worker-big-model${LITE ? '-lite' : ''}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    heap.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
