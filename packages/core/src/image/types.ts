/** A decoded image in 8-bit RGBA, row-major, no padding between rows. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}
