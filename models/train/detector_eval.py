"""CenterNet decoding and COCO-style mAP in numpy, mirroring packages/core/src/tasks/{decode-centernet,map}.ts.

Used by train_detector.py to log python-side metrics; the SDK's TypeScript code is the reference at run time.
"""
import numpy as np


def _maxpool3(x):
    """3x3 max-pool, stride 1, -inf padding, on [C,H,W]."""
    p = np.pad(x, ((0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    h, w = x.shape[1:]
    out = np.full_like(x, -np.inf)
    for dy in range(3):
        for dx in range(3):
            np.maximum(out, p[:, dy:dy + h, dx:dx + w], out=out)
    return out


def decode_centernet(heat, size, offset, stride, top_k=100, score_threshold=0.05):
    """heat [C,h,w] probabilities, size [2,h,w] (w,h px), offset [2,h,w] -> list of (x0,y0,x1,y1,score,cls)."""
    peaks = (heat == _maxpool3(heat)) & (heat >= score_threshold)
    c, ys, xs = np.nonzero(peaks)
    scores = heat[c, ys, xs]
    order = np.argsort(-scores, kind="stable")[:top_k]
    dets = []
    for i in order:
        y, x = ys[i], xs[i]
        cx = (x + offset[0, y, x]) * stride
        cy = (y + offset[1, y, x]) * stride
        w, h = size[0, y, x], size[1, y, x]
        dets.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, float(scores[i]), int(c[i])))
    return dets


def iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def nms(dets, iou_threshold=0.5, max_det=100, agnostic=False):
    """Greedy NMS over (x0,y0,x1,y1,score,cls) tuples: within a class, or across classes when `agnostic`."""
    keep = []
    for d in sorted(dets, key=lambda d: -d[4]):
        if all((k[5] != d[5] and not agnostic) or iou(k, d) <= iou_threshold for k in keep):
            keep.append(d)
            if len(keep) >= max_det:
                break
    return keep


def average_precision(preds, gts, cls, thr):
    """101-point interpolated AP of one class at one IoU threshold (COCO greedy matching)."""
    n_gt = sum(int(np.sum(g[:, 4] == cls)) for g in gts)
    if n_gt == 0:
        return None
    flat = [(d[4], img, d) for img, ds in enumerate(preds) for d in ds if d[5] == cls]
    flat.sort(key=lambda t: -t[0])
    used = [np.zeros(len(g), bool) for g in gts]
    tp = np.zeros(len(flat))
    for k, (_, img, d) in enumerate(flat):
        best, best_j = thr, -1
        for j, g in enumerate(gts[img]):
            if g[4] != cls or used[img][j]:
                continue
            o = iou(d, g)
            if o >= best:
                best, best_j = o, j
        if best_j >= 0:
            used[img][best_j] = True
            tp[k] = 1
    ctp = np.cumsum(tp)
    recall = ctp / n_gt
    precision = ctp / np.arange(1, len(flat) + 1)
    # Precision envelope (monotone non-increasing from the right).
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    ap = 0.0
    for r in np.linspace(0, 1, 101):
        idx = np.searchsorted(recall, r, side="left")
        ap += precision[idx] if idx < len(precision) else 0.0
    return ap / 101


def evaluate(preds, gts, num_classes=10):
    """preds: per image list of dets; gts: per image float [k,5] -> {'map50', 'map50_95', 'per_class50'}."""
    res = {}
    per_thr = []
    for thr in np.round(np.arange(0.5, 0.96, 0.05), 2):
        aps = [average_precision(preds, gts, c, thr) for c in range(num_classes)]
        per_thr.append(aps)
    valid = [c for c in range(num_classes) if per_thr[0][c] is not None]
    res["map50"] = float(np.mean([per_thr[0][c] for c in valid])) if valid else 0.0
    res["map50_95"] = float(np.mean([[aps[c] for c in valid] for aps in per_thr])) if valid else 0.0
    res["per_class50"] = {int(c): round(float(per_thr[0][c]), 4) for c in valid}
    return res


def counts_at(preds, gts, score_threshold, iou_threshold=0.5):
    """Precision, recall and boxes per object of the detections scoring >= score_threshold (greedy by score, a box
    matches an unmatched true object of its class with IoU >= iou_threshold), as a user sees them at that threshold."""
    n_box = n_tp = n_obj = 0
    for ds, g in zip(preds, gts):
        used = np.zeros(len(g), bool)
        n_obj += len(g)
        for d in sorted((d for d in ds if d[4] >= score_threshold), key=lambda d: -d[4]):
            n_box += 1
            best, best_j = iou_threshold, -1
            for j, gt in enumerate(g):
                if used[j] or int(gt[4]) != d[5]:
                    continue
                o = iou(d, gt)
                if o >= best:
                    best, best_j = o, j
            if best_j >= 0:
                used[best_j] = True
                n_tp += 1
    return {"precision": n_tp / n_box if n_box else 1.0, "recall": n_tp / n_obj if n_obj else 1.0,
            "boxes_per_object": n_box / n_obj if n_obj else 0.0}
