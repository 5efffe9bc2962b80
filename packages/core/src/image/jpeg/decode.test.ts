/**
 * Fidelity: the decoder against Pillow 9.4 / libjpeg-turbo (Debian python3-pil), at full size and at the DCT scales
 * (Pillow's draft(), i.e. libjpeg's scale_denom). Three sources of reference images:
 * - test-fixtures/images: the image pipeline's JPEG fixtures (Pillow-decoded PNGs),
 * - test-fixtures/jpeg: small cjpeg/jpegtran-made files Pillow cannot write (restarts, 4:4:0, 4:1:1, 3x1, mixed
 *   sampling, non-interleaved scans, custom progressive scripts, Adobe RGB),
 * - skimage's sample photos encoded by Pillow in many layouts, generated at test time into a cache outside git by
 *   test-fixtures/jpeg/make-jpeg-fixtures.py (needs python3-pil + python3-skimage, which scripts/test.sh installs).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodeJpegRows, jpegScaledSize, pickJpegScale, readJpegHeader, type JpegScale } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const IMAGES = join(here, '../../../test-fixtures/images');
const OWN = join(here, '../../../test-fixtures/jpeg');
const SCRIPT = join(OWN, 'make-jpeg-fixtures.py');
const PY = '/usr/bin/python3';

/** Max and mean absolute difference over the RGB channels of RGBA `a` and RGB or RGBA `b`. */
function diff(a: Uint8Array, b: Uint8Array, pixels: number, bChannels: number): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a[i * 4 + c] - b[i * bChannels + c]);
      if (d > max) max = d;
      sum += d;
    }
  }
  return { max, mean: sum / (pixels * 3) };
}

function png(path: string): { width: number; height: number; data: Uint8Array; channels: number } {
  const p = decodePng(readFileSync(path));
  return { width: p.width, height: p.height, data: p.data as Uint8Array, channels: p.channels };
}

function bytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Rotates RGBA 90 degrees clockwise (EXIF orientation 6), to compare with Pillow's exif_transpose. */
function rotateCw(img: { width: number; height: number; data: Uint8Array }): Uint8Array {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < w; y++) for (let x = 0; x < h; x++) out.set(data.subarray(((h - 1 - x) * w + y) * 4, ((h - 1 - x) * w + y) * 4 + 4), (y * h + x) * 4);
  return out;
}

describe('image pipeline JPEG fixtures (Pillow-decoded PNGs)', () => {
  for (const f of ['rgb.jpg', 'rgb-420.jpg', 'gray.jpg', 'cmyk.jpg', 'orient6.jpg']) {
    it(`${f} is identical to Pillow`, () => {
      const b = bytes(join(IMAGES, f));
      const img = decodeJpeg(b);
      const exp = png(join(IMAGES, `${f}.expected.png`));
      const h = readJpegHeader(b);
      const data = h.orientation === 6 ? rotateCw(img) : img.data;
      expect(h.orientation).toBe(f === 'orient6.jpg' ? 6 : 1);
      expect(diff(data, exp.data, exp.width * exp.height, exp.channels)).toEqual({ max: 0, mean: 0 });
    });
  }
});

describe('cjpeg/jpegtran fixtures (test-fixtures/jpeg)', () => {
  const layouts: Record<string, Partial<ReturnType<typeof readJpegHeader>>> = {
    'restart-420-3mcu.jpg': { subsampling: '4:2:0', progressive: false },
    'restart-prog-5mcu.jpg': { subsampling: '4:2:0', progressive: true },
    'restart-gray-1mcu.jpg': { subsampling: '4:0:0', colorTransform: 'gray' },
    'sample-440.jpg': { subsampling: '4:4:0' },
    'sample-440-prog.jpg': { subsampling: '4:4:0', progressive: true },
    'sample-411.jpg': { subsampling: '4:1:1' },
    'sample-31.jpg': { subsampling: '3x1,1x1,1x1' },
    'sample-mixed.jpg': { subsampling: '2x1,1x2,1x1' },
    'rgb-adobe.jpg': { colorTransform: 'rgb', adobeTransform: 0 },
    'progressive-custom.jpg': { subsampling: '4:2:2', progressive: true },
  };
  for (const f of readdirSync(OWN).filter((n) => n.endsWith('.jpg') && n !== 'arithmetic.jpg')) {
    it(`${f} is identical to Pillow at every scale it supports`, () => {
      const b = bytes(join(OWN, f));
      expect(readJpegHeader(b)).toMatchObject(layouts[f] ?? {});
      let checked = 0;
      for (const s of [1, 2, 4, 8] as const) {
        const p = join(OWN, f.replace('.jpg', `.s${s}.png`));
        if (!existsSync(p)) continue;
        const exp = png(p);
        const img = decodeJpeg(b, { scaleDenom: s });
        expect([img.width, img.height]).toEqual([exp.width, exp.height]);
        expect(diff(img.data, exp.data, exp.width * exp.height, exp.channels), `scale 1/${s}`).toEqual({ max: 0, mean: 0 });
        checked++;
      }
      expect(checked).toBe(4);
    });
  }
});

