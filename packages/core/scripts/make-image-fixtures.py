#!/usr/bin/env python3
"""Writes the small image fixtures used by packages/core/src/image/*.test.ts.

Pillow is the reference: the expected outputs are what Pillow (the library torchvision training pipelines use)
produces for decode, convert('L') and resize, so the tests check parity with it, not with our own code.
Run from the repo root:  /usr/bin/python3 packages/core/scripts/make-image-fixtures.py   (needs python3-pil)
Deterministic: fixed seed, fixed encoder settings.
"""
import io
import json
import os
import random

from PIL import Image, ImageOps, __version__ as pil_version

OUT = os.path.join(os.path.dirname(__file__), '..', 'test-fixtures', 'images')
os.makedirs(OUT, exist_ok=True)
rng = random.Random(1234)


def save(name, im, **kw):
    im.save(os.path.join(OUT, name), **kw)


def pattern(w, h):
    """Smooth gradient plus a few hard edges: realistic enough for codecs, asymmetric so flips/rotations show."""
    im = Image.new('RGB', (w, h))
    px = im.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 255) // (w - 1), (y * 255) // (h - 1), 255 if (x < w // 3 and y < h // 2) else 40)
    return im


# --- decode fixtures ---------------------------------------------------------------------------------------
base = pattern(32, 24)
save('rgb.jpg', base, quality=95, subsampling=0)
save('rgb.jpg.expected.png', Image.open(os.path.join(OUT, 'rgb.jpg')).convert('RGBA'))
save('rgb-420.jpg', base, quality=90, subsampling=2)
save('rgb-420.jpg.expected.png', Image.open(os.path.join(OUT, 'rgb-420.jpg')).convert('RGBA'))
save('gray.jpg', base.convert('L'), quality=95)
save('gray.jpg.expected.png', Image.open(os.path.join(OUT, 'gray.jpg')).convert('RGBA'))
save('cmyk.jpg', base.convert('CMYK'), quality=95)
save('cmyk.jpg.expected.png', Image.open(os.path.join(OUT, 'cmyk.jpg')).convert('RGB').convert('RGBA'))

# EXIF orientation 6 (rotate 90 CW to view): the stored pixels are the upright image rotated 90 CCW.
exif = Image.Exif()
exif[0x0112] = 6
base.rotate(90, expand=True).save(os.path.join(OUT, 'orient6.jpg'), quality=95, subsampling=0, exif=exif.tobytes())
save('orient6.jpg.expected.png', ImageOps.exif_transpose(Image.open(os.path.join(OUT, 'orient6.jpg'))).convert('RGBA'))

save('rgb.png', base)
rgba = base.convert('RGBA')
rgba.putalpha(Image.linear_gradient('L').resize((32, 24)))
save('rgba.png', rgba)
save('la.png', rgba.convert('LA'))
save('la.png.expected.png', rgba.convert('LA').convert('RGBA'))
pal = base.quantize(colors=16)
pal.info['transparency'] = 3
save('palette-trns.png', pal, transparency=3)
save('palette-trns.png.expected.png', Image.open(os.path.join(OUT, 'palette-trns.png')).convert('RGBA'))
save('palette-4bit.png', base.quantize(colors=16), bits=4)
save('palette-4bit.png.expected.png', Image.open(os.path.join(OUT, 'palette-4bit.png')).convert('RGBA'))
save('bilevel.png', base.convert('L').point(lambda v: 255 if v > 100 else 0).convert('1'))
save('bilevel.png.expected.png', Image.open(os.path.join(OUT, 'bilevel.png')).convert('RGBA'))
gray16 = Image.new('I;16', (5, 3))
gray16.putdata([0, 1, 255, 256, 257, 32767, 32768, 65534, 65535, 1000, 2000, 3000, 40000, 50000, 60000])
save('gray16.png', gray16)

save('lossless.webp', rgba, lossless=True)
save('lossless.webp.expected.png', Image.open(os.path.join(OUT, 'lossless.webp')).convert('RGBA'))
save('lossy.webp', base, quality=90)
save('alpha-lossy.webp', rgba, quality=90)  # lossy + alpha needs the extended (VP8X) container
save('alpha-lossy.webp.expected.png', Image.open(os.path.join(OUT, 'alpha-lossy.webp')).convert('RGBA'))
save('lossy.webp.expected.png', Image.open(os.path.join(OUT, 'lossy.webp')).convert('RGBA'))

# Other formats: recognised, refused.
save('tiny.gif', base.quantize(colors=8))
save('tiny.bmp', base)
save('tiny.tif', base)

# --- resize / colour reference --------------------------------------------------------------------------------
src = Image.new('RGB', (37, 23))
src.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(37 * 23)])
save('resize-src.png', src)
cases = {}
for name, size, flt in [
    ('bilinear-16x10', (16, 10), Image.BILINEAR),
    ('bilinear-64x40', (64, 40), Image.BILINEAR),
    ('bilinear-37x11', (37, 11), Image.BILINEAR),
    ('bilinear-13x23', (13, 23), Image.BILINEAR),
    ('bilinear-5x3', (5, 3), Image.BILINEAR),
    ('nearest-16x10', (16, 10), Image.NEAREST),
    ('nearest-64x40', (64, 40), Image.NEAREST),
    ('nearest-11x7', (11, 7), Image.NEAREST),
]:
    save(f'resize-{name}.png', src.resize(size, flt))
    cases[name] = size
save('resize-src-L.png', src.convert('L'))
save('resize-L-bilinear-16x10.png', src.convert('L').resize((16, 10), Image.BILINEAR))
# torchvision Resize(20) + CenterCrop(16) on the 37x23 source: shorter side 20 -> 32x20, crop origin (8, 2).
short = src.resize((int(20 * 37 / 23), 20), Image.BILINEAR)
left, top = int(round((short.width - 16) / 2.0)), int(round((short.height - 16) / 2.0))
save('resize-crop-20-16.png', short.crop((left, top, left + 16, top + 16)))

with open(os.path.join(OUT, 'README.json'), 'w') as f:
    json.dump({'generator': 'packages/core/scripts/make-image-fixtures.py', 'pillow': pil_version, 'resizeCases': cases,
               'crop': {'shorterSide': 20, 'size': 16, 'resized': [short.width, short.height], 'origin': [left, top]}}, f, indent=1)
print('wrote', len(os.listdir(OUT)), 'files to', os.path.normpath(OUT))
