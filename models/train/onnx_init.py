"""Rebuild trainable detector weights from a shipped fp32 ONNX export (BN folded into the convs).

The checkpoints (.pt) of earlier stages live in the gitignored models/train/out/, so a later session may only have the
committed `models/<id>/model.fp32.onnx`. Its Conv weights are W' = W * gamma / sigma with bias b'; each torch conv
(bias-free, followed by BatchNorm) gets W', and its BatchNorm is set so that it computes x + b' both in eval mode
(exactly) and in train mode (in expectation): running mean m and variance v are the conv output's statistics on
calibration images, weight sqrt(v + eps), bias m + b'. Training then starts from the shipped model's accuracy.

Usage (writes a state_dict usable with train_detector.py --init):
  /usr/bin/python3 models/train/onnx_init.py --onnx models/fmnist-scenes-centernet/model.fp32.onnx --blocks 3,4,6,3 \\
      --out models/train/out/shipped-stage6.pt
The detector's second stage (a state_dict for crop_classifier.py --init; calibrated on crops of the same scenes' objects):
  /usr/bin/python3 models/train/onnx_init.py --arch crop --onnx models/fmnist-scenes-centernet/refine.fp32.onnx \\
      --out models/train/out/shipped-crop.pt
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))


def _bn_after(name):
    """Name of the BatchNorm that follows the conv `name` in CenterNetResNet (None for convs with their own bias)."""
    head, _, last = name.rpartition(".")
    if last in ("conv1", "conv2"):
        return f"{head}.bn{last[-1]}"
    if last == "0" and head.split(".")[-1] in ("down", "stem", "smooth", "head"):
        return f"{head}.1"
    return None


def _initializers(g):
    """Initializers by name, including the Identity aliases torch's exporter uses for duplicated tensors."""
    from onnx import numpy_helper

    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for n in g.node:
        if n.op_type == "Identity" and n.input[0] in inits:
            inits[n.output[0]] = inits[n.input[0]]
    return inits


def load_onnx_weights(model, onnx_path, calib):
    """Copies the ONNX convs into `model` (same architecture) and calibrates its BatchNorms on `calib` [N,1,H,W]."""
    import onnx

    g = onnx.load(onnx_path).graph
    inits = _initializers(g)
    convs = [n for n in g.node if n.op_type == "Conv"]
    mods = dict(model.named_modules())
    order = []
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: order.append(n))
             for n, m in mods.items() if isinstance(m, nn.Conv2d)]
    model.eval()
    with torch.no_grad():
        model(calib[:1])
    for h in hooks:
        h.remove()
    if len(order) != len(convs):
        raise ValueError(f"{onnx_path} has {len(convs)} convs, the model calls {len(order)}: different --blocks?")
    folded = {}
    with torch.no_grad():
        for name, node in zip(order, convs):
            w = torch.from_numpy(inits[node.input[1]].copy())
            b = torch.from_numpy(inits[node.input[2]].copy()) if len(node.input) > 2 else torch.zeros(w.shape[0])
            conv = mods[name]
            if tuple(conv.weight.shape) != tuple(w.shape):
                raise ValueError(f"{name}: shape {tuple(conv.weight.shape)} vs ONNX {tuple(w.shape)}")
            conv.weight.copy_(w)
            bn_name = _bn_after(name)
            if bn_name is None:
                conv.bias.copy_(b)
                continue
            bn = mods[bn_name]
            bn.weight.fill_(1.0)
            bn.bias.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
            folded[bn_name] = (bn, b)
        # Eval mode now computes exactly what the ONNX graph does; record each BN input's statistics.
        stats = {}
        hooks = [bn.register_forward_hook(lambda m, i, o, n=n: stats.__setitem__(
            n, (i[0].mean((0, 2, 3)), i[0].var((0, 2, 3), unbiased=False)))) for n, (bn, _) in folded.items()]
        model(calib)
        for h in hooks:
            h.remove()
        for n, (bn, b) in folded.items():
            m, v = stats[n]
            bn.running_mean.copy_(m)
            bn.running_var.copy_(v)
            bn.weight.copy_(torch.sqrt(v + bn.eps))
            bn.bias.copy_(m + b)
    return model


