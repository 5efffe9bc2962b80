"""Second stage of the default detector: a ResNet-20 that re-labels each detected box from a crop of the scene.

Why: the CenterNet detector finds objects almost perfectly (relabelling its boxes with the true class gives mAP@0.5
0.99 on the fresh set) but confuses the upper-body garment classes (Shirt AP 0.48) because its class head sees each
item at stride 4 with 16-64 channels. A classifier at the item's own resolution (28x28, the Fashion-MNIST size) is
the classic two-stage fix (R-CNN's second stage).

The crop (mirrored exactly by packages/core/src/tasks/refine-crops.ts; keep both in sync):
  - input: the detector's model input, values x/255, H x W; box (x0, y0, x1, y1) in its pixels;
  - a square window centred on the box, side s = max(w, h, MIN_SIDE) * CONTEXT;
  - R x R output; output pixel (i, j) averages 2 x 2 bilinear samples at source coordinates
    cx - s/2 + (j + 0.25 + 0.5*a) * s/R - 0.5 (a = 0, 1; same for y), edge-clamped;
  - then standardised per crop: (v - mean) / (std + EPS), so background level and item contrast do not matter.

Usage (the shipped model):
  /usr/bin/python3 models/train/crop_classifier.py --scenes 30000 --epochs 6 --out models/train/out/crop1
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import fmnist  # noqa: E402
import scenes  # noqa: E402
from train_classifier import ResNetCifar  # noqa: E402

R = 28
CONTEXT = 1.2
MIN_SIDE = 4.0
EPS = 0.02
TRAIN_SEED = 7001


def crop_batch(imgs, img_idx, boxes, r=R, context=CONTEXT):
    """imgs float32 [M,H,W] (x/255); img_idx int [N]; boxes float [N,4] -> standardised crops float32 [N,r,r]."""
    n = len(boxes)
    h, w = imgs.shape[1:]
    x0, y0, x1, y1 = (boxes[:, k].astype(np.float64) for k in range(4))
    side = np.maximum(np.maximum(x1 - x0, y1 - y0), MIN_SIDE) * context
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    step = side / r
    out = np.zeros((n, r, r), np.float64)
    base = np.arange(r, dtype=np.float64)
    for ay in (0.25, 0.75):
        for ax in (0.25, 0.75):
            sy = cy[:, None] - side[:, None] / 2 + (base[None, :] + ay) * step[:, None] - 0.5  # [N,r]
            sx = cx[:, None] - side[:, None] / 2 + (base[None, :] + ax) * step[:, None] - 0.5
            sy = np.clip(sy, 0, h - 1)
            sx = np.clip(sx, 0, w - 1)
            iy0 = np.floor(sy).astype(np.int64)
            ix0 = np.floor(sx).astype(np.int64)
            fy, fx = sy - iy0, sx - ix0
            iy1, ix1 = np.minimum(iy0 + 1, h - 1), np.minimum(ix0 + 1, w - 1)
            im = img_idx[:, None, None]
            a = imgs[im, iy0[:, :, None], ix0[:, None, :]]
            b = imgs[im, iy0[:, :, None], ix1[:, None, :]]
            c = imgs[im, iy1[:, :, None], ix0[:, None, :]]
            d = imgs[im, iy1[:, :, None], ix1[:, None, :]]
            fxx, fyy = fx[:, None, :], fy[:, :, None]
            top = a + (b - a) * fxx
            bot = c + (d - c) * fxx
            out += top + (bot - top) * fyy
    out *= 0.25
    mean = out.mean(axis=(1, 2), keepdims=True)
    std = out.std(axis=(1, 2), keepdims=True)
    return ((out - mean) / (std + EPS)).astype(np.float32)


def make_pool(count, seed, default_frac=0.0):
    """Training scenes with the detector's augmentation (random style per scene; a `default_frac` share in the
    generator's default style, the fresh sets' distribution); returns imgs u8, img_idx, boxes."""
    rng = np.random.default_rng(seed)
    imgs = np.empty((count, scenes.SIZE, scenes.SIZE), np.uint8)
    idx, bxs = [], []
    for i in range(count):
        style = scenes.random_style(rng)
        imgs[i], b = scenes.make_scene("train", seed, i, style=None if rng.random() < default_frac else style)
        idx += [i] * len(b)
        bxs.append(b)
    return imgs, np.array(idx, np.int64), np.concatenate(bxs).astype(np.float32)


def jitter(boxes, rng, amount):
    """Each edge moved by N(0, amount * side): the detector's boxes are close to, not exactly, the true ones."""
    w = (boxes[:, 2] - boxes[:, 0])[:, None]
    h = (boxes[:, 3] - boxes[:, 1])[:, None]
    noise = rng.normal(0, amount, size=(len(boxes), 4)) * np.concatenate([w, h, w, h], 1)
    out = boxes[:, :4] + noise
    out[:, 2] = np.maximum(out[:, 2], out[:, 0] + 2)
    out[:, 3] = np.maximum(out[:, 3], out[:, 1] + 2)
    return out


