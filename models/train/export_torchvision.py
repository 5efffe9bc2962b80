"""Export a torchvision ResNet (random seeded weights, or pretrained if cached) to fp32 ONNX for quantizer tests.

Weights are random but seeded, and BatchNorm running stats are made non-trivial (a few forward passes in
train mode on random data), so BN folding is actually exercised. Nothing is downloaded.

Usage:
  /usr/bin/python3 models/train/export_torchvision.py --arch resnet18 --opset 13 --out models/train/out/resnet18.op13.onnx
  /usr/bin/python3 models/train/export_torchvision.py --arch tiny --opset 13 --out packages/core/test-fixtures/quantize/tiny.onnx
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


def build(arch):
    if arch == 'tiny':
        return tiny(), 32
    try:
        import torchvision.models as tvm
        return getattr(tvm, arch)(num_classes=1000), 224
    except ImportError:
        sys.exit('torchvision is not installed (apt-get install python3-torchvision)')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', default='resnet18', help='tiny | resnet18 | resnet34 | resnet50 | resnet101 | resnet152')
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
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(4, 3, size, size) * 1.5 + 0.2)
    model.eval()
    x = torch.randn(1, 3, size, size)
    mode = torch.onnx.TrainingMode.PRESERVE if a.training else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(
        model, x, a.out, opset_version=a.opset, input_names=['input'], output_names=['logits'],
        dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
        do_constant_folding=not a.training, training=mode,
    )
    print(f'wrote {a.out} ({a.arch}, opset {a.opset}, {size}x{size}, training={a.training})')


if __name__ == '__main__':
    main()
