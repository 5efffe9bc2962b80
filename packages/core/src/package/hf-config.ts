/**
 * Hugging Face model folders, read the way transformers reads them: `config.json` (`id2label`, `architectures`) and
 * `preprocessor_config.json` (the image processor's resize, crop, rescale and normalize settings). Resizes go through
 * Pillow in transformers' PIL backend (`image_transforms.resize`), crops start at `(size - crop) // 2`; both are
 * reproduced exactly (resize-filters.ts, `cropRounding: 'floor'`).
 */
import { ModelLoadError } from '../errors.js';
import type { InputOverrides } from './infer-manifest.js';
import type { ModelTask, ResizePolicy } from './manifest-types.js';

/** What config.json contributes to a manifest. */
export interface HfModelConfig {
  labels?: string[];
  task?: ModelTask;
  /** `architectures[0]`, e.g. `ResNetForImageClassification`. */
  architecture?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(file: string, why: string): never {
  throw new ModelLoadError('INVALID_MODEL', `${file}: ${why}.`, { details: { file } });
}

/**
 * Reads labels (from `id2label`, keys 0..n-1) and the task (from `architectures`) out of a parsed `config.json`.
 *
 * @example
 * ```ts
 * hfModelConfig({ architectures: ['ResNetForImageClassification'], id2label: { 0: 'cat', 1: 'dog' } });
 * // { labels: ['cat', 'dog'], task: 'classification', architecture: 'ResNetForImageClassification' }
 * ```
 */
export function hfModelConfig(json: unknown): HfModelConfig {
  if (!isObj(json)) invalid('config.json', 'is not a JSON object');
  const out: HfModelConfig = {};
  const arch = Array.isArray(json.architectures) && typeof json.architectures[0] === 'string' ? json.architectures[0] : undefined;
  if (arch) {
    out.architecture = arch;
    if (/ForImageClassification/.test(arch)) out.task = 'classification';
    else if (/^(Detr|TableTransformer)ForObjectDetection$/.test(arch)) out.task = 'detection';
    else {
      invalid('config.json', `architecture ${arch} is not supported (image classifiers and DETR detectors are)`);
    }
  }
  if (json.id2label !== undefined) {
    if (!isObj(json.id2label)) invalid('config.json', 'id2label must be an object');
    const entries = Object.entries(json.id2label);
    const labels: string[] = new Array<string>(entries.length);
    for (const [k, v] of entries) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= entries.length || typeof v !== 'string') {
        invalid('config.json', `id2label must map the ids 0..${entries.length - 1} to strings (found "${k}")`);
      }
      labels[i] = v;
    }
    if (labels.length > 0) out.labels = labels;
  }
  return out;
}

/** Processors whose integer `size` means the shortest edge (transformers' `default_to_square=False`). */
const SHORTEST_EDGE_PROCESSORS = /ConvNext|Bit|CLIP|MobileNetV1|MobileNetV2|Levit|PoolFormer/;
/** Processors that resize with bicubic when `resample` is absent. */
const BICUBIC_DEFAULT = /ConvNext|Bit|CLIP|Levit|PoolFormer/;

/** PIL's resampling enum (`PILImageResampling`) -> our filters. */
const RESAMPLE: Record<number, ResizePolicy['filter']> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic', 4: 'box', 5: 'hamming' };

interface SizeDict {
  height?: number;
  width?: number;
  shortest_edge?: number;
  longest_edge?: number;
}

function sizeDict(v: unknown, shortestDefault: boolean, what: string): SizeDict | undefined {
  if (v === undefined || v === null) return undefined;
  const pos = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x > 0;
  if (pos(v)) return shortestDefault ? { shortest_edge: v as number } : { height: v as number, width: v as number };
  if (Array.isArray(v) && v.length === 2 && v.every(pos)) return { height: v[0], width: v[1] };
  if (isObj(v)) {
    const d: SizeDict = {};
    for (const k of ['height', 'width', 'shortest_edge', 'longest_edge'] as const) {
      if (v[k] !== undefined && v[k] !== null) {
        if (!pos(v[k])) invalid('preprocessor_config.json', `${what}.${k} must be a positive integer`);
        d[k] = v[k] as number;
      }
    }
    return d;
  }
  return invalid('preprocessor_config.json', `${what} must be a number, [height, width] or an object`);
}

function numbers(v: unknown, what: string): number[] {
  const arr = typeof v === 'number' ? [v, v, v] : v;
  if (!Array.isArray(arr) || arr.length !== 3 || !arr.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    invalid('preprocessor_config.json', `${what} must be 3 numbers`);
  }
  return arr as number[];
}

