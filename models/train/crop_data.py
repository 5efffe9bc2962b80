"""Training data of the detector's second stage: crops of scene objects, exactly as the SDK makes them.

The crop (mirrored exactly by packages/core/src/tasks/refine.ts; keep both in sync):
  - input: the detector's model input, values x/255, H x W; box (x0, y0, x1, y1) in its pixels;
  - a square window centred on the box, side s = max(w, h, MIN_SIDE) * CONTEXT;
  - R x R output; output pixel (i, j) averages 2 x 2 bilinear samples at source coordinates
    cx - s/2 + (j + 0.25 + 0.5*a) * s/R - 0.5 (a = 0, 1; same for y), edge-clamped;
  - then standardised per crop: (v - mean) / (std + EPS), so background level and item contrast do not matter.

`crop_batch` (NumPy, float64) is the reference; `crop_batch_torch` is the same arithmetic on a torch device, so a GPU
builds its own crops instead of waiting for the CPU.
"""
import gzip
import json
import os
import sys
from multiprocessing import get_context

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fmnist  # noqa: E402
import scenes  # noqa: E402

R = 28
CONTEXT = 1.2
MIN_SIDE = 4.0
EPS = 0.02


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


def _scene(job):
    seed, i, style = job
    return scenes.make_scene("train", seed, i, style=style)


def make_pool(count, seed, default_frac=0.0, workers=1):
    """Training scenes with the detector's augmentation (random style per scene; a `default_frac` share in the
    generator's default style, the fresh sets' distribution); returns imgs u8, img_idx, boxes. Styles are drawn here,
    in order, and each scene's own stream is seeded by (seed, index), so any `workers` gives the same pool."""
    rng = np.random.default_rng(seed)
    jobs = []
    for i in range(count):
        style = scenes.random_style(rng)
        jobs.append((seed, i, None if rng.random() < default_frac else style))
    if workers > 1:
        scenes._items("train")  # loaded once, before the fork
        with get_context("fork").Pool(workers) as pool:
            made = pool.map(_scene, jobs, chunksize=256)
    else:
        made = [_scene(j) for j in jobs]
    imgs = np.empty((count, scenes.SIZE, scenes.SIZE), np.uint8)
    idx, bxs = [], []
    for i, (img, b) in enumerate(made):
        imgs[i] = img
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


def crop_batch_torch(imgs, img_idx, boxes, r=R, context=CONTEXT):
    """`crop_batch` in torch on the tensors' device (float32 arithmetic: within ~1e-4 of the reference after
    standardisation): imgs float [M,H,W] (x/255), img_idx long [N], boxes float [N,4] -> crops float [N,r,r]."""
    import torch

    h, w = imgs.shape[1:]
    boxes = boxes.float()
    x0, y0, x1, y1 = boxes.unbind(1)
    side = torch.clamp(torch.maximum(x1 - x0, y1 - y0), min=MIN_SIDE) * context
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    step = side / r
    base = torch.arange(r, dtype=torch.float32, device=imgs.device)
    flat = imgs.reshape(len(imgs), -1)[img_idx]  # [N, H*W]
    out = torch.zeros(len(boxes), r, r, device=imgs.device)
    for ay in (0.25, 0.75):
        for ax in (0.25, 0.75):
            sy = (cy[:, None] - side[:, None] / 2 + (base[None, :] + ay) * step[:, None] - 0.5).clamp(0, h - 1)
            sx = (cx[:, None] - side[:, None] / 2 + (base[None, :] + ax) * step[:, None] - 0.5).clamp(0, w - 1)
            iy0, ix0 = sy.floor().long(), sx.floor().long()
            fy, fx = (sy - iy0)[:, :, None], (sx - ix0)[:, None, :]
            iy1, ix1 = (iy0 + 1).clamp(max=h - 1), (ix0 + 1).clamp(max=w - 1)

            def at(iy, ix):
                return flat.gather(1, (iy[:, :, None] * w + ix[:, None, :]).reshape(len(boxes), -1)).reshape(-1, r, r)

            top = at(iy0, ix0) + (at(iy0, ix1) - at(iy0, ix0)) * fx
            bot = at(iy1, ix0) + (at(iy1, ix1) - at(iy1, ix0)) * fx
            out += top + (bot - top) * fy
    out *= 0.25
    mean = out.mean(dim=(1, 2), keepdim=True)
    std = out.std(dim=(1, 2), unbiased=False, keepdim=True)
    return (out - mean) / (std + EPS)


def random_erase(x, gen, p=0.5, area=(0.02, 0.25)):
    """Random erasing (Zhong et al. 2017) on standardised crops [N,1,r,r]: with probability p a rectangle of the
    given area share and aspect 0.3-3.3 is replaced by N(0, 1) noise (in place; x's device, `gen` a torch.Generator
    there). Occlusion is what scene crops suffer from; it regularises the wider classifiers."""
    import torch

    n, _, hh, ww = x.shape
    dev = x.device
    u = lambda: torch.rand(n, device=dev, generator=gen)  # noqa: E731
    a = (area[0] + (area[1] - area[0]) * u()) * hh * ww
    aspect = torch.exp(np.log(0.3) + (np.log(3.3) - np.log(0.3)) * u())
    eh = torch.sqrt(a * aspect).clamp(1, hh)
    ew = torch.sqrt(a / aspect).clamp(1, ww)
    top = (u() * (hh - eh + 1)).floor()
    left = (u() * (ww - ew + 1)).floor()
    on = u() < p
    ys = torch.arange(hh, device=dev)[None, :, None]
    xs = torch.arange(ww, device=dev)[None, None, :]
    mask = ((ys >= top[:, None, None]) & (ys < (top + eh.floor())[:, None, None])
            & (xs >= left[:, None, None]) & (xs < (left + ew.floor())[:, None, None]) & on[:, None, None])
    noise = torch.randn(x.shape, device=dev, generator=gen, dtype=x.dtype)
    x[:, 0][mask] = noise[:, 0][mask]
    return x


def flatten_objects(per_scene):
    """Per-scene box lists [[x0, y0, x1, y1, class], ...] -> scene index per object int [N], boxes float [N,5]."""
    idx = np.array([i for i, sc in enumerate(per_scene) for _ in sc], np.int64)
    bx = np.array([b for sc in per_scene for b in sc], np.float32).reshape(-1, 5)
    return idx, bx


def load_set(prefix):
    meta = json.load(open(prefix + ".json"))
    raw = np.frombuffer(gzip.open(prefix + ".u8.gz").read(), np.uint8)
    imgs = raw.reshape(meta["count"], meta["height"], meta["width"])
    return (imgs, *flatten_objects(meta["scenes"]))


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


