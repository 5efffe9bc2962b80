/** Types of the model package manifest (`models/<id>/model.json`). See manifest.ts for the validator. */

export type ModelTask = 'classification' | 'detection';

/** How the source image is brought to the model's input size. */
export interface ResizePolicy {
  /**
   * - `stretch`: resize to exactly width x height (aspect ratio not kept).
   * - `shorter-side-crop`: resize so the shorter side is `shorterSide`, then center-crop width x height (ImageNet).
   * - `letterbox`: fit inside width x height keeping aspect ratio, pad the rest with `padValue` (detection).
   */
  mode: 'stretch' | 'shorter-side-crop' | 'letterbox';
  /** Shorter side before the center crop (only for `shorter-side-crop`). */
  shorterSide?: number;
  /** Resampling filter. `bilinear` is antialiased (area-averaging) when downscaling. */
  filter: 'bilinear' | 'nearest';
  /** 0..255 padding value for `letterbox`, per channel or one for all. */
  padValue?: number | number[];
}

export interface InputSpec {
  /** Graph input name. */
  name: string;
  /** NCHW; N may be -1 (dynamic batch). */
  shape: [number, number, number, number];
  layout: 'NCHW';
  /** Channel order the model expects; `grayscale` uses ITU-R BT.601 luma. */
  channels: 'rgb' | 'bgr' | 'grayscale';
  resize: ResizePolicy;
  /** Pixel values are divided by this before mean/std (usually 255). */
  scale: number;
  /** Per-channel mean and std, applied after `scale`: (x/scale - mean)/std. */
  mean: number[];
  std: number[];
}

/** Detection head formats understood by the decoder. */
export type DetectionHead =
  | {
      /** Anchor-free CenterNet: heatmap [N,C,h,w] (sigmoid applied or not), size [N,2,h,w] (w,h in input px), offset [N,2,h,w]. */
      format: 'centernet';
      heatmap: string;
      size: string;
      offset: string;
      /** Output stride in input pixels. */
      stride: number;
      /** True when the heatmap output is already passed through sigmoid. */
      sigmoid: boolean;
    }
  | {
      /** Generic: boxes [N,K,4] and scores [N,K,C] (or [N,K] with classes [N,K]). */
      format: 'boxes-scores';
      boxes: string;
      scores: string;
      classes?: string;
      /** Box encoding in input pixels (or 0..1 when `normalized`). */
      boxFormat: 'xyxy' | 'xywh' | 'cxcywh';
      normalized: boolean;
    };

/**
 * Non-maximum suppression across classes (`class-agnostic`: one box per object, the best-scoring class wins) or only
 * within each class (`per-class`: overlapping boxes of different classes all survive).
 */
export type NmsMode = 'class-agnostic' | 'per-class';

export interface DetectionSpec {
  head: DetectionHead;
  /** Defaults for detect(); callers may override. */
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
  /** Default NMS mode (`per-class` when absent, as manifests before it was added were decoded). */
  nms?: NmsMode;
}

export interface QuantizationInfo {
  /** `qdq` (QuantizeLinear/DequantizeLinear pairs), `qoperator` (QLinearConv...) or `none` (fp32). */
  format: 'qdq' | 'qoperator' | 'none';
  weights?: string;
  activations?: string;
  calibration?: { method: string; samples: number; percentile?: number };
}

export interface ManifestFile {
  /** Path relative to the manifest. */
  path: string;
  /** `model` is the ONNX graph; `part` entries are concatenated in order when a model is split. */
  role: 'model' | 'model-fp32' | 'part' | 'other';
  bytes: number;
  sha256: string;
}

export interface ModelManifest {
  schemaVersion: 1;
  id: string;
  name?: string;
  description?: string;
  task: ModelTask;
  labels: string[];
  input: InputSpec;
  /** Graph output for classification logits (or probabilities when `outputIsProbability`). */
  output?: { name: string; kind: 'logits' | 'probabilities' };
  detection?: DetectionSpec;
  quantization: QuantizationInfo;
  files: ManifestFile[];
  provenance?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  license?: string;
}
