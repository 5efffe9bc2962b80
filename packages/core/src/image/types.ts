/** A decoded image in 8-bit RGBA, row-major, no padding between rows. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Formats the sniffer recognises. Only `jpeg`, `png` and `webp` are decoded; the rest are named so errors can say what was sent. */
export type ImageFormat =
  | 'jpeg'
  | 'png'
  | 'webp'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'avif'
  | 'heic'
  | 'pdf'
  | 'zip'
  | 'svg'
  | 'text'
  | 'unknown';

/** What {@link sniffImage} learned from the first bytes, without decoding pixels. */
export interface ImageInfo {
  format: ImageFormat;
  /** True for formats {@link decodeImage} can decode (jpeg, png, webp). */
  supported: boolean;
  /** Pixel size from the header when it could be read; undefined otherwise. */
  width?: number;
  height?: number;
  /** EXIF orientation 1..8 for JPEGs that carry one (1 = upright). */
  orientation?: number;
}

/** A pluggable decoder for one encoded format (see `registerImageDecoder`). Must return straight (not premultiplied) RGBA. */
export type ImageDecodeFn = (bytes: Uint8Array, info: ImageInfo) => RgbaImage | Promise<RgbaImage>;
