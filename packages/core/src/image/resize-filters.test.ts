// Bicubic, Lanczos, box and Hamming resizes against Pillow itself (Debian's python3-pil, a dependency of the
// python3-torchvision package scripts/test.sh installs), bit for bit on 8-bit RGB and L data, with and without `box`.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { convolutionCoefficients, type ConvolutionFilter } from './resize-filters.js';
import { createResampler, resample8 } from './resize.js';

const FILTERS: ConvolutionFilter[] = ['bicubic', 'lanczos', 'box', 'hamming'];
const PIL_FILTER: Record<ConvolutionFilter, string> = { bicubic: 'BICUBIC', lanczos: 'LANCZOS', box: 'BOX', hamming: 'HAMMING' };

/** A deterministic test picture: gradients, a hard edge and noise, so ringing and clipping are exercised. */
function picture(w: number, h: number, c: number): Uint8Array {
  const px = new Uint8Array(w * h * c);
  let seed = 12345;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const edge = x > w / 3 && y < (2 * h) / 3 ? 230 : 20;
        const v = k === 0 ? edge : k === 1 ? (x * 255) / w : (seed >>> 24) ^ ((y * 7) & 255);
        px[(y * w + x) * c + k] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return px;
}

interface Case {
  w: number;
  h: number;
  c: 1 | 3;
  to: [number, number];
  filter: ConvolutionFilter;
  /** Pillow's `box` (x0, y0, x1, y1): the source region the output spans. */
  box?: [number, number, number, number];
}

/** Runs every case through Pillow in one Python process; returns the resized bytes per case. */
function pillow(cases: Case[]): Uint8Array[] {
  const script = `
import sys, json, base64
from PIL import Image
out = []
for c in json.loads(sys.stdin.read()):
    im = Image.frombytes('RGB' if c['c'] == 3 else 'L', (c['w'], c['h']), base64.b64decode(c['px']))
    r = im.resize(tuple(c['to']), getattr(Image, c['filter']), box=tuple(c['box']) if c.get('box') else None)
    out.append(base64.b64encode(r.tobytes()).decode())
print(json.dumps(out))
`;
  const input = JSON.stringify(
    cases.map((c) => ({ ...c, filter: PIL_FILTER[c.filter], px: Buffer.from(picture(c.w, c.h, c.c)).toString('base64') })),
  );
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`Pillow reference failed (needs Debian python3-pil): ${r.stderr || r.error}`);
  return (JSON.parse(r.stdout) as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64')));
}

function ours(c: Case): Uint8Array {
  const px = picture(c.w, c.h, c.c);
  const rowLen = c.w * c.c;
  if (!c.box) {
    return resample8({ src: { width: c.w, height: c.h, channels: c.c, row: (y) => px.subarray(y * rowLen, (y + 1) * rowLen) }, width: c.to[0], height: c.to[1], filter: c.filter });
  }
  // A box anchored at the origin is how decode-to-size maps a reduced decode back (extentWidth/Height).
  const r = createResampler({ srcWidth: c.w, srcHeight: c.h, channels: c.c, width: c.to[0], height: c.to[1], filter: c.filter, extentWidth: c.box[2], extentHeight: c.box[3] });
  for (let y = 0; y < c.h; y++) r.push(px.subarray(y * rowLen, (y + 1) * rowLen));
  return r.output;
}

describe('Pillow convolution filters (bicubic, lanczos, box, hamming)', () => {
  const cases: Case[] = [];
  for (const filter of FILTERS) {
    cases.push(
      { w: 97, h: 61, c: 3, to: [40, 27], filter }, // downscale, odd factors
      { w: 97, h: 61, c: 3, to: [224, 150], filter }, // upscale (support not widened)
      { w: 300, h: 200, c: 3, to: [256, 171], filter }, // near 1:1, what a crop_pct resize does
      { w: 45, h: 33, c: 1, to: [13, 50], filter }, // grey, down on one axis and up on the other
      { w: 101, h: 64, c: 3, to: [31, 20], filter, box: [0, 0, 100.5, 63.25] }, // fractional box (reduced JPEG decode)
    );
  }

  it('match Pillow Image.resize bit for bit', () => {
    const want = pillow(cases);
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const got = ours(c);
      expect(got.length).toBe(want[i].length);
      let diff = 0;
      for (let k = 0; k < got.length; k++) diff = Math.max(diff, Math.abs(got[k] - want[i][k]));
      if (diff !== 0) failures.push(`${c.filter} ${c.w}x${c.h}x${c.c} -> ${c.to.join('x')}${c.box ? ' box' : ''}: max diff ${diff}`);
    });
    expect(failures).toEqual([]);
  });

  it('bicubic weights have negative lobes and sum to 1; support widens when downscaling', () => {
    const up = convolutionCoefficients({ inSize: 10, outSize: 20, filter: 'bicubic' });
    const down = convolutionCoefficients({ inSize: 40, outSize: 10, filter: 'bicubic' });
    expect(up.ksize).toBe(5);
    expect(down.ksize).toBe(17);
    for (const c of [up, down]) {
      for (let i = 0; i < c.start.length; i++) {
        let s = 0;
        for (let t = 0; t < c.count[i]; t++) s += c.weights[i * c.ksize + t];
        expect(s).toBeCloseTo(1, 12);
      }
    }
    expect(Array.from(down.weights).some((w) => w < 0)).toBe(true);
  });
});
