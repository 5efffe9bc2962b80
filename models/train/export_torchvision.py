"""Export a torchvision ResNet (random seeded weights, or pretrained if cached) to fp32 ONNX for quantizer tests.

Weights are random but seeded, and BatchNorm running stats are made non-trivial (a few forward passes in
train mode on random data), so BN folding is actually exercised. Nothing is downloaded.

Usage:
  /usr/bin/python3 models/train/export_torchvision.py --arch resnet18 --opset 13 --out models/train/out/resnet18.op13.onnx
  /usr/bin/python3 models/train/export_torchvision.py --arch tiny --opset 13 --out packages/core/test-fixtures/quantize/tiny-op13.onnx
  /usr/bin/python3 models/train/export_torchvision.py --arch tiny-det --opset 13 --out packages/core/test-fixtures/quantize/tiny-det-op13.onnx
  --training  exports with TrainingMode.PRESERVE and no constant folding so BatchNormalization nodes
              stay in the graph (unfused), which the quantizer must fold itself.
"""
import argparse
import sys

import torch
import torch.nn as nn


def tiny(num_classes=10):
    """A 2-block residual net (conv/bn/relu, residual add, maxpool, gap, flatten, linear): small fixture."""

    class Block(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.c1, self.b1 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
            self.c2, self.b2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)

        def forward(self, x):
            y = torch.relu(self.b1(self.c1(x)))
            return torch.relu(self.b2(self.c2(y)) + x)

    class Tiny(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
            self.block = Block(8)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(8, num_classes)

        def forward(self, x):
            return self.fc(torch.flatten(self.pool(self.block(self.stem(x))), 1))

    return Tiny()


def tiny_det(num_classes=3):
    """A tiny CenterNet-style FPN (stride-2 convs, 1x1 laterals, nearest upsample + add, three heads)."""

    def cbr(cin, cout, stride):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

    class TinyDet(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c2, self.c3 = cbr(1, 8, 2), cbr(8, 16, 2), cbr(16, 32, 2)
            self.lat3, self.lat2 = nn.Conv2d(32, 16, 1), nn.Conv2d(16, 16, 1)
            self.head = cbr(16, 16, 1)
            self.heatmap, self.size, self.offset = nn.Conv2d(16, num_classes, 1), nn.Conv2d(16, 2, 1), nn.Conv2d(16, 2, 1)
            nn.init.constant_(self.size.bias, 24.0)

        def forward(self, x):
            c2 = self.c2(self.c1(x))
            c3 = self.c3(c2)
            p = self.lat2(c2) + nn.functional.interpolate(self.lat3(c3), scale_factor=2.0, mode='nearest')
            f = self.head(p)
            return torch.sigmoid(self.heatmap(f)), self.size(f), self.offset(f)

    return TinyDet()


def build(arch):
    if arch == 'tiny':
        return tiny(), 32
    if arch == 'tiny-det':
        return tiny_det(), 48
    try:
        import torchvision.models as tvm
        return getattr(tvm, arch)(num_classes=1000), 224
    except ImportError:
        sys.exit('torchvision is not installed (apt-get install python3-torchvision)')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', default='resnet18', help='tiny | tiny-det | resnet18 | resnet34 | resnet50 | resnet101 | resnet152')
    ap.add_argument('--opset', type=int, default=13)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--size', type=int, default=0, help='input H=W (default 224, tiny 32)')
    ap.add_argument('--training', action='store_true', help='keep BatchNormalization nodes unfused')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()

    torch.manual_seed(a.seed)
    model, size = build(a.arch)
    size = a.size or size
    # Non-trivial BN statistics: update running mean/var on random data, then freeze.
    cin = 1 if a.arch == 'tiny-det' else 3
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, cin, size, size) * 1.5 + 0.2)
    model.eval()
    x = torch.randn(1, cin, size, size)
    outputs = ['heatmap', 'size', 'offset'] if a.arch == 'tiny-det' else ['logits']
    mode = torch.onnx.TrainingMode.PRESERVE if a.training else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(
        model, x, a.out, opset_version=a.opset, input_names=['input'], output_names=outputs,
        dynamic_axes={'input': {0: 'batch'}, **{o: {0: 'batch'} for o in outputs}},
        do_constant_folding=not a.training, training=mode,
    )
    print(f'wrote {a.out} ({a.arch}, opset {a.opset}, {size}x{size}, training={a.training})')


if __name__ == '__main__':
    main()