/**
 * The input preprocessing a `preprocessor_config.json` describes, as input-spec fields (`shape` holds the model input
 * size: the crop, or the resize target when nothing is cropped). Unsupported settings are `INVALID_MODEL`.
 *
 * @example
 * ```ts
 * hfInputSpec({ image_processor_type: 'ConvNextImageProcessor', size: { shortest_edge: 224 }, crop_pct: 0.875,
 *   resample: 3, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225] });
 * // resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bicubic', cropRounding: 'floor' }, shape [1, 3, 224, 224]
 * ```
 */
export function hfInputSpec(json: unknown): InputOverrides {
  const F = 'preprocessor_config.json';
  if (!isObj(json)) invalid(F, 'is not a JSON object');
  const type = String(json.image_processor_type ?? json.feature_extractor_type ?? '');
  const resampleCode = json.resample ?? (BICUBIC_DEFAULT.test(type) ? 3 : 2);
  const filter = RESAMPLE[resampleCode as number];
  if (!filter) invalid(F, `resample ${String(json.resample)} is not a PIL resampling filter`);
  const size = sizeDict(json.size, SHORTEST_EDGE_PROCESSORS.test(type), 'size');
  const crop = json.do_center_crop === false ? undefined : sizeDict(json.crop_size, false, 'crop_size');
  const doResize = json.do_resize !== false;
  const cropPct = typeof json.crop_pct === 'number' && json.crop_pct > 0 ? json.crop_pct : /ConvNext/.test(type) ? 224 / 256 : undefined;

  let resize: ResizePolicy;
  let h: number;
  let w: number;
  if (!doResize || !size) invalid(F, 'images of any size need do_resize with a size (the model input is fixed)');
  if (size.shortest_edge && size.longest_edge) {
    // DETR-style aspect-keeping resize into a box; with a fixed-size graph the closest is a letterbox (set by the caller).
    resize = { mode: 'letterbox', filter };
    h = w = size.shortest_edge;
  } else if (size.shortest_edge) {
    const s = size.shortest_edge;
    if (cropPct !== undefined && !(/ConvNext/.test(type) && s >= 384)) {
      // ConvNeXt (and ResNet, which uses its processor): shortest edge to int(s / crop_pct), then an s x s crop.
      resize = { mode: 'shorter-side-crop', shorterSide: Math.trunc(s / cropPct), filter, cropRounding: 'floor' };
      h = w = s;
    } else if (cropPct !== undefined) {
      resize = { mode: 'stretch', filter }; // ConvNeXt at >= 384 warps to s x s without cropping
      h = w = s;
    } else if (crop?.height && crop.width) {
      resize = { mode: 'shorter-side-crop', shorterSide: s, filter, cropRounding: 'floor' };
      h = crop.height;
      w = crop.width;
    } else {
      invalid(F, `shortest_edge ${s} without a crop leaves the input size open; pass input: { shape } and resize`);
    }
  } else if (size.height && size.width) {
    if (crop?.height && crop.width && (crop.height !== size.height || crop.width !== size.width)) {
      invalid(F, `resizing to ${size.height}x${size.width} and cropping to ${crop.height}x${crop.width} is not supported`);
    }
    resize = { mode: 'stretch', filter };
    h = size.height;
    w = size.width;
  } else {
    invalid(F, 'size must have shortest_edge or height and width');
  }

  const rescale = json.do_rescale !== false;
  const factor = typeof json.rescale_factor === 'number' && json.rescale_factor > 0 ? json.rescale_factor : 1 / 255;
  const normalize = json.do_normalize !== false;
  if (normalize && (json.image_mean === undefined || json.image_std === undefined)) {
    invalid(F, 'do_normalize without image_mean and image_std; pass input: { mean, std }');
  }
  // transformers rescales (x * factor) then normalizes; ours is (x / scale - mean) / std. 1 / (1/255) is 255 + 3e-14.
  const inv = 1 / factor;
  const scale = rescale ? (Math.abs(inv - Math.round(inv)) < 1e-9 ? Math.round(inv) : inv) : 1;
  const mean = normalize ? numbers(json.image_mean, 'image_mean') : [0, 0, 0];
  // Letterbox padding that normalizes to 0, as DetrImageProcessor pads after normalizing.
  if (resize.mode === 'letterbox') resize.padValue = mean.map((m) => m * scale);
  return { shape: [1, 3, h, w], channels: 'rgb', resize, scale, mean, std: normalize ? numbers(json.image_std, 'image_std') : [1, 1, 1] };
}