def flatten_objects(per_scene):
    """Per-scene box lists [[x0, y0, x1, y1, class], ...] -> scene index per object int [N], boxes float [N,5]."""
    idx = np.array([i for i, sc in enumerate(per_scene) for _ in sc], np.int64)
    bx = np.array([b for sc in per_scene for b in sc], np.float32).reshape(-1, 5)
    return idx, bx


def load_set(prefix):
    meta = json.load(open(prefix + ".json"))
    import gzip
    raw = np.frombuffer(gzip.open(prefix + ".u8.gz").read(), np.uint8)
    imgs = raw.reshape(meta["count"], meta["height"], meta["width"])
    return (imgs, *flatten_objects(meta["scenes"]))


def export_onnx(model, path):
    """The SDK's refine model: input [N,1,R,R] standardised crops -> logits [N,10] (contiguous, eval, on the CPU)."""
    model = model.to("cpu", memory_format=torch.contiguous_format).eval()
    torch.onnx.export(model, torch.zeros(1, 1, R, R), path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                      do_constant_folding=True)


def evaluate(model, crops, labels, bs=1000, device="cpu"):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(crops), bs):
            xb = torch.from_numpy(crops[i:i + bs]).unsqueeze(1).to(device)
            correct += (model(xb).argmax(1).cpu().numpy() == labels[i:i + bs]).sum()
    return float(correct) / len(crops)


def write_fixture(path, scene_set="packages/core/test-fixtures/detection/fresh-200"):
    """Crops of scene 0 of a committed set (its true boxes, one past the image edge, one below MIN_SIDE): the TS
    crop (packages/core/src/tasks/refine.test.ts) must match these."""
    imgs, idx, bx = load_set(scene_set)
    boxes = [b[:4].tolist() for b, i in zip(bx, idx) if i == 0][:3] + [[80.5, -6.0, 101.0, 20.25], [40.0, 40.0, 41.5, 42.0]]
    crops = crop_batch(imgs[:1].astype(np.float32) / 255.0, np.zeros(len(boxes), np.int64), np.array(boxes, np.float64))
    json.dump({"source": scene_set + " scene 0, x/255", "r": R, "context": CONTEXT, "minSide": MIN_SIDE, "eps": EPS,
               "boxes": boxes, "crops": [[round(float(v), 5) for v in c.ravel()] for c in crops],
               "command": "/usr/bin/python3 models/train/crop_classifier.py --fixture " + path},
              open(path, "w"), separators=(",", ":"))


def load_weights(path):
    """A crop classifier checkpoint of any --widths (read from the first conv of each stage), in eval mode."""
    state = torch.load(path, map_location="cpu")
    # depth 20: three blocks per stage; the first block of stage k is layers.{3k}
    widths = tuple(state[f"layers.{3 * k}.conv1.weight"].shape[0] for k in range(3))
    model = ResNetCifar(depth=20, widths=widths)
    model.load_state_dict(state)
    return model.eval()


def clean_t10k_crops():
    """Every t10k item alone on a black canvas, cropped around its tight box like a detected one: the crops'
    best case (no clutter, no overlap, native scale), to separate the classifier's limit from the scenes'."""
    x, y = fmnist.load("t10k")
    canvas = np.zeros((len(x), 44, 44), np.float32)
    canvas[:, 8:36, 8:36] = x / 255.0
    boxes = []
    for im in x:
        ys, xs = np.nonzero(im > scenes.VISIBLE)  # the scenes' ground-truth rule for an item's tight box
        boxes.append([xs.min() + 8, ys.min() + 8, xs.max() + 9, ys.max() + 9])
    return crop_batch(canvas, np.arange(len(x)), np.array(boxes, np.float64)), y.astype(np.int64)


def softmax_batched(model, x, bs=1000):
    with torch.no_grad():
        return torch.cat([torch.softmax(model(x[i:i + bs]), 1) for i in range(0, len(x), bs)])


