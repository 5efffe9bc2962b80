/**
 * Decode to size (issue 17): phone-sized photos through `classify()` in Node, fast (default) and exact, beside
 * sharp's resize-on-load of the same files (libvips shrink-on-load, bench only, never shipped). Every measurement runs
 * in its own Node process so its peak RSS is its own: RSS growth = peak RSS - RSS once the model is loaded and the
 * file read. Medians after warm-up; no assertions, the numbers are the product. Writes bench-results/image-decode.json
 * and its BENCHMARKS.md section.
 *
 *   node --import tsx bench/image-decode.ts            # all cases, writes BENCHMARKS.md
 *   node --import tsx bench/image-decode.ts --no-md    # print only
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { median, round } from '../packages/core/src/testing/bench-stats.js';
import { testPhotos } from '../test/node/photos/photos.js';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

/** The ImageNet-style spec of a torchvision ResNet: shorter side 256, centre crop 224. */
const IMAGENET = {
  name: 'input',
  shape: [1, 3, 224, 224] as [number, number, number, number],
  layout: 'NCHW' as const,
  channels: 'rgb' as const,
  resize: { mode: 'shorter-side-crop' as const, shorterSide: 256, filter: 'bilinear' as const },
  scale: 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

type Mode = 'classify-fast' | 'classify-exact' | 'preprocess224-fast' | 'preprocess224-exact' | 'sharp224' | 'sharp224-1t';

/** One measurement in this (child) process: warm-ups, then RUNS timed calls. */
async function child(file: string, mode: Mode): Promise<void> {
  const bytes = new Uint8Array(readFileSync(file));
  let run: () => Promise<unknown>;
  if (mode.startsWith('sharp')) {
    const sharp = (await import('sharp')).default;
    if (mode === 'sharp224-1t') sharp.concurrency(1);
    sharp.cache(false);
    run = () => sharp(bytes).resize({ width: 224, height: 224, fit: 'cover' }).removeAlpha().raw().toBuffer();
  } else if (mode.startsWith('classify')) {
    const { load } = await import('../packages/core/src/index.js');
    const model = await load({ model: 'fmnist-resnet20', backend: 'wasm' });
    const decode = mode === 'classify-exact' ? 'exact' : 'fast';
    run = () => model.classify(bytes, { preprocess: { decode } });
  } else {
    const { preprocessEncoded } = await import('../packages/core/src/index.js');
    const decode = mode === 'preprocess224-exact' ? 'exact' : 'fast';
    run = () => preprocessEncoded({ bytes, input: IMAGENET, decode });
  }
  const rssBase = process.memoryUsage().rss;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 2 + RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    const c = process.cpuUsage(c0);
    if (i >= 2) {
      times.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000); // all threads of the process (zlib's and libvips' too)
    }
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ medianMs: round(median(times), 1), minMs: round(Math.min(...times), 1), cpuMs: round(median(cpu), 1), rssGrowthMB: round((peak - rssBase) / 2 ** 20, 1), peakRssMB: round(peak / 2 ** 20, 1) })}\n`,
  );
}

if (args[0] === '--child') {
  await child(args[1], args[2] as Mode);
  process.exit(0);
}

const { dir, photos } = testPhotos();
const cases = ['chelsea-420.jpg', 'coffee-444.jpg', 'astronaut-progressive.jpg', 'chelsea-orient6.jpg', 'chelsea.png', 'coffee-adam7.png'];
const modes: Mode[] = ['classify-fast', 'classify-exact', 'preprocess224-fast', 'preprocess224-exact', 'sharp224', 'sharp224-1t'];
const loadStart = loadavg()[0];
const results: Array<{ file: string; kind: string; mpix: number; bytes: number; modes: Record<string, { medianMs: number; minMs: number; cpuMs: number; rssGrowthMB: number; peakRssMB: number }> }> = [];
for (const file of cases) {
  const p = photos[file];
  const row = { file, kind: p.kind, mpix: round((p.size[0] * p.size[1]) / 1e6, 1), bytes: p.bytes, modes: {} as Record<string, never> };
  for (const mode of modes) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/image-decode.ts', '--child', join(dir, file), mode], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_RUNS: String(RUNS) } });
    (row.modes as Record<string, unknown>)[mode] = JSON.parse(out.trim().split('\n').pop()!);
    console.log(file, mode, (row.modes as Record<string, unknown>)[mode]);
  }
  results.push(row);
}
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memGiB: round(totalmem() / 2 ** 30, 1), node: process.version, loadAverage1mStart: round(loadStart, 2), loadAverage1mEnd: round(loadavg()[0], 2), date: new Date().toISOString() };
mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(ROOT, 'bench-results/image-decode.json'), `${JSON.stringify({ machine, runs: RUNS, results }, null, 2)}\n`);

const m = (r: (typeof results)[number], k: Mode) => r.modes[k] as { medianMs: number; cpuMs: number; rssGrowthMB: number };
/** Wall ms (CPU ms of all the process's threads): on a loaded shared machine the CPU figure is the steadier one. */
const t = (r: (typeof results)[number], k: Mode) => `${m(r, k).medianMs} (${m(r, k).cpuMs})`;
const md = [
  '<!-- image-decode-bench:start -->',
  '## Phone photos in Node: decode to size (generated by `node --import tsx bench/image-decode.ts`)',
  '',
  `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${machine.date}; load average (1 min) ${machine.loadAverage1mStart} at the start, ${machine.loadAverage1mEnd} at the end`,
  `(shared machine: compare columns within a row). Photos: scikit-image samples upscaled to ~12 MP with sensor-like noise`,
  '(test/node/photos/make-photos.py). Each cell is its own Node process: median of ' + RUNS + ' after 2 warm-ups; RSS growth = peak RSS minus RSS after',
  'loading the model and reading the file. Times: median wall ms (median CPU ms of all the process\'s threads in brackets;',
  'on this loaded machine CPU time is the steadier figure). `classify()`: the default model (fmnist-resnet20, 28x28 grey),',
  'end to end. `224`: decode + shorter side 256 + centre crop 224 (ImageNet input), our `preprocessEncoded` vs sharp',
  '`resize(224, 224, cover)` (libvips shrink-on-load; default threads, and one).',
  '',
  '| photo | MP | classify() fast ms | RSS growth MB | classify() exact ms | RSS growth MB | 224 fast ms | 224 exact ms | sharp 224 ms | sharp 224, 1 thread ms | 224 fast / sharp 1 thread (CPU) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.file} (${r.kind}) | ${r.mpix} | **${t(r, 'classify-fast')}** | ${m(r, 'classify-fast').rssGrowthMB} | ${t(r, 'classify-exact')} | ${m(r, 'classify-exact').rssGrowthMB} | ${t(r, 'preprocess224-fast')} | ${t(r, 'preprocess224-exact')} | ${t(r, 'sharp224')} | ${t(r, 'sharp224-1t')} | ${round(m(r, 'preprocess224-fast').cpuMs / m(r, 'sharp224-1t').cpuMs, 2)}x |`),
  '',
  'Raw numbers: `bench-results/image-decode.json`.',
  '<!-- image-decode-bench:end -->',
].join('\n');
console.log(md);
if (!args.includes('--no-md')) {
  const path = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const a = text.indexOf('<!-- image-decode-bench:start -->');
  const b = text.indexOf('<!-- image-decode-bench:end -->');
  const next = a >= 0 && b > a ? text.slice(0, a) + md + text.slice(b + '<!-- image-decode-bench:end -->'.length) : `${text.trimEnd()}\n\n${md}\n`;
  writeFileSync(path, next);
}
