"""A Hugging Face ResNet repository as Transformers.js users get it, built here (no downloads):
transformers' ResNetForImageClassification (small config, seeded random weights) with config.json (id2label) and the
ConvNeXt image processor microsoft/resnet-50 uses (shortest edge 224, crop_pct 0.875, bicubic); ONNX exports under
onnx/: model.onnx (fp32, dynamic batch/height/width like Xenova's exports), model_quantized.onnx and model_uint8.onnx
(onnxruntime quantize_dynamic, uint8 weights: Transformers.js' q8/uint8), model_int8.onnx (static QDQ, int8 weights
per channel, uint8 activations, calibrated on random images). Also a few PNGs and transformers' own pixel_values for
them (the PIL image-processor backend; torchvision is not installed), for the preprocessing parity test.

Run with the venv scripts/test.sh creates (~/.cache/resnet-edge/venv-hf: torch, transformers, onnx, onnxruntime):
  python make_hf_resnet.py --out DIR
"""
import argparse, json, os
import numpy as np
import torch
from PIL import Image
from transformers import ConvNextImageProcessor, ResNetConfig, ResNetForImageClassification

p = argparse.ArgumentParser()
p.add_argument('--out', required=True)
args = p.parse_args()
out = args.out
os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)

torch.manual_seed(0)
labels = ['tench', 'goldfish', 'great white shark', 'tiger shark', 'hammerhead', 'electric ray', 'stingray', 'cock', 'hen', 'ostrich']
cfg = ResNetConfig(embedding_size=16, hidden_sizes=[16, 32, 64, 128], depths=[1, 1, 1, 1], layer_type='basic',
                   id2label={i: l for i, l in enumerate(labels)}, label2id={l: i for i, l in enumerate(labels)})
model = ResNetForImageClassification(cfg).eval()
# Non-trivial BatchNorm statistics so folding and quantization see realistic ranges.
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
model.config.architectures = ['ResNetForImageClassification']
model.config.save_pretrained(out)
proc = ConvNextImageProcessor(size={'shortest_edge': 224}, crop_pct=0.875, resample=3, do_normalize=True,
                              image_mean=[0.485, 0.456, 0.406], image_std=[0.229, 0.224, 0.225])
proc.save_pretrained(out)


class Logits(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        return self.m(pixel_values=pixel_values).logits


fp32 = os.path.join(out, 'onnx', 'model.onnx')
torch.onnx.export(Logits(model), (torch.rand(1, 3, 224, 224),), fp32, input_names=['pixel_values'], output_names=['logits'],
                  opset_version=17, dynamo=False,
                  dynamic_axes={'pixel_values': {0: 'batch_size', 2: 'height', 3: 'width'}, 'logits': {0: 'batch_size'}})

from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

quantize_dynamic(fp32, os.path.join(out, 'onnx', 'model_quantized.onnx'), weight_type=QuantType.QUInt8)
quantize_dynamic(fp32, os.path.join(out, 'onnx', 'model_uint8.onnx'), weight_type=QuantType.QUInt8)


class Calib(CalibrationDataReader):
    def __init__(self):
        rng = np.random.default_rng(1)
        self.batches = iter([{'pixel_values': rng.normal(0, 1, (1, 3, 224, 224)).astype(np.float32)} for _ in range(8)])

    def get_next(self):
        return next(self.batches, None)


pre = os.path.join(out, 'model.pre.onnx')
quant_pre_process(fp32, pre, skip_symbolic_shape=True)
quantize_static(pre, os.path.join(out, 'onnx', 'model_int8.onnx'), Calib(), quant_format=QuantFormat.QDQ,
                weight_type=QuantType.QInt8, activation_type=QuantType.QUInt8, per_channel=True)
os.remove(pre)

# Images with odd sizes and their pixel_values. 344x290 resizes to 303x256: a crop margin of 79, where transformers'
# floor (39) and torchvision's round-half-even (40) differ.
rng = np.random.default_rng(2)
os.makedirs(os.path.join(out, 'images'), exist_ok=True)
parity = []
for i, (w, h) in enumerate([(344, 290), (257, 411), (640, 480)]):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([(xx * 255 // w), (yy * 255 // h), rng.integers(0, 256, (h, w))], -1).astype(np.uint8)
    img[h // 3: h // 2, w // 4: w // 2] = [250, 20, 20]
    name = f'img{i}-{w}x{h}.png'
    Image.fromarray(img).save(os.path.join(out, 'images', name))
    pv = proc(Image.open(os.path.join(out, 'images', name)), return_tensors='np')['pixel_values'].astype(np.float32)
    pv.tofile(os.path.join(out, 'images', name + '.pixel_values.f32'))
    parity.append({'image': name, 'shape': list(pv.shape), 'processor': type(proc).__name__})
json.dump({'parity': parity, 'labels': labels}, open(os.path.join(out, 'images', 'parity.json'), 'w'), indent=1)
print('ok', out)
