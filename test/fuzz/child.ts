/**
 * One fuzz worker process: runs the case ids given as a JSON array in argv[2] (corpus seed in argv[3]) one after
 * another and prints a JSON line when each starts and ends, so the parent (runner.ts) knows which case was running if
 * this process crashes, hangs or outgrows its memory limit. Images go through classify() of the default classifier
 * (fast decode, every third case exact); models through load() and one classify()/detect() on a sample.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, ResNetEdgeError, sha256Hex, type ModelManifest, type ResNetModel } from '../../packages/core/src/index.js';
import { buildImage, buildModel, modelBackends } from './corpus.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const ids = JSON.parse(process.argv[2]) as string[];
const seed = Number(process.argv[3]);
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
/**
 * Each case's own peak resident set: garbage of earlier cases is collected and the kernel's high-water mark (VmHWM) is
 * reset before it (Linux: clear_refs 5), then read after it. Elsewhere, the process's peak so far.
 */
function resetPeak(): void {
  (globalThis as { gc?: () => void }).gc?.();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the process-wide peak is reported instead
  }
}
function peakMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // fall through
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

let classifier: ResNetModel | undefined;
const samples = {
  'fmnist-resnet20': new Uint8Array(readFileSync(join(ROOT, 'models/fmnist-resnet20/samples/bag.png'))),
  'fmnist-scenes-centernet': new Uint8Array(readFileSync(join(ROOT, 'models/fmnist-scenes-centernet/samples/scene-3.png'))),
};

/** A result is valid when every score is a finite probability (and boxes finite). */
function validResult(r: unknown): boolean {
  return Array.isArray(r) && r.every((x: { score: number; box?: Record<string, number> }) =>
    Number.isFinite(x.score) && x.score >= 0 && x.score <= 1 && (!x.box || Object.values(x.box).every(Number.isFinite)));
}

async function outcome(run: () => Promise<unknown>): Promise<{ outcome: string; code?: string; message?: string }> {
  try {
    const r = await run();
    return validResult(r) ? { outcome: 'ok' } : { outcome: 'invalid-result', message: JSON.stringify(r).slice(0, 200) };
  } catch (e) {
    if (e instanceof ResNetEdgeError) return { outcome: 'typed', code: e.code, message: e.message.slice(0, 200) };
    return { outcome: 'untyped', message: String((e as Error)?.stack ?? e).slice(0, 400) };
  }
}

for (const id of ids) {
  resetPeak();
  say({ start: id });
  const t0 = performance.now();
  if (id.startsWith('image/')) {
    classifier ??= await load({ model: 'fmnist-resnet20', backend: 'wasm' });
    const bytes = buildImage(id, seed);
    const exact = Number(id.split('/')[2]) % 3 === 0;
    const r = await outcome(() => classifier!.classify(bytes, { topK: 3, preprocess: { decode: exact ? 'exact' : 'fast' } }));
    say({ done: id, family: 'image', bytes: bytes.length, ...r, ms: Math.round(performance.now() - t0), maxRssMB: peakMB() });
    continue;
  }
  const { base, bytes } = buildModel(id, seed);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'models', base.id, 'model.json'), 'utf8')) as ModelManifest;
  manifest.files = [{ path: 'model.onnx', role: 'model', bytes: bytes.length, sha256: await sha256Hex(bytes) }];
  // The damaged graph is what is under test: a two-stage detector runs without its second stage.
  if (manifest.detection) delete manifest.detection.refine;
  for (const backend of modelBackends(id)) {
    if (backend !== 'wasm') resetPeak();
    const t1 = performance.now();
    const r = await outcome(async () => {
      const model = await load({ model: { manifest, bytes }, backend });
      try {
        return manifest.task === 'detection' ? await model.detect(samples[base.id]) : await model.classify(samples[base.id], { topK: 3 });
      } finally {
        await model.dispose();
      }
    });
    say({ done: id, family: backend === 'wasm' ? 'model' : 'model-ort', base: `${base.id}/${base.file}`, backend, bytes: bytes.length, ...r, ms: Math.round(performance.now() - t1), maxRssMB: peakMB() });
  }
}
await classifier?.dispose();
say({ finished: true });
