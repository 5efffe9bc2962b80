"""Net2WiderNet (Chen, Goodfellow & Shlens 2016) for the CIFAR-style ResNets of train_classifier.py.

Why: the crop classifier's sequential CPU cycles saturated at ResNet-20 16/32/64 (models/train/README-detector.md,
stage 8); a wider network trained from scratch needs far more steps than two CPU cores give. Widening a trained
checkpoint keeps its function (exactly with noise 0), so training continues from where the narrow one stopped
with more capacity.

How: every new channel copies an existing one (the first `old` channels keep their place, the rest copy random
ones); the layer that reads the copies divides their weights by the number of copies, so the sum is unchanged.
Channels joined by identity shortcuts share one mapping per stage; each block's inner channels get their own.
BatchNorm parameters and running statistics follow their channel. `noise` (relative to each layer's weight std)
perturbs the copies' incoming weights: without it copies get identical gradients and never become different.

Usage:
  from widen import widen_state
  model.load_state_dict(widen_state(torch.load("narrow.pt"), widths=(16, 32, 128), seed=0, noise=0.01))
"""
import numpy as np
import torch

from train_classifier import stage_widths


def _mapping(old, new, rng):
    if new < old:
        raise ValueError(f"cannot narrow {old} channels to {new}")
    return np.concatenate([np.arange(old), rng.integers(0, old, new - old)]).astype(np.int64)


def _reads(w, g):
    """Input channels of `w` ([out, in, ...]) remapped by `g`, each copy's share divided by its number of copies."""
    counts = np.bincount(g, minlength=w.shape[1]).astype(np.float32)
    return w[:, g] / torch.from_numpy(counts[g]).reshape(1, -1, *([1] * (w.ndim - 2)))


def _writes(w, g, old, noise, gen):
    """Output channels of `w` remapped by `g`; the copies (index >= old) get `noise` x std(w) Gaussian noise."""
    out = w[g].clone()
    if noise > 0 and len(g) > old:
        out[old:] += noise * w.std() * torch.randn(out[old:].shape, generator=gen)
    return out


def _bn(state, out, prefix, g):
    for k in ("weight", "bias", "running_mean", "running_var"):
        out[f"{prefix}.{k}"] = state[f"{prefix}.{k}"][g].clone()
    out[f"{prefix}.num_batches_tracked"] = state[f"{prefix}.num_batches_tracked"].clone()


def widen_state(state, widths, seed=0, noise=0.0, depth=20):
    """A ResNetCifar(depth, widths) state dict computing the same function as `state` (narrower or equal widths;
    up to `noise`).

    Example: `widen_state(torch.load("crop.pt"), widths=(16, 32, 128))`
    """
    old = stage_widths(state, depth)
    if len(widths) != len(old):
        raise ValueError(f"{len(old)} stages in the checkpoint, {len(widths)} widths given")
    rng = np.random.default_rng(seed)
    gen = torch.Generator().manual_seed(seed)
    per_stage = (depth - 2) // 6
    stream = [_mapping(o, n, rng) for o, n in zip(old, widths)]  # one per stage: shortcuts add these channels
    out = {}
    out["stem.0.weight"] = _writes(state["stem.0.weight"], stream[0], old[0], noise, gen)
    _bn(state, out, "stem.1", stream[0])
    for s in range(len(widths)):
        for b in range(per_stage):
            p = f"layers.{s * per_stage + b}"
            g_in = stream[s - 1] if (b == 0 and s > 0) else stream[s]
            inner = _mapping(old[s], widths[s], rng)
            out[f"{p}.conv1.weight"] = _writes(_reads(state[f"{p}.conv1.weight"], g_in), inner, old[s], noise, gen)
            _bn(state, out, f"{p}.bn1", inner)
            out[f"{p}.conv2.weight"] = _writes(_reads(state[f"{p}.conv2.weight"], inner), stream[s], old[s], noise, gen)
            _bn(state, out, f"{p}.bn2", stream[s])
            if f"{p}.down.0.weight" in state:
                out[f"{p}.down.0.weight"] = _writes(_reads(state[f"{p}.down.0.weight"], g_in), stream[s], old[s], noise, gen)
                _bn(state, out, f"{p}.down.1", stream[s])
    out["fc.weight"] = _reads(state["fc.weight"], stream[-1])
    out["fc.bias"] = state["fc.bias"].clone()
    missing = set(state) - set(out)
    if missing:
        raise ValueError(f"not a ResNetCifar depth-{depth} state dict: unhandled {sorted(missing)[:4]}")
    return out