def load_gemm(linear, onnx_path):
    """Copies the graph's single Gemm (torch's export of the classifier's nn.Linear) into `linear`."""
    import onnx

    g = onnx.load(onnx_path).graph
    inits = _initializers(g)
    (node,) = [n for n in g.node if n.op_type == "Gemm"]
    trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
    w = inits[node.input[1]]
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy((w if trans_b else w.T).copy()))
        linear.bias.copy_(torch.from_numpy(inits[node.input[2]].copy()))


def max_conv_difference(onnx_a, onnx_b):
    """Largest absolute difference between the Conv weights/biases of two exports of the same architecture."""
    import onnx

    def convs(path):
        g = onnx.load(path).graph
        inits = _initializers(g)
        return [[inits[x] for x in n.input[1:]] for n in g.node if n.op_type == "Conv"]

    a, b = convs(onnx_a), convs(onnx_b)
    if len(a) != len(b):
        raise ValueError("different conv counts")
    return max(float(np.abs(x - y).max()) for ca, cb in zip(a, b) for x, y in zip(ca, cb))


def crop_main(args, imgs, labels):
    """The second stage: ResNet-20 on 28x28 crops; checked by re-export and by top-1 on the calibration crops."""
    import tempfile

    import onnx

    from crop_classifier import WIDTHS_KEY, export_onnx
    from crop_data import crop_batch, flatten_objects
    from train_classifier import ResNetCifar

    idx, bx = flatten_objects(labels)
    crops = torch.from_numpy(crop_batch(imgs.astype(np.float32) / 255.0, idx, bx[:, :4])).unsqueeze(1)
    # Stage widths (crop_classifier.py --widths): written in the file's metadata by export_onnx; exports older than
    # that (the first shipped ones) give them as the distinct conv output widths of the graph, in order.
    m = onnx.load(args.onnx)
    meta = {p.key: p.value for p in m.metadata_props}
    if WIDTHS_KEY in meta:
        widths = tuple(int(w) for w in meta[WIDTHS_KEY].split(","))
    else:
        inits = _initializers(m.graph)
        widths = tuple(dict.fromkeys(int(inits[n.input[1]].shape[0]) for n in m.graph.node if n.op_type == "Conv"))
    model = ResNetCifar(depth=20, widths=widths)
    load_onnx_weights(model, args.onnx, crops)
    load_gemm(model.fc, args.onnx)
    model.eval()
    with torch.no_grad():
        top1 = float((model(crops).argmax(1).numpy() == bx[:, 4]).mean())
    with tempfile.TemporaryDirectory() as d:
        export_onnx(model, os.path.join(d, "re.onnx"))
        diff = max_conv_difference(args.onnx, os.path.join(d, "re.onnx"))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    torch.save(model.state_dict(), args.out)
    print(f"wrote {args.out} (widths {widths}); top-1 on {len(bx)} calibration crops {top1:.4f}; max abs conv weight/bias difference "
          f"of its re-export vs {args.onnx}: {diff:.2e}")


def main():
    import tempfile

    import scenes
    from detector_model import CenterNetResNet, export_onnx, to_input

    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="centernet", choices=["centernet", "crop"])
    ap.add_argument("--onnx", default="models/fmnist-scenes-centernet/model.fp32.onnx")
    ap.add_argument("--blocks", default="3,4,6,3")
    ap.add_argument("--out", default="models/train/out/shipped.pt")
    args = ap.parse_args()
    torch.set_num_threads(2)
    imgs, labels = scenes.make_scenes("train", 256, 99)  # the calibration scenes of package-detector.ts
    if args.arch == "crop":
        return crop_main(args, imgs, labels)
    model = CenterNetResNet(blocks=tuple(int(b) for b in args.blocks.split(",")))
    load_onnx_weights(model, args.onnx, to_input(imgs))
    # Check: re-exporting (BN folded again) must give back the same conv weights and biases.
    with tempfile.TemporaryDirectory() as d:
        export_onnx(model, os.path.join(d, "re.onnx"))
        diff = max_conv_difference(args.onnx, os.path.join(d, "re.onnx"))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    torch.save(model.state_dict(), args.out)
    print(f"wrote {args.out}; max abs conv weight/bias difference of its re-export vs {args.onnx}: {diff:.2e}")


if __name__ == "__main__":
    main()
