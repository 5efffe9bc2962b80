"""The detector network (ResNet-style backbone + CenterNet head), its ONNX export and torch-side scoring.

Architecture (input 1x96x96, x/255; blocks per stage from --blocks: 2,2,2,2 ResNet-18-style, 3,4,6,3 ResNet-34-style,
the shipped model):
  stem   conv3x3/2 16 -> 48x48
  layer1 basic blocks  16 ch, 48x48      (identity shortcuts)
  layer2 basic blocks  32 ch, 24x24      (first block: 1x1/2 projection shortcut, then identity)
  layer3 basic blocks  64 ch, 12x12
  layer4 basic blocks 128 ch,  6x6
  neck   FPN-style top-down: 1x1 lateral convs + Resize(nearest, x2) + Add, back to 24x24 (stride 4)
  head   shared conv3x3 64 + ReLU, then 1x1 convs:
         heatmap [N,10,24,24] (Sigmoid), size [N,2,24,24] (w,h in input px), offset [N,2,24,24]
Ops in the exported graph: Conv (BN folded), Relu, Add, Resize(nearest), Sigmoid.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import detector_eval
import scenes
from detector_data import NUM_CLASSES, STRIDE
from resnet_blocks import BasicBlock


def _conv_bn_relu(cin, cout, k, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class CenterNetResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64, 128), neck=64, num_classes=NUM_CLASSES, blocks=(2, 2, 2, 2)):
        super().__init__()
        self.stem = _conv_bn_relu(1, widths[0], 3, 2)
        stages, cin = [], widths[0]
        for i, (w, n) in enumerate(zip(widths, blocks)):
            stages.append(nn.Sequential(BasicBlock(cin, w, 1 if i == 0 else 2),
                                        *[BasicBlock(w, w, 1) for _ in range(n - 1)]))
            cin = w
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.lat4 = nn.Conv2d(widths[3], neck, 1)
        self.lat3 = nn.Conv2d(widths[2], neck, 1)
        self.lat2 = nn.Conv2d(widths[1], neck, 1)
        self.smooth = _conv_bn_relu(neck, neck, 3)
        self.head = _conv_bn_relu(neck, neck, 3)
        self.heatmap = nn.Conv2d(neck, num_classes, 1)
        self.size = nn.Conv2d(neck, 2, 1)
        self.offset = nn.Conv2d(neck, 2, 1)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)
        nn.init.normal_(self.heatmap.weight, std=0.01)
        nn.init.constant_(self.heatmap.bias, -2.19)  # prior 0.1, as in CenterNet
        nn.init.normal_(self.size.weight, std=0.01)
        nn.init.constant_(self.size.bias, 24.0)  # typical object side, px
        nn.init.normal_(self.offset.weight, std=0.01)
        nn.init.constant_(self.offset.bias, 0.5)

    def features(self, x):
        c2 = self.layer2(self.layer1(self.stem(x)))
        c3 = self.layer3(c2)
        c4 = self.layer4(c3)
        p = self.lat3(c3) + F.interpolate(self.lat4(c4), scale_factor=2.0, mode="nearest")
        p = self.lat2(c2) + F.interpolate(p, scale_factor=2.0, mode="nearest")
        return self.head(self.smooth(p))

    def forward(self, x):
        f = self.features(x)
        return torch.sigmoid(self.heatmap(f)), self.size(f), self.offset(f)

    def forward_logits(self, x):
        f = self.features(x)
        return self.heatmap(f), self.size(f), self.offset(f)


def load_grown(model, state):
    """Load weights of a model with fewer blocks per stage (--init from a shallower run).

    Blocks missing from `state` keep their init, whose last BN scale is zero: such a block adds 0 to its identity
    shortcut and its input is already ReLU'd, so the grown model computes exactly what the smaller one did (in eval
    mode) and training starts from the smaller model's accuracy with extra capacity in the stages.
    """
    res = model.load_state_dict(state, strict=False)
    if res.unexpected_keys:
        raise ValueError(f"--init has weights this model lacks: {res.unexpected_keys[:4]}")
    grown = sorted({".".join(k.split(".")[:2]) for k in res.missing_keys})
    if any(not k.startswith("layer") for k in grown):
        raise ValueError(f"--init lacks non-block weights: {grown}")
    return grown


def to_input(u8):
    return torch.from_numpy(u8.astype(np.float32) / 255.0).unsqueeze(1)


def predict(model, imgs, bs=100, score_threshold=0.05, agnostic=False):
    model.eval()
    preds = []
    with torch.no_grad():
        for i in range(0, len(imgs), bs):
            hm, sz, off = model(to_input(imgs[i:i + bs]))
            for j in range(hm.shape[0]):
                d = detector_eval.decode_centernet(hm[j].numpy(), sz[j].numpy(), off[j].numpy(), STRIDE,
                                                   score_threshold=score_threshold)
                preds.append(detector_eval.nms(d, 0.5, agnostic=agnostic))
    return preds


def scores(model, sets):
    """Per evaluation set: class-aware and class-agnostic mAP@0.5, and what a user sees at threshold 0.3 (agnostic)."""
    out = {}
    for name, (imgs, gts) in sets.items():
        aware = detector_eval.evaluate(predict(model, imgs), gts)
        agn_preds = predict(model, imgs, agnostic=True)
        agn = detector_eval.evaluate(agn_preds, gts)
        c = detector_eval.counts_at(agn_preds, gts, 0.3)
        out[name] = {"map50": round(aware["map50"], 4), "agnostic_map50": round(agn["map50"], 4),
                     "agnostic_map50_95": round(agn["map50_95"], 4), **{k: round(v, 4) for k, v in c.items()}}
    return out


def export_onnx(model, path):
    model = model.to(memory_format=torch.contiguous_format).eval()
    dummy = torch.zeros(1, 1, scenes.SIZE, scenes.SIZE)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["heatmap", "size", "offset"],
                      dynamic_axes={k: {0: "N"} for k in ("input", "heatmap", "size", "offset")},
                      opset_version=13, do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return sorted({n.op_type for n in m.graph.node})
