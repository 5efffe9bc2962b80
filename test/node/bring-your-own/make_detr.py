"""A DETR-ResNet-50 (transformers' DetrForObjectDetection: ResNet-50 backbone from transformers' own ResNet, no timm,
use_pretrained_backbone=False, seeded random weights) as a Hugging Face folder: config.json (id2label from --labels),
preprocessor_config.json (DetrImageProcessor defaults) and onnx/model.onnx exported with a fixed [1,3,S,S] input and the
two outputs DETR pipelines read (logits [1,100,92], pred_boxes [1,100,4]).

  ~/.cache/resnet-edge/venv-hf/bin/python make_detr.py --labels '["N/A", "person", ...]' --size 256 --out DIR
"""
import argparse, json, os
import torch
from transformers import DetrConfig, DetrForObjectDetection, DetrImageProcessor, ResNetConfig

p = argparse.ArgumentParser()
p.add_argument('--labels', required=True, help='class names (index = class id): a JSON list, or a file holding one')
p.add_argument('--size', type=int, default=256)
p.add_argument('--out', required=True)
a = p.parse_args()
labels = json.loads(a.labels) if a.labels.startswith('[') else json.load(open(a.labels))
torch.manual_seed(0)
cfg = DetrConfig(use_timm_backbone=False, use_pretrained_backbone=False, backbone_config=ResNetConfig(out_features=['stage4']),
                 num_labels=len(labels), id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
cfg.architectures = ['DetrForObjectDetection']
model = DetrForObjectDetection(cfg).eval()


class Heads(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        o = self.m(pixel_values=pixel_values)
        return o.logits, o.pred_boxes


os.makedirs(os.path.join(a.out, 'onnx'), exist_ok=True)
cfg.save_pretrained(a.out)
DetrImageProcessor().save_pretrained(a.out)
torch.onnx.export(Heads(model), (torch.rand(1, 3, a.size, a.size),), os.path.join(a.out, 'onnx', 'model.onnx'),
                  input_names=['pixel_values'], output_names=['logits', 'pred_boxes'], opset_version=17, dynamo=False)
print('ok')