def diagnose(paths, sets, threads):
    """Top-1 of each checkpoint, their softmax ensemble and ensemble + flip on the true-box crops of each set and
    on clean t10k items (figures quoted in models/train/README-detector.md)."""
    torch.set_num_threads(threads)
    models = [load_weights(p) for p in paths]
    named = []
    for path in sets:
        imgs, idx, bx = load_set(path)
        named.append((os.path.basename(path), crop_batch(imgs.astype(np.float32) / 255.0, idx, bx[:, :4]),
                      bx[:, 4].astype(np.int64)))
    named.append(("clean-t10k", *clean_t10k_crops()))
    for name, crops, labels in named:
        xb = torch.from_numpy(crops).unsqueeze(1)
        probs = [softmax_batched(m, xb) for m in models]
        flips = [softmax_batched(m, xb.flip(3)) for m in models]
        top1 = lambda p: round(float((p.argmax(1).numpy() == labels).mean()), 4)  # noqa: E731
        print(json.dumps({"set": name, "crops": len(labels), "top1": [top1(p) for p in probs],
                          "ensemble": top1(sum(probs)), "ensemble_flip": top1(sum(probs) + sum(flips))}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixture", help="only write the crop test fixture to this path")
    ap.add_argument("--evaluate", help="only report top-1 of these checkpoints (comma-separated) on --eval-sets")
    ap.add_argument("--eval-sets", default="models/train/out/sets/val-500,models/train/out/sets/fresh-500,"
                    "models/train/out/sets/bright-500")
    ap.add_argument("--scenes", type=int, default=24000)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--jitter", type=float, default=0.06)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val", default="models/train/out/sets/val-500")
    ap.add_argument("--init", help="start from these weights (a second cycle: pass a new --pool-seed for fresh scenes)")
    ap.add_argument("--pool-seed", type=int, default=TRAIN_SEED)
    ap.add_argument("--default-frac", type=float, default=0.0, help="share of pool scenes in the default style")
    ap.add_argument("--widths", default="16,32,64", help="channels of the three stages (wider: more accuracy, more MACs)")
    ap.add_argument("--device", default="cpu", help="torch device, e.g. cuda on a lent GPU (crops are built on the CPU)")
    ap.add_argument("--out", default="models/train/out/crop1")
    args = ap.parse_args()
    if args.fixture:
        return write_fixture(args.fixture)
    if args.evaluate:
        return diagnose(args.evaluate.split(","), args.eval_sets.split(","), args.threads)
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.pool_seed + 1)
    os.makedirs(args.out, exist_ok=True)

    t0 = time.time()
    imgs, idx, bx = make_pool(args.scenes, args.pool_seed, args.default_frac)
    imgs_f = imgs.astype(np.float32) / 255.0
    labels = bx[:, 4].astype(np.int64)
    print(f"pool: {args.scenes} scenes, {len(bx)} items, {time.time() - t0:.0f}s", flush=True)
    v_imgs, v_idx, v_bx = load_set(args.val)
    v_crops = crop_batch(v_imgs.astype(np.float32) / 255.0, v_idx, v_bx[:, :4])
    v_labels = v_bx[:, 4].astype(np.int64)

    model = ResNetCifar(depth=20, widths=tuple(int(w) for w in args.widths.split(",")))
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu"))
    model = model.to(args.device, memory_format=torch.channels_last)  # ~1.4x faster steps on CPU
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}],
                          lr=args.lr, momentum=0.9, nesterov=True)
    per_epoch = (len(bx) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * per_epoch,
                                                pct_start=0.15)
    log = []
    for epoch in range(args.epochs):
        model.train()
        perm = rng.permutation(len(bx))
        tot = 0.0
        for i in range(0, len(bx), args.batch):
            sel = perm[i:i + args.batch]
            crops = crop_batch(imgs_f, idx[sel], jitter(bx[sel], rng, args.jitter))
            xb = torch.from_numpy(crops).unsqueeze(1)
            flip = torch.from_numpy(rng.random(len(sel)) < 0.5)
            xb[flip] = xb[flip].flip(3)
            xb = xb.to(args.device).contiguous(memory_format=torch.channels_last)
            yb = torch.from_numpy(labels[sel]).to(args.device)
            loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(sel)
        acc = evaluate(model, v_crops, v_labels, device=args.device)
        log.append({"epoch": epoch + 1, "loss": tot / len(bx), "val_top1": acc, "elapsed_s": round(time.time() - t0)})
        print(json.dumps(log[-1]), flush=True)
        torch.save(model.state_dict(), os.path.join(args.out, "crop-classifier.pt"))

    onnx_path = os.path.join(args.out, "crop-classifier.fp32.onnx")
    export_onnx(model, onnx_path)
    meta = {"model": "crop-classifier", "r": R, "context": CONTEXT, "min_side": MIN_SIDE, "eps": EPS,
            "widths": args.widths, "scenes": args.scenes, "train_seed": args.pool_seed, "init": args.init, "default_frac": args.default_frac, "items": int(len(bx)), "epochs": args.epochs,
            "batch": args.batch, "lr": args.lr, "jitter": args.jitter, "val": args.val, "log": log,
            "labels": fmnist.LABELS, "torch": torch.__version__, "command": "/usr/bin/python3 " + " ".join(sys.argv)}
    json.dump(meta, open(os.path.join(args.out, "crop-classifier.train.json"), "w"), indent=1)
    print("wrote", onnx_path, flush=True)


if __name__ == "__main__":
    main()
