/** Turns any accepted input into the model's input tensor, remembering how to map boxes back. */
import { ImageInputError, throwIfAborted } from '../errors.js';
import type { ModelManifest } from '../package/manifest-types.js';
import { firstNonFinite, isFloatTensor, sizeOf, type Tensor } from '../tensor.js';
import { preprocessEncoded, type ImagePreprocessOptions } from '../image/decode-to-size.js';
import { preprocess, type PreprocessTransform } from '../image/preprocess.js';
import { encodedBytes, toRgbaImage, type ImageInput } from '../image/to-rgba.js';

export interface PreparedInput {
  tensor: Tensor;
  transform: PreprocessTransform;
}

/**
 * Decodes (if needed), resizes and normalises `image` per the manifest; a Float32 NCHW tensor passes through after a
 * shape check. Encoded bytes and Blobs are decoded to the size the model needs unless `preprocess.decode` is
 * `'exact'`; DOM images, ImageData and RgbaImage are resized from their pixels.
 *
 * @example
 * ```ts
 * const { tensor } = await prepareInput({ image: bytes, manifest, preprocess: { decode: 'exact' } });
 * ```
 */
export async function prepareInput(options: {
  image: ImageInput | Tensor;
  manifest: ModelManifest;
  signal?: AbortSignal;
  allowBatch?: boolean;
  preprocess?: ImagePreprocessOptions;
}): Promise<PreparedInput> {
  const { image, manifest, signal } = options;
  const settings = options.preprocess ?? {};
  throwIfAborted(signal);
  const [, c, h, w] = manifest.input.shape;
  if (isFloatTensor(image)) {
    const d = image.dims;
    const okBatch = options.allowBatch ? d[0] >= 1 : d[0] === 1;
    if (d.length !== 4 || !okBatch || d[1] !== c || d[2] !== h || d[3] !== w || image.data.length !== sizeOf(d)) {
      throw new ImageInputError('INVALID_TENSOR', `Expected a float32 tensor of shape [${options.allowBatch ? 'N' : 1}, ${c}, ${h}, ${w}], got [${d.join(', ')}] with ${image.data.length} values.`);
    }
    // NaN/Infinity would reach the outputs on one backend and be clamped away on another: refused here for all.
    const bad = firstNonFinite(image.data);
    if (bad >= 0) throw new ImageInputError('INVALID_TENSOR', `The input tensor holds a non-finite value (${image.data[bad]}) at index ${bad}.`);
    return { tensor: image, transform: { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0, srcWidth: w, srcHeight: h } };
  }
  const bytes = await encodedBytes(image, settings);
  if (bytes) {
    const { tensor, transform } = await preprocessEncoded({ ...settings, bytes, input: manifest.input, signal });
    return { tensor, transform };
  }
  const rgba = await toRgbaImage(image, settings);
  throwIfAborted(signal);
  return preprocess({ image: rgba, input: manifest.input, alphaBackground: settings.alphaBackground });
}
