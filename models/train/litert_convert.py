"""Build the full-int8 TFLite twin of a bench torchvision ResNet for the LiteRT.js column of `npm run bench:browser`.

Steps: torch weights (litert_torch_dump.py under Debian's torch, same seed as the bench's ONNX export) -> keras copy
(litert_keras_resnet.py) -> fp32 check against torch and against the bench's fp32 ONNX (onnxruntime) -> TFLiteConverter
full-int8 (per-channel weights, int8 activations, float32 input/output around QUANTIZE/DEQUANTIZE, like the ONNX QDQ
model's float I/O) with a representative dataset -> check of the .tflite with TF's interpreter -> meta JSON.

Calibration (--calibration): `lcg` (default) = the 8 inputs our quantizer calibrates the bench's int8 ONNX model with
(bench/prepare-models.ts: the LCG with seed 7, uniform [-2, 2]), so both int8 models are calibrated on the same data;
`photos` = crops of scikit-image's sample photos, ImageNet-normalized.

Run inside the TensorFlow venv (bench/litert/prepare.ts does this when the cache is missing):
  ~/.cache/resnet-edge/venv-tf/bin/python models/train/litert_convert.py --arch resnet18 \
      --onnx models/train/out/resnet18-224.fp32.onnx --out-dir ~/.cache/resnet-edge/litert
Writes <arch>-<size>.int8.tflite, <arch>-<size>.meta.json and photos-<size>.f32 (NCHW float32 photo crops for the
page's top-1 agreement check) into --out-dir.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# oneDNN's fp32 convs die with SIGFPE on this machine's virtual AMD EPYC for ResNet-50's shapes (R18 runs); TF's own
# kernels are fine and the fp32 check does not need speed.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '0')

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from litert_keras_resnet import build_resnet, count_macs, load_torch_weights  # noqa: E402

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
PHOTOS = ('astronaut', 'coffee', 'chelsea', 'rocket', 'hubble_deep_field', 'immunohistochemistry', 'camera', 'moon', 'coins', 'page')


def lcg_inputs(n, dims, seed):
    """bench/prepare-models.ts randomInputs() and the page's input(): s = s*1664525 + 1013904223 (mod 2^32), x = s/2^32*4-2."""
    size = int(np.prod(dims))
    out = np.empty(n * size, np.float64)
    s = seed & 0xFFFFFFFF
    for i in range(n * size):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s
    return (out / 2 ** 32 * 4 - 2).astype(np.float32).reshape((n, *dims[1:]))


