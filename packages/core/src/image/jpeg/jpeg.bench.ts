// JPEG decode benchmark on 12 MP (4032x3024) photos: own decoder vs jpeg-js vs sharp (libvips + mozjpeg, i.e.
// libjpeg-turbo's SIMD code), full size and 1/2, 1/4, 1/8.
//   nice node --import tsx packages/core/src/image/jpeg/jpeg.bench.ts [--runs 7]
// The photos are made once by test-fixtures/jpeg/make-jpeg-fixtures.py (needs python3-pil, python3-skimage, numpy)
// into ~/.cache/resnet-edge/jpeg-bench/<hash of the script>. Times are medians of wall-clock and of user CPU time
// (process.cpuUsage; sharp runs with concurrency 1 so its CPU time is one thread's too). sharp is used here only.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpegJs from 'jpeg-js';
import sharp from 'sharp';
import { median } from '../../testing/bench-stats.js';
import { decodeJpeg, decodeJpegRows, readJpegHeader } from './index.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const script = join(dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures/jpeg/make-jpeg-fixtures.py');
const dir = join(homedir(), '.cache/resnet-edge/jpeg-bench', createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16));
if (!existsSync(join(dir, '12mp-444-q90-prog.jpg'))) {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('/usr/bin/python3', [script, 'bench', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not make the bench photos: ${r.stderr}`);
}
sharp.concurrency(1);
sharp.cache(false);

interface Timing {
  wall: number;
  cpu: number;
}

/**
 * Runs the cases round-robin (each round runs every case once) so own and sharp are timed under the same load;
 * median per case. `maxRuns` caps slow cases (jpeg-js).
 */
async function timeAll(cases: { name: string; fn: () => unknown; maxRuns?: number }[], runs: number): Promise<Map<string, Timing>> {
  const wall = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  for (const c of cases) {
    await c.fn(); // warm-up (JIT, lazy tables)
    wall.set(c.name, []);
    cpu.set(c.name, []);
  }
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      if (c.maxRuns !== undefined && i >= c.maxRuns) continue;
      const u = process.cpuUsage();
      const t = performance.now();
      await c.fn();
      wall.get(c.name)!.push(performance.now() - t);
      cpu.get(c.name)!.push(process.cpuUsage(u).user / 1000);
    }
  }
  return new Map(cases.map((c) => [c.name, { wall: median(wall.get(c.name)!), cpu: median(cpu.get(c.name)!) }]));
}

const fmt = (t: Timing): string => `${t.wall.toFixed(0).padStart(5)} / ${t.cpu.toFixed(0).padStart(4)}`;
const ratio = (a: Timing, b: Timing): string => `${(a.cpu / b.cpu).toFixed(2)}x`;

console.log(`JPEG decode, 12 MP, median of ${RUNS} round-robin runs (wall ms / user-CPU ms); node ${process.version}, sharp ${sharp.versions.sharp} (vips ${sharp.versions.vips}, mozjpeg)`);
console.log('| file | size | mode | own | jpeg-js | sharp | own/sharp CPU |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const name of ['12mp-420-q90', '12mp-444-q90', '12mp-420-q90-prog', '12mp-444-q90-prog']) {
  const bytes = new Uint8Array(readFileSync(join(dir, `${name}.jpg`)));
  const h = readJpegHeader(bytes);
  const mb = `${(bytes.length / 2 ** 20).toFixed(1)} MB`;
  const sizes = ([2, 4, 8] as const).map((s) => ({ s, w: Math.ceil(h.width / s), h: Math.ceil(h.height / s) }));
  const t = await timeAll(
    [
      // Full size: RGBA image (fresh buffer each time, as callers get it), rows only (what the resize pipeline uses).
      { name: 'own', fn: () => decodeJpeg(bytes) },
      { name: 'own-rows', fn: () => decodeJpegRows(bytes, { onRows: () => {} }) },
      { name: 'jpeg-js', fn: () => jpegJs.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 }), maxRuns: 3 },
      { name: 'sharp', fn: () => sharp(bytes).raw().toBuffer() },
      // DCT scaling; sharp's shrink-on-load (libjpeg scale_denom) to the same size.
      ...sizes.flatMap((z) => [
        { name: `own/${z.s}`, fn: () => decodeJpeg(bytes, { scaleDenom: z.s }) },
        { name: `sharp/${z.s}`, fn: () => sharp(bytes).resize(z.w, z.h, { fastShrinkOnLoad: true }).raw().toBuffer() },
      ]),
    ],
    RUNS,
  );
  const g = (k: string): Timing => t.get(k)!;
  console.log(`| ${name} | ${mb} | full, RGBA buffer | ${fmt(g('own'))} | ${fmt(g('jpeg-js'))} | ${fmt(g('sharp'))} (RGB) | ${ratio(g('own'), g('sharp'))} |`);
  console.log(`| ${name} | ${mb} | full, rows streamed | ${fmt(g('own-rows'))} | - | - | ${ratio(g('own-rows'), g('sharp'))} |`);
  for (const z of sizes) {
    console.log(`| ${name} | ${mb} | 1/${z.s} (${z.w}x${z.h}) | ${fmt(g(`own/${z.s}`))} | - | ${fmt(g(`sharp/${z.s}`))} | ${ratio(g(`own/${z.s}`), g(`sharp/${z.s}`))} |`);
  }
}
