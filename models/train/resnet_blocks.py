"""ResNet building blocks shared by the classifier and detector training scripts.

Parameter names (conv1, bn1, conv2, bn2, down.0, down.1) are part of the saved state_dicts in
models/train/out; renaming them would break loading the shipped .pt files.
"""
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    """Two 3x3 conv+BN layers with a residual shortcut (He et al. 2015)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            # Projection shortcut (option B) only where shapes change; identity everywhere else.
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = x if self.down is None else self.down(x)
        return F.relu(out + sc)