interface SuiteCase {
  name: string;
  file: string;
  truncated?: boolean;
  expected: { scale: JpegScale; width: number; height: number; file: string }[];
}

/** Generates (once per script version) the photo suite into ~/.cache; null when Python/Pillow/skimage are missing. */
function photoSuite(): { dir: string; cases: SuiteCase[]; pillow: string; libjpeg_turbo: string } | null {
  const probe = spawnSync(PY, ['-c', 'import PIL, skimage'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  const hash = createHash('sha256').update(readFileSync(SCRIPT)).digest('hex').slice(0, 16);
  const dir = join(homedir(), '.cache', 'resnet-edge', 'jpeg-fixtures', hash);
  if (!existsSync(join(dir, 'manifest.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    const r = spawnSync(PY, [SCRIPT, 'cache', tmp], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make-jpeg-fixtures.py failed: ${r.stderr}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return { dir, ...JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) };
}

const suite = photoSuite();
if (!suite) console.warn(`jpeg decode.test: photo suite skipped, ${PY} cannot import PIL and skimage (apt-get install python3-pil python3-skimage)`);

describe.skipIf(!suite)('skimage photos encoded by Pillow: identical to Pillow decode and draft()', () => {
  const rows: string[] = [];
  for (const c of suite?.cases ?? []) {
    it(`${c.name}: scales ${c.expected.map((e) => `1/${e.scale}`).join(', ')}`, () => {
      const b = bytes(join(suite!.dir, c.file));
      for (const e of c.expected) {
        const img = decodeJpeg(b, { scaleDenom: e.scale });
        expect([img.width, img.height]).toEqual([e.width, e.height]);
        const d = diff(img.data, bytes(join(suite!.dir, e.file)), e.width * e.height, 3);
        rows.push(`${c.name.padEnd(26)} 1/${e.scale} ${String(e.width).padStart(4)}x${String(e.height).padEnd(4)} max ${d.max} mean ${d.mean.toFixed(4)}`);
        expect(img.truncated).toBe(!!c.truncated);
        // A progressive file cut mid-way: libjpeg smooths blocks whose coefficients are incomplete; we do not.
        if (c.name === 'cut-astronaut-420-prog') {
          expect(d.mean).toBeLessThan(1.5);
          continue;
        }
        expect(d, `${c.name} at 1/${e.scale}`).toEqual({ max: 0, mean: 0 });
      }
    });
  }
  it('prints the table', () => {
    console.info(`JPEG decode vs Pillow ${suite!.pillow} (libjpeg-turbo ${suite!.libjpeg_turbo}):\n${rows.join('\n')}`);
    expect(rows.length).toBeGreaterThan(90);
  });
});

describe('row streaming and helpers', () => {
  for (const f of ['baseline-420.jpg', 'progressive-420.jpg', 'sample-mixed.jpg']) {
    for (const s of [1, 2, 8] as const) {
      it(`decodeJpegRows hands over exactly decodeJpeg's rows (${f}, 1/${s})`, () => {
        const b = bytes(join(OWN, f));
        const full = decodeJpeg(b, { scaleDenom: s });
        const got = new Uint8Array(full.data.length);
        let next = 0;
        const r = decodeJpegRows(b, {
          scaleDenom: s,
          onRows: ({ y, rows, width, height, data }) => {
            expect([y, width, height, data.length]).toEqual([next, full.width, full.height, rows * full.width * 4]);
            got.set(data, y * width * 4);
            next = y + rows;
          },
        });
        expect([r.width, r.height, next]).toEqual([full.width, full.height, full.height]);
        expect(got).toEqual(full.data);
      });
    }
  }

  it('jpegScaledSize rounds up and pickJpegScale keeps at least the requested size', () => {
    expect(jpegScaledSize(4032, 3024, 8)).toEqual({ width: 504, height: 378 });
    expect(jpegScaledSize(227, 149, 4)).toEqual({ width: 57, height: 38 });
    expect(pickJpegScale({ width: 4032, height: 3024, minWidth: 448, minHeight: 448 })).toBe(4);
    expect(pickJpegScale({ width: 4032, height: 3024, minWidth: 448, minHeight: 378 })).toBe(8);
    expect(pickJpegScale({ width: 640, height: 480, minWidth: 448, minHeight: 448 })).toBe(1);
  });
});
