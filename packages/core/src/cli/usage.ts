/** Help texts of `resnet-edge` and its commands (printed by `--help`; usage errors point to them). */

export const COMMANDS = ['classify', 'detect', 'quantize', 'pack'] as const;
export type Command = (typeof COMMANDS)[number];

const EXIT_CODES = 'Exit codes: 0 ok, 1 runtime error (a file failed, the model did not load), 2 usage error.';

const MODEL_OPTIONS = `  --model <id|path|url>      built-in id, a model.json, a folder holding one or a Hugging Face model folder, or an
                             http(s):/file: URL of either (https://huggingface.co/<owner>/<name> works too)
  --backend <name>           auto (default) | wasm | webgpu | ort-wasm | ort-webgpu
  --threads <n>              WASM threads, 1 to 16 (default 1)
  --decode <mode>            fast (default: decode at the size the model needs) | exact (full-size decode, like Pillow)
  --model-base-url <dir|url> where built-in ids are looked up (<base>/<id>/model.json)
  --json                     print one JSON document on stdout: results, per-file errors, or the usage error
  -h, --help                 show this help`;

export const TOP_USAGE = `resnet-edge: int8 ResNet image classification, object detection and quantization.

Usage:
  resnet-edge classify <images...> [options]   top labels of each JPEG, PNG or WebP image
  resnet-edge detect <images...> [options]     labelled boxes in each image
  resnet-edge quantize <fp32.onnx> --out <dir> --calib <images> (--preset <name> | --manifest <model.json>) [options]
                                               fp32 ONNX -> int8 model package (model.int8.onnx + model.json)
  resnet-edge pack <model.onnx|folder|url> --out <dir> [options]
                                               ONNX file or Hugging Face folder -> verified model package
  resnet-edge <command> --help                 options of a command
  resnet-edge --version                        version of @resnet-edge/core

${EXIT_CODES}`;

export const CLASSIFY_USAGE = `Usage: resnet-edge classify <images...> [options]

Classifies each JPEG, PNG or WebP image; every file gets its result or its own error.

Options:
  --top-k <n>                labels per image, 1 to 1000 (default 5)
${MODEL_OPTIONS.replace('built-in id,', 'built-in id (default fmnist-resnet20),')}

Example:
  resnet-edge classify shoe.png bag.jpg --top-k 3 --json

${EXIT_CODES}`;

export const DETECT_USAGE = `Usage: resnet-edge detect <images...> [options]

Detects objects in each JPEG, PNG or WebP image; boxes are [xmin, ymin, xmax, ymax] in the image's pixels.

Options:
  --threshold <0..1>         lowest score kept (default: the model's)
${MODEL_OPTIONS.replace('built-in id,', 'built-in id (default fmnist-scenes-centernet),')}

Example:
  resnet-edge detect scene.png --threshold 0.5

${EXIT_CODES}`;

export const QUANTIZE_USAGE = `Usage: resnet-edge quantize <fp32.onnx> --out <dir> --calib <images> (--preset <name> | --manifest <model.json>) [options]

Quantizes an fp32 ONNX model to int8 (QDQ) on calibration data and writes a model package: <dir>/model.int8.onnx and
<dir>/model.json (labels, input spec, size and sha256, quantization details), loadable with --model <dir> or load().

Input preprocessing (required; calibration must see inputs prepared as in training):
  --manifest <model.json>    the fp32 model's manifest: input spec, labels, task, output and detection head
  --preset <name>            imagenet: RGB 224x224, shorter side 256 then center crop, ImageNet mean/std
                             fmnist: grayscale 28x28, stretched, mean 0.286, std 0.353
  --size <n|HxW>             input size (imagenet keeps its 256/224 crop ratio)
  --channels <c>             rgb | bgr | grayscale
  --mean <m[,m,m]>           per-channel mean after x/255 (one value for all channels)
  --std <s[,s,s]>            per-channel std
  --resize <mode>            stretch | shorter-side-crop | letterbox

Package:
  --out <dir>                output folder (created if needed; model.int8.onnx and model.json are overwritten)
  --labels <file>            one label per line, or a JSON array of strings (required without a manifest's labels)
  --id <id>                  model id written to model.json (default: the output folder's name)

Calibration:
  --calib <dir|file>         a folder of JPEG/PNG/WebP images (searched recursively) or an IDX image file (.idx, .gz)
  --method <m>               percentile (default) | minmax | mse | entropy
  --percentile <p>           for --method percentile, 90 to 100 (default 99.99)
  --samples <n>              calibration samples (default 512)
  --batch <n>                batch size for IDX data on dynamic-batch models (default 16)
  --exclude <nodes>          comma-separated node names kept in float
  --json                     print the written model.json (or the error) as JSON
  -h, --help                 show this help

Example:
  resnet-edge quantize resnet18.fp32.onnx --out resnet18-int8/ --calib ./calibration-images/ --preset imagenet --labels labels.txt

${EXIT_CODES}`;

export const PACK_USAGE = `Usage: resnet-edge pack <model.onnx | folder | url> --out <dir> [options]

Turns an ONNX file (with labels and a preprocessing preset) or a Hugging Face model folder (config.json,
preprocessor_config.json, onnx/model*.onnx; a local path or an http(s):/file: URL) into a model package: <dir>/<file>.onnx
and <dir>/model.json with labels, input spec, detection head, size and sha256. The package is loaded back (sha256
checked) and run once before the command succeeds; use it with --model <dir> or load({ model: '<dir>/model.json' }).

Options:
  --out <dir>                output folder (created if needed)
  --labels <file|coco>       one label per line or a JSON array (overrides id2label); coco: the 91 COCO categories
  --preset <name>            imagenet | imagenet-hf | fmnist | torchvision-detection | detr (overrides preprocessor_config.json)
  --dtype <d>                Hugging Face file: int8 | q8 | uint8 | fp32 | fp16 (default: the first present, in that order)
  --size <n|HxW>             input size, when the graph does not fix it
  --channels <c>             rgb | bgr | grayscale
  --mean <m[,m,m]>           per-channel mean after x/255
  --std <s[,s,s]>            per-channel std
  --resize <mode>            stretch | shorter-side-crop | letterbox
  --filter <f>               bilinear | bicubic | lanczos | box | hamming | nearest
  --sha256 <hex>             expected sha256 of the ONNX file (checked before packing)
  --id <id>                  model id written to model.json (default: the source's name)
  --backend <name>           backend for the check run (default auto)
  --json                     print the written model.json and the check as JSON
  -h, --help                 show this help

Examples:
  resnet-edge pack resnet18.onnx --out resnet18/ --labels imagenet-labels.txt --preset imagenet
  resnet-edge pack https://huggingface.co/Xenova/resnet-50 --out resnet-50/ --dtype q8
  resnet-edge pack fasterrcnn.onnx --out frcnn/ --labels coco

${EXIT_CODES}`;

/**
 * The help text of a command, or the top-level one.
 *
 * @example
 * ```ts
 * process.stdout.write(`${usageFor('classify')}\n`);
 * ```
 */
export function usageFor(command: Command | undefined): string {
  if (command === 'classify') return CLASSIFY_USAGE;
  if (command === 'detect') return DETECT_USAGE;
  if (command === 'quantize') return QUANTIZE_USAGE;
  if (command === 'pack') return PACK_USAGE;
  return TOP_USAGE;
}