def photo_crops(size):
    """Center crop plus four 70% corner crops of each bundled scikit-image sample photo, resized, ImageNet-normalized, NCHW."""
    import skimage.data
    from skimage.transform import resize

    crops, names = [], []
    for name in PHOTOS:
        try:
            img = getattr(skimage.data, name)()
        except Exception as e:  # photos that need a download are skipped: nothing is fetched
            print(f'  photo {name} skipped: {e}', file=sys.stderr)
            continue
        img = np.asarray(img, np.float32) / (255.0 if img.dtype == np.uint8 else img.max())
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=2)
        img = img[..., :3]
        h, w = img.shape[:2]
        s = min(h, w)
        boxes = [('center', (h - s) // 2, (w - s) // 2, s)]
        c = int(s * 0.7)
        boxes += [(corner, y, x, c) for corner, y, x in (('tl', 0, 0), ('tr', 0, w - c), ('bl', h - c, 0), ('br', h - c, w - c))]
        for tag, y, x, side in boxes:
            crop = resize(img[y:y + side, x:x + side], (size, size), anti_aliasing=True, preserve_range=True).astype(np.float32)
            crops.append(((crop - MEAN) / STD).transpose(2, 0, 1))
            names.append(f'{name}:{tag}')
    return np.stack(crops).astype(np.float32), names


def torch_dump(arch, size, inputs, python):
    with tempfile.TemporaryDirectory() as tmp:
        np.save(os.path.join(tmp, 'x.npy'), inputs)
        out = os.path.join(tmp, 'dump.npz')
        r = subprocess.run([python, os.path.join(HERE, 'litert_torch_dump.py'), '--arch', arch, '--size', str(size), '--inputs', os.path.join(tmp, 'x.npy'), '--out', out], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f'torch dump failed ({python}):\n{r.stderr}')
        print(' ', r.stdout.strip())
        with np.load(out) as z:
            return z['logits'], {k[2:]: z[k] for k in z.files if k.startswith('w:')}


def onnx_logits(path, inputs):
    import onnxruntime as ort

    s = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    name = s.get_inputs()[0].name
    return np.concatenate([s.run(None, {name: inputs[i:i + 8]})[0] for i in range(0, len(inputs), 8)])


def convert(model, calibration_nhwc, io):
    import tensorflow as tf

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: ([x[None]] for x in calibration_nhwc)
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    if io == 'int8':
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    return conv.convert()


def tflite_run(blob, inputs_nhwc, xnnpack=False):
    """Runs the .tflite with TF's interpreter, on its reference kernels or (xnnpack) with its default XNNPACK delegate;
    lists the graph's ops, conv weight types and the delegate partitions (DELEGATE nodes: [inputs, outputs] counts)."""
    import tensorflow as tf

    resolver = tf.lite.experimental.OpResolverType.BUILTIN if xnnpack else tf.lite.experimental.OpResolverType.BUILTIN_REF
    it = tf.lite.Interpreter(model_content=blob, experimental_op_resolver_type=resolver, num_threads=1)
    it.allocate_tensors()
    i, o = it.get_input_details()[0], it.get_output_details()[0]
    outs = []
    for x in inputs_nhwc:
        x = x[None]
        if i['dtype'] == np.int8:
            sc, zp = i['quantization']
            x = np.clip(np.round(x / sc) + zp, -128, 127).astype(np.int8)
        it.set_tensor(i['index'], x)
        it.invoke()
        y = it.get_tensor(o['index'])[0]
        if o['dtype'] == np.int8:
            sc, zp = o['quantization']
            y = (y.astype(np.float32) - zp) * sc
        outs.append(y)
    ops = {}
    conv_weight_types = set()
    partitions = []
    tensors = {t['index']: t for t in it.get_tensor_details()}
    for op in it._get_ops_details():
        if op['op_name'] == 'DELEGATE':
            partitions.append({'coversInput': int(i['index']) in op['inputs'], 'coversOutput': int(o['index']) in op['outputs']})
            continue
        ops[op['op_name']] = ops.get(op['op_name'], 0) + 1
        if op['op_name'] == 'CONV_2D':
            w = tensors[op['inputs'][1]]
            per_channel = len(w['quantization_parameters']['scales']) > 1
            conv_weight_types.add(f"{np.dtype(w['dtype']).name}{' per-channel' if per_channel else ' per-tensor'}")
    io = {'input': [np.dtype(i['dtype']).name, [float(v) for v in i['quantization']]], 'output': [np.dtype(o['dtype']).name, [float(v) for v in o['quantization']]]}
    return np.stack(outs), ops, sorted(conv_weight_types), io, partitions


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', required=True)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--out-dir', required=True)
    ap.add_argument('--onnx', help="the bench's fp32 ONNX model (checked against the keras copy with onnxruntime)")
    ap.add_argument('--torch-python', default=os.environ.get('TORCH_PYTHON', '/usr/bin/python3'))
    ap.add_argument('--calibration', choices=('lcg', 'photos'), default='lcg')
    ap.add_argument('--io', choices=('float', 'int8'), default='float')
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    t0 = time.time()
    size = a.size
    bench_x = lcg_inputs(1, [1, 3, size, size], 12345)
    photos, names = photo_crops(size)
    photos_path = os.path.join(a.out_dir, f'photos-{size}.f32')
    photos.astype('<f4').tofile(photos_path + '.tmp')
    os.replace(photos_path + '.tmp', photos_path)
    x = np.concatenate([bench_x, photos])
    print(f'{a.arch}: {len(names)} photo crops; torch dump ...')
    torch_logits, weights = torch_dump(a.arch, size, x, a.torch_python)

    import keras

    keras.utils.set_random_seed(0)
    model = build_resnet(a.arch, size)
    load_torch_weights(model, weights)
    x_nhwc = x.transpose(0, 2, 3, 1).copy()
    keras_logits = np.concatenate([model(x_nhwc[i:i + 8], training=False).numpy() for i in range(0, len(x_nhwc), 8)])
    d_torch = float(np.abs(keras_logits - torch_logits).max())
    checks = {'maxAbsDiffKerasVsTorch': d_torch, 'maxAbsTorchLogit': float(np.abs(torch_logits).max()),
              'top1KerasVsTorch': f'{int((keras_logits.argmax(1) == torch_logits.argmax(1)).sum())}/{len(x)}'}
    if a.onnx:
        d_onnx = float(np.abs(keras_logits - onnx_logits(a.onnx, x)).max())
        checks['maxAbsDiffKerasVsOnnxFp32'] = d_onnx
    print(f'  fp32: {checks}')
    if d_torch > 1e-3 * max(1.0, checks['maxAbsTorchLogit']) or checks.get('maxAbsDiffKerasVsOnnxFp32', 0) > 1e-3 * max(1.0, checks['maxAbsTorchLogit']):
        raise SystemExit(f'{a.arch}: the keras copy does not match torch/ONNX fp32 ({checks})')

    calib = lcg_inputs(8, [1, 3, size, size], 7) if a.calibration == 'lcg' else photos
    blob = convert(model, calib.transpose(0, 2, 3, 1), a.io)
    int8_logits, ops, conv_types, io, _ = tflite_run(blob, x_nhwc)
    # TF's own XNNPACK delegate on the bench input: LiteRT.js' wasm accelerator should reproduce it bit for bit.
    xnn_logits, _, _, _, partitions = tflite_run(blob, x_nhwc[:1], xnnpack=True)
    top = lambda l: l.argmax(1).tolist()  # noqa: E731
    checks['tfliteInt8VsTorchFp32'] = {
        'maxAbsDiffBenchInput': float(np.abs(int8_logits[0] - torch_logits[0]).max()),
        'top1AgreementPhotos': f'{sum(p == q for p, q in zip(top(int8_logits[1:]), top(torch_logits[1:])))}/{len(names)}',
    }
    base = os.path.join(a.out_dir, f'{a.arch}-{size}')
    meta = {
        'arch': a.arch, 'size': size, 'layout': 'NHWC', 'macs': count_macs(model), 'calibration': a.calibration, 'io': io,
        'tfliteBytes': len(blob), 'ops': ops, 'convWeights': conv_types, 'checks': checks,
        'photos': {'file': os.path.basename(photos_path), 'names': names, 'dims': [len(names), 3, size, size]},
        'torchTop1Photos': top(torch_logits[1:]), 'tfliteInterpreterTop1Photos': top(int8_logits[1:]),
        'tfliteInterpreterBenchLogits': [float(v) for v in int8_logits[0]],
        'tfliteXnnpackBenchLogits': [float(v) for v in xnn_logits[0]],
        'xnnpackPartitions': partitions,
        'versions': {'tensorflow': __import__('tensorflow').__version__, 'keras': keras.__version__},
        'seconds': round(time.time() - t0, 1),
    }
    with open(base + '.int8.tflite.tmp', 'wb') as f:
        f.write(blob)
    with open(base + '.meta.json', 'w') as f:
        json.dump(meta, f, indent=1)
    os.replace(base + '.int8.tflite.tmp', base + '.int8.tflite')  # last: the bench treats the .tflite as "cache present"
    print(f'  wrote {base}.int8.tflite ({len(blob)} bytes), ops {ops}, conv weights {conv_types}, {meta["macs"] / 1e9:.3f} GMAC, int8 checks {checks["tfliteInt8VsTorchFp32"]}')


if __name__ == '__main__':
    main()
