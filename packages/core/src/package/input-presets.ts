/**
 * Named input preprocessing for models loaded without a manifest (`load({ model: 'x.onnx', preprocess: 'imagenet' })`).
 * The graph gives the input name and, when static, its size; a preset gives the rest. There is no silent default for
 * classifiers: calibrating or running on the wrong normalization ruins accuracy without any error.
 */
import { ModelLoadError } from '../errors.js';
import type { InputSpec } from './manifest-types.js';

/** Names accepted by `preprocess` / `--preset`. */
export const INPUT_PRESET_NAMES = ['imagenet', 'imagenet-hf', 'fmnist', 'torchvision-detection', 'detr'] as const;

/** One of {@link INPUT_PRESET_NAMES}. */
export type InputPresetName = (typeof INPUT_PRESET_NAMES)[number];

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/** The preset specs; `name` is replaced by the graph's input name. */
const PRESETS: Readonly<Record<InputPresetName, InputSpec>> = {
  /** torchvision ImageNet classifiers: Resize(256) bilinear + CenterCrop(224), ImageNet mean/std. */
  imagenet: {
    name: 'input',
    shape: [1, 3, 224, 224],
    layout: 'NCHW',
    channels: 'rgb',
    resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' },
    scale: 255,
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  },
  /** Hugging Face ResNet/ConvNeXt image processor: shortest edge 256 bicubic, 224 crop at floor((256 - 224) / 2). */
  'imagenet-hf': {
    name: 'input',
    shape: [1, 3, 224, 224],
    layout: 'NCHW',
    channels: 'rgb',
    resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bicubic', cropRounding: 'floor' },
    scale: 255,
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  },
  /** Fashion-MNIST as `models/train` trains it: grayscale 28x28, stretched, dataset mean/std. */
  fmnist: {
    name: 'input',
    shape: [1, 1, 28, 28],
    layout: 'NCHW',
    channels: 'grayscale',
    resize: { mode: 'stretch', filter: 'bilinear' },
    scale: 255,
    mean: [0.286],
    std: [0.353],
  },
  /**
   * torchvision detection models (Faster R-CNN, RetinaNet, ...): RGB in 0..1, letterboxed with black; the graph
   * normalizes and resizes internally. The size is the graph's when static.
   */
  'torchvision-detection': {
    name: 'input',
    shape: [1, 3, 640, 640],
    layout: 'NCHW',
    channels: 'rgb',
    resize: { mode: 'letterbox', filter: 'bilinear', padValue: 0 },
    scale: 255,
    mean: [0, 0, 0],
    std: [1, 1, 1],
  },
  /**
   * DETR: ImageNet mean/std, letterboxed with the mean colour (0 after normalization, what DetrImageProcessor pads
   * with); boxes are relative to the padded input and mapped back through the letterbox.
   */
  detr: {
    name: 'input',
    shape: [1, 3, 800, 800],
    layout: 'NCHW',
    channels: 'rgb',
    resize: { mode: 'letterbox', filter: 'bilinear', padValue: IMAGENET_MEAN.map((m) => m * 255) },
    scale: 255,
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  },
};

/**
 * A copy of a preset's input spec; an unknown name is `INVALID_ARGUMENT` listing the known ones.
 *
 * @example
 * ```ts
 * inputPreset('imagenet').resize; // { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' }
 * ```
 */
export function inputPreset(name: string): InputSpec {
  if (!(INPUT_PRESET_NAMES as readonly string[]).includes(name)) {
    throw new ModelLoadError('INVALID_ARGUMENT', `Unknown preprocess preset "${name}". Use one of ${INPUT_PRESET_NAMES.join(', ')}, or pass input: { ... }.`, {
      details: { preset: name, known: [...INPUT_PRESET_NAMES] },
    });
  }
  return structuredClone(PRESETS[name as InputPresetName]);
}
