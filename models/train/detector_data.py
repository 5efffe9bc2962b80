"""Training data for the detector: cached scene pools or an endless augmented scene stream, and CenterNet targets."""
import math
import os

import numpy as np
import torch

import scenes

STRIDE = 4
NUM_CLASSES = 10
MAX_OBJ = 16


def gaussian_radius(h, w, min_overlap=0.7):
    """CornerNet/CenterNet radius so a box shifted by it keeps IoU >= min_overlap (all three cases)."""
    a1, b1, c1 = 1, h + w, w * h * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + math.sqrt(b1 ** 2 - 4 * a1 * c1)) / 2
    a2, b2, c2 = 4, 2 * (h + w), (1 - min_overlap) * w * h
    r2 = (b2 + math.sqrt(b2 ** 2 - 4 * a2 * c2)) / 2
    a3, b3, c3 = 4 * min_overlap, -2 * min_overlap * (h + w), (min_overlap - 1) * w * h
    r3 = (b3 + math.sqrt(b3 ** 2 - 4 * a3 * c3)) / 2
    return min(r1, r2, r3)


def make_targets(boxes_list, out_hw):
    """Boxes (px) -> heatmap [B,C,h,w], ind/wh/reg/mask/cls [B,MAX_OBJ,...] CenterNet targets."""
    oh, ow = out_hw
    b = len(boxes_list)
    hm = np.zeros((b, NUM_CLASSES, oh, ow), np.float32)
    ind = np.zeros((b, MAX_OBJ), np.int64)
    wh = np.zeros((b, MAX_OBJ, 2), np.float32)
    reg = np.zeros((b, MAX_OBJ, 2), np.float32)
    mask = np.zeros((b, MAX_OBJ), np.float32)
    cls = np.zeros((b, MAX_OBJ), np.int64)
    yy, xx = np.mgrid[0:oh, 0:ow]
    for i, boxes in enumerate(boxes_list):
        for k, (x0, y0, x1, y1, c) in enumerate(boxes[:MAX_OBJ]):
            w, h = x1 - x0, y1 - y0
            cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
            ix, iy = min(int(cx), ow - 1), min(int(cy), oh - 1)
            r = max(0, int(gaussian_radius(h / STRIDE, w / STRIDE)))
            sigma = (2 * r + 1) / 6
            g = np.exp(-((xx - ix) ** 2 + (yy - iy) ** 2) / (2 * sigma * sigma))
            g[np.abs(xx - ix) > r] = 0
            g[np.abs(yy - iy) > r] = 0
            np.maximum(hm[i, int(c)], g, out=hm[i, int(c)])
            ind[i, k] = iy * ow + ix
            wh[i, k] = (w, h)
            reg[i, k] = (cx - ix, cy - iy)
            mask[i, k] = 1
            cls[i, k] = int(c)
    return [torch.from_numpy(t) for t in (hm, ind, wh, reg, mask, cls)]


def flip_batch(imgs, boxes_list, rng):
    """Horizontal flip of a random half of the batch (images uint8 [B,H,W], boxes in pixel-edge coords)."""
    imgs = imgs.copy()
    out = []
    for i, b in enumerate(boxes_list):
        if rng.random() < 0.5:
            imgs[i] = imgs[i, :, ::-1]
            b = b.copy()
            b[:, [0, 2]] = scenes.SIZE - b[:, [2, 0]]
        out.append(b)
    return imgs, out


def load_pool(count, seed, cache_dir):
    """Training scenes (train-split items), cached as .npz keyed by (count, seed) since generation costs minutes."""
    path = os.path.join(cache_dir, f"scenes-train-{count}-{seed}.npz")
    if os.path.exists(path):
        z = np.load(path)
        imgs, flat, counts = z["imgs"], z["boxes"], z["counts"]
        boxes = np.split(flat, np.cumsum(counts)[:-1])
        return imgs, boxes
    imgs, boxes = scenes.make_scenes("train", count, seed)
    os.makedirs(cache_dir, exist_ok=True)
    np.savez(path, imgs=imgs, boxes=np.concatenate(boxes).reshape(-1, 5),
             counts=np.array([len(b) for b in boxes]))
    return imgs, boxes


def augmented_batch(seed, batch_index, batch, plain_frac):
    """Batch `batch_index` of the endless stream: fresh train-item scenes, a random style (scenes.random_style) for all
    but `plain_frac` of them, random horizontal flips. Depends only on (seed, batch_index), so a resumed run continues
    with exactly the scenes it would have seen."""
    imgs = np.empty((batch, scenes.SIZE, scenes.SIZE), np.uint8)
    boxes = []
    for j in range(batch):
        idx = batch_index * batch + j
        srng = np.random.default_rng([seed, idx, 1])
        style = None if srng.random() < plain_frac else scenes.random_style(srng)
        img, b = scenes.make_scene("train", seed, idx, style)
        if srng.random() < 0.5:
            img = img[:, ::-1]
            b = b.copy()
            b[:, [0, 2]] = scenes.SIZE - b[:, [2, 0]]
        imgs[j] = img
        boxes.append(b)
    return imgs, boxes


class SceneStream(torch.utils.data.IterableDataset):
    """Endless augmented batches with their targets, built in a DataLoader worker next to the training process."""

    def __init__(self, seed, batch, start_batch, plain_frac):
        super().__init__()
        self.seed, self.batch, self.start, self.plain_frac = seed, batch, start_batch, plain_frac

    def __iter__(self):
        torch.set_num_threads(1)
        out_hw = (scenes.SIZE // STRIDE, scenes.SIZE // STRIDE)
        b = self.start
        while True:
            imgs, boxes = augmented_batch(self.seed, b, self.batch, self.plain_frac)
            yield (torch.from_numpy(imgs), *make_targets(boxes, out_hw))
            b += 1
