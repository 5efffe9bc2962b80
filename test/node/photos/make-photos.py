#!/usr/bin/env python3
"""Phone-sized test photos for the decode-to-size fidelity tests, made at test time (nothing big is committed).

Sources are scikit-image's sample photos (Debian python3-skimage); each is upscaled with Pillow's LANCZOS to about
12 MP and given seeded sensor-like noise (sigma 3 levels), so codecs see realistic high-frequency content instead of a
smooth upscale, then saved in the layouts a phone or a user produces. Deterministic: fixed seeds, fixed settings.

Usage: /usr/bin/python3 test/node/photos/make-photos.py OUT_DIR   (writes OUT_DIR/*.jpg|png and OUT_DIR/photos.json)
"""
import json
import os
import sys
import zlib

import numpy as np
from PIL import Image, __version__ as pil_version

try:
    import skimage
except ImportError:  # pragma: no cover
    sys.exit('python3-skimage is needed (apt-get install python3-skimage)')
DATA = skimage.data_dir

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def source(name):
    return np.asarray(Image.open(os.path.join(DATA, name)))


def phone(arr, size, seed):
    im = Image.fromarray(arr)
    im = im.resize(size, Image.LANCZOS)
    a = np.asarray(im).astype(np.int16)
    rng = np.random.default_rng(seed)
    a = np.clip(a + np.round(rng.normal(0, 3, a.shape)), 0, 255).astype(np.uint8)
    return Image.fromarray(a)


def exif(orientation):
    e = Image.Exif()
    e[0x0112] = orientation
    return e.tobytes()


def adam7_png(im, path):
    """Interlaced PNG (Pillow cannot write Adam7): filter type 0 on every row, zlib level 6."""
    a = np.asarray(im)
    h, w = a.shape[:2]
    ctype = {1: 0, 3: 2, 4: 6}[1 if a.ndim == 2 else a.shape[2]]
    parts = []
    for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
        p = a[y0::dy, x0::dx]
        if p.size == 0:
            continue
        rows = p.reshape(p.shape[0], -1)
        parts.append(np.concatenate([np.zeros((rows.shape[0], 1), np.uint8), rows], axis=1).tobytes())

    def chunk(kind, body):
        return len(body).to_bytes(4, 'big') + kind + body + (zlib.crc32(kind + body) & 0xFFFFFFFF).to_bytes(4, 'big')

    ihdr = w.to_bytes(4, 'big') + h.to_bytes(4, 'big') + bytes([8, ctype, 0, 0, 1])
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', zlib.compress(b''.join(parts), 6)) + chunk(b'IEND', b''))


photos = {}


def add(name, kind, im, **save):
    path = os.path.join(out, name)
    if kind == 'adam7':
        adam7_png(im, path)
    else:
        im.save(path, **save)
    photos[name] = {'kind': kind, 'size': list(Image.open(path).size), 'bytes': os.path.getsize(path)}


L, P = (4032, 3024), (3024, 4032)
cat = phone(source('chelsea.png'), L, 1)
coffee = phone(source('coffee.png'), L, 2)
astro = phone(source('astronaut.png'), (3464, 3464), 3)
rocket = phone(source('rocket.jpg'), P, 4)
moto = phone(source('motorcycle_left.png'), (4031, 3023), 5)
camera = phone(source('camera.png'), (4031, 3023), 6)

add('chelsea-420.jpg', 'jpeg 4:2:0 q90', cat, quality=90, subsampling=2)
add('coffee-444.jpg', 'jpeg 4:4:4 q92', coffee, quality=92, subsampling=0)
add('astronaut-progressive.jpg', 'progressive jpeg 4:2:0 q90', astro, quality=90, subsampling=2, progressive=True)
add('rocket-portrait-420.jpg', 'jpeg 4:2:0 portrait', rocket, quality=88, subsampling=2)
add('camera-gray-odd.jpg', 'greyscale jpeg 4031x3023', camera, quality=90)
add('coffee-cmyk.jpg', 'CMYK jpeg', coffee.convert('CMYK'), quality=90)
add('chelsea-orient6.jpg', 'jpeg EXIF 6 (stored sideways)', cat.transpose(Image.ROTATE_90), quality=90, subsampling=2, exif=exif(6))
add('chelsea-orient3.jpg', 'jpeg EXIF 3 (stored upside down)', cat.transpose(Image.ROTATE_180), quality=90, subsampling=2, exif=exif(3))
add('rocket-orient8.jpg', 'jpeg EXIF 8, portrait stored landscape', rocket.transpose(Image.ROTATE_270), quality=90, subsampling=2, exif=exif(8))
add('chelsea.png', 'png rgb', cat, compress_level=6)
add('motorcycle-odd-rgba.png', 'png rgba 4031x3023', Image.merge('RGBA', (*moto.split(), Image.linear_gradient('L').resize(moto.size))), compress_level=6)
add('coffee-adam7.png', 'interlaced png (Adam7)', coffee)

with open(os.path.join(out, 'photos.json'), 'w') as f:
    json.dump({'pillow': pil_version, 'photos': photos}, f, indent=1)
print('wrote', len(photos), 'photos to', out)
