/**
 * Chroma upsampling of one output row, bit-exact with libjpeg-turbo's jdsample.c:
 * "fancy" triangle filters for 2:1 horizontal (h2v1), 2:1 both ways (h2v2) and 2:1 vertical (h1v2, libjpeg-turbo
 * >= 2.0), with its exact rounding biases, and plain replication for everything else. The filters read
 * `width` input samples (the component's downsampled width; samples past it are never used) and the caller
 * picks the input rows (the nearer row and the next-nearer one, clamped at the image edges).
 */

/** How one component becomes full-size rows. */
export type UpsampleMethod = 'full' | 'h2v1-fancy' | 'h1v2-fancy' | 'h2v2-fancy' | 'replicate';

/**
 * Picks libjpeg-turbo's method (jinit_upsampler): fancy filters only when fancy upsampling applies (not at 1/8
 * scale, where libjpeg has no context rows) and, for the h2 cases, the component is wider than 2 samples.
 */
export function chooseUpsample(hExpand: number, vExpand: number, fancy: boolean, width: number): UpsampleMethod {
  if (hExpand === 1 && vExpand === 1) return 'full';
  if (hExpand === 2 && vExpand === 1) return fancy && width > 2 ? 'h2v1-fancy' : 'replicate';
  if (hExpand === 1 && vExpand === 2) return fancy ? 'h1v2-fancy' : 'replicate';
  if (hExpand === 2 && vExpand === 2) return fancy && width > 2 ? 'h2v2-fancy' : 'replicate';
  return 'replicate';
}

/** h2v1 fancy: out[2i], out[2i+1] = 3/4 nearer + 1/4 further neighbour, edges copied. */
export function h2v1Fancy(inp: Uint8Array, o: number, width: number, out: Uint8Array): void {
  let v = inp[o];
  out[0] = v;
  out[1] = (v * 3 + inp[o + 1] + 2) >> 2;
  let j = 2;
  const end = o + width - 1;
  for (let i = o + 1; i < end; i++) {
    v = inp[i] * 3;
    out[j++] = (v + inp[i - 1] + 1) >> 2;
    out[j++] = (v + inp[i + 1] + 2) >> 2;
  }
  v = inp[end];
  out[j++] = (v * 3 + inp[end - 1] + 1) >> 2;
  out[j] = v;
}

/** h1v2 fancy: 3/4 nearer row + 1/4 next-nearer row; bias 1 when that row is above, 2 when below. */
export function h1v2Fancy(inp: Uint8Array, near: number, far: number, width: number, bias: number, out: Uint8Array): void {
  for (let x = 0; x < width; x++) out[x] = (inp[near + x] * 3 + inp[far + x] + bias) >> 2;
}

/** h2v2 fancy: the h1v2 column sums (3 * nearer row + next-nearer row) filtered horizontally like h2v1, /16. */
export function h2v2Fancy(inp: Uint8Array, near: number, far: number, width: number, out: Uint8Array): void {
  let last = inp[near] * 3 + inp[far];
  let cur = last;
  let next = inp[near + 1] * 3 + inp[far + 1];
  out[0] = (cur * 4 + 8) >> 4;
  out[1] = (cur * 3 + next + 7) >> 4;
  last = cur;
  cur = next;
  let j = 2;
  for (let x = 2; x < width; x++) {
    next = inp[near + x] * 3 + inp[far + x];
    out[j++] = (cur * 3 + last + 8) >> 4;
    out[j++] = (cur * 3 + next + 7) >> 4;
    last = cur;
    cur = next;
  }
  out[j++] = (cur * 3 + last + 8) >> 4;
  out[j] = (cur * 4 + 7) >> 4;
}

/** Horizontal replication by an integer factor, `outWidth` samples. */
export function replicate(inp: Uint8Array, o: number, factor: number, outWidth: number, out: Uint8Array): void {
  if (factor === 1) {
    out.set(inp.subarray(o, o + outWidth));
    return;
  }
  let x = 0;
  for (let i = o; x < outWidth; i++) {
    const v = inp[i];
    for (let k = 0; k < factor && x < outWidth; k++) out[x++] = v;
  }
}
