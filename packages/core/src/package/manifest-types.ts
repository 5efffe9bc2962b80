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
  /**
   * Resampling filter, as Pillow's `Image.resize` (bit-exact on 8-bit data). Every filter but `nearest` widens with the
   * downscale factor (antialiased). `bicubic` is what Hugging Face ResNet/ConvNeXt image processors use (`resample: 3`).
   */
  filter: 'bilinear' | 'nearest' | 'bicubic' | 'lanczos' | 'box' | 'hamming';
  /**
   * How `shorter-side-crop` places the center crop when the margin is odd: `half-even` (default) is torchvision's
   * `CenterCrop` (`round((resized - crop) / 2)`), `floor` is Hugging Face transformers' (`(resized - crop) // 2`).
   */
  cropRounding?: 'half-even' | 'floor';
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
    }
  | {
      /**
       * torchvision detection exports (Faster R-CNN, RetinaNet, FCOS, SSD): boxes [K,4] xyxy in input pixels, labels
       * [K] (class index into `labels`, COCO category ids for torchvision's COCO models), scores [K]; NMS already done
       * in the graph. The graph's image input is rank 3 ([C,H,W], values 0..1; the graph normalizes and resizes).
       */
      format: 'torchvision';
      boxes: string;
      labels: string;
      scores: string;
    }
  | {
      /**
       * DETR (`DetrForObjectDetection` exports): logits [N,Q,C+1] whose last class is "no object", pred_boxes [N,Q,4]
       * normalized cx,cy,w,h of the model input. Score = softmax probability of the best real class, as transformers'
       * `post_process_object_detection`.
       */
      format: 'detr';
      logits: string;
      boxes: string;
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
  /** A second-stage classifier that re-labels each detected box from a crop (two-stage detection). */
  refine?: RefineSpec;
}

/**
 * Second stage of a two-stage detector: a classifier (the package's `role: "refine"` file) that sees a crop of the
 * detector's input around each box and replaces its label; the score becomes detector confidence x class probability.
 * The crop: a square of side `max(w, h, minSide) * context` centred on the box, resampled to `size` x `size`
 * (2 x 2 bilinear samples per pixel, edges clamped), standardised per crop as `(v - mean) / (std + eps)`.
 */
export interface RefineSpec {
  /** The classifier's input name; it takes `[K, C, size, size]` float crops (C = the detector input's channels). */
  input: string;
  /** The classifier's logits output, `[K, labels.length]`. */
  output: string;
  size: number;
  context: number;
  minSide: number;
  eps: number;
  /**
   * How much the detector's own class confidences count (exponent `a`; 0 or absent: the classifier alone): the class
   * probabilities become `p_j * (h_j / sum h)^a`, renormalised, `h` the detector's per-class scores at the box.
   */
  detectorWeight?: number;
}

export interface QuantizationInfo {
  /**
   * `qdq` (QuantizeLinear/DequantizeLinear pairs), `qoperator` (QLinearConv...), `dynamic` (DynamicQuantizeLinear +
   * ConvInteger/MatMulInteger, onnxruntime's `quantize_dynamic`, Transformers.js' q8/int8/uint8 files) or `none` (float).
   */
  format: 'qdq' | 'qoperator' | 'dynamic' | 'none';
  weights?: string;
  activations?: string;
  calibration?: { method: string; samples: number; percentile?: number };
}

export interface ManifestFile {
  /** Path relative to the manifest. */
  path: string;
  /**
   * `model` is the ONNX graph; `part` entries are concatenated in order when a model is split; `refine` is the
   * second-stage classifier of `detection.refine`; `model-fp32` / `refine-fp32` are float references (not loaded). A package's bytes, as `{ manifest, bytes }` and the built-in modules
   * carry them, are the model's (or its parts') followed by the `refine` file's.
   */
  role: 'model' | 'model-fp32' | 'part' | 'refine' | 'refine-fp32' | 'other';
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
