/**
 * Main-thread side: turns any accepted image into something `postMessage` can carry, plus the list of
 * objects to transfer (moved, not copied). DOM sources become an ImageBitmap made here (the browser
 * decodes/snapshots it off the main thread) which is always transferred since nobody else holds it.
 */
import { ImageInputError } from '../errors.js';
import type { RgbaImage } from '../image/types.js';
import type { WireImage } from './protocol.js';
import { isFloatTensor } from '../tensor.js';

/** Everything the worker client accepts (core's `ImageInput` plus video frames for webcams). */
export type ClientImage =
  | WireImage
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | HTMLVideoElement
  | OffscreenCanvas
  | VideoFrame;

export interface PreparedImage {
  image: WireImage;
  transfer: Transferable[];
  /** True when `image` is a bitmap made here (the caller must close it if it is never sent). */
  owned?: boolean;
}

/**
 * Prepares an image for the worker.
 *
 * `transfer: true` moves the caller's ArrayBuffer / ImageBitmap / pixel buffer into the worker (it is
 * detached here afterwards); `false` leaves them usable and lets structured clone copy them.
 *
 * @example
 * ```ts
 * const { image, transfer } = await prepareImage({ image: video, transfer: true });
 * worker.postMessage(image, transfer);
 * ```
 */
export async function prepareImage(options: { image: ClientImage; transfer: boolean }): Promise<PreparedImage> {
  const { image, transfer } = options;
  if (image === null || image === undefined || (typeof image !== 'object' && typeof image !== 'function')) {
    throw new ImageInputError('INVALID_ARGUMENT', 'Expected an image, got ' + (image === null ? 'null' : typeof image) + '.');
  }
  const g = globalThis as Record<string, unknown>;
  const is = (name: string) => typeof g[name] === 'function' && image instanceof (g[name] as new () => unknown);

  if (is('Blob')) return { image: image as Blob, transfer: [] };
  if (is('ImageBitmap')) return { image: image as ImageBitmap, transfer: transfer ? [image as ImageBitmap] : [] };
  if (image instanceof ArrayBuffer) {
    if (image.byteLength === 0) throw new ImageInputError('EMPTY_INPUT', 'The image buffer is empty.');
    return { image, transfer: transfer ? [image] : [] };
  }
  if (image instanceof Uint8Array) {
    if (image.byteLength === 0) throw new ImageInputError('EMPTY_INPUT', 'The image buffer is empty.');
    return { image, transfer: transfer ? ownBuffer(image) : [] };
  }
  if (is('ImageData')) {
    // Sent as a plain RGBA record so its pixel buffer can be transferred (ImageData itself is cloned).
    const d = image as ImageData;
    const rgba: RgbaImage = { width: d.width, height: d.height, data: d.data };
    return { image: rgba, transfer: transfer ? ownBuffer(d.data) : [] };
  }
  if (
    is('HTMLImageElement') ||
    is('HTMLCanvasElement') ||
    is('HTMLVideoElement') ||
    is('OffscreenCanvas') ||
    is('VideoFrame') ||
    is('SVGImageElement')
  ) {
    if (typeof createImageBitmap !== 'function') {
      throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', 'createImageBitmap is not available to convert this image.');
    }
    let bitmap: ImageBitmap;
    try {
      if (is('HTMLImageElement') && !(image as HTMLImageElement).complete) await (image as HTMLImageElement).decode();
      bitmap = await createImageBitmap(image as ImageBitmapSource);
    } catch (cause) {
      throw new ImageInputError('IMAGE_DECODE_FAILED', 'Could not read pixels from the image element.', { cause });
    }
    return { image: bitmap, transfer: [bitmap], owned: true };
  }
  const rec = image as Partial<RgbaImage> & { dims?: unknown };
  if (isFloatTensor(image)) {
    return { image: { data: image.data, dims: [...image.dims] }, transfer: transfer ? ownBuffer(image.data) : [] };
  }
  if (
    typeof rec.width === 'number' &&
    typeof rec.height === 'number' &&
    (rec.data instanceof Uint8Array || rec.data instanceof Uint8ClampedArray)
  ) {
    const rgba: RgbaImage = { width: rec.width, height: rec.height, data: rec.data };
    return { image: rgba, transfer: transfer ? ownBuffer(rec.data) : [] };
  }
  throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', 'Unsupported image input type.');
}

// Only transfer a buffer the view fully owns: transferring a shared or larger backing buffer would
// detach bytes the caller never handed over.
function ownBuffer(view: ArrayBufferView): Transferable[] {
  const buf = view.buffer;
  if (!(buf instanceof ArrayBuffer)) return [];
  return view.byteOffset === 0 && view.byteLength === buf.byteLength ? [buf] : [];
}
