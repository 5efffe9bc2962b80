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
import struct
import zlib

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



def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)


def interlaced_png(im, bit_depth, color_type, samples, palette=None):
    """Adam7 PNG written by hand (Pillow reads interlaced PNGs but cannot write them); filters cycle 0..4 so
    every filter type is exercised. `samples(x, y)` returns the pixel's samples at `bit_depth`."""
    w, h = im.size
    chans = len(samples(0, 0))
    raw = bytearray()
    n = 0
    for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
        pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
        if pw <= 0 or ph <= 0:
            continue
        bpp = max(1, chans * bit_depth // 8)
        prev = None
        for j in range(ph):
            bits = []
            for i in range(pw):
                for v in samples(x0 + i * dx, y0 + j * dy):
                    bits.append(v)
            line = bytearray()
            if bit_depth == 16:
                for v in bits:
                    line += struct.pack('>H', v)
            elif bit_depth == 8:
                line = bytearray(bits)
            else:
                acc, nb = 0, 0
                for v in bits:
                    acc, nb = (acc << bit_depth) | v, nb + bit_depth
                    if nb == 8:
                        line.append(acc)
                        acc, nb = 0, 0
                if nb:
                    line.append(acc << (8 - nb))
            prev = prev if prev is not None else bytearray(len(line))
            ftype = n % 5
            n += 1
            out = bytearray(len(line))
            for k in range(len(line)):
                a = line[k - bpp] if k >= bpp else 0
                b = prev[k]
                c = prev[k - bpp] if k >= bpp else 0
                if ftype == 0:
                    pred = 0
                elif ftype == 1:
                    pred = a
                elif ftype == 2:
                    pred = b
                elif ftype == 3:
                    pred = (a + b) // 2
                else:
                    p_ = a + b - c
                    pa, pb, pc = abs(p_ - a), abs(p_ - b), abs(p_ - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                out[k] = (line[k] - pred) & 0xff
            raw += bytes([ftype]) + out
            prev = line
    data = b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, bit_depth, color_type, 0, 0, 1))
    if palette:
        data += png_chunk(b'PLTE', bytes(palette))
    return data + png_chunk(b'IDAT', zlib.compress(bytes(raw), 9)) + png_chunk(b'IEND', b'')


ibase = pattern(37, 23)
ipx = ibase.load()
for name, depth, ctype, fn, pal in [
    ('interlaced-rgb.png', 8, 2, lambda x, y: ipx[x, y], None),
    ('interlaced-rgba16.png', 16, 6, lambda x, y: tuple(v * 257 for v in ipx[x, y]) + (((x * 7 + y * 3) % 256) * 257,), None),
    ('interlaced-gray2.png', 2, 0, lambda x, y: ((ipx[x, y][0] >> 6),), None),
    ('interlaced-palette4.png', 4, 3, lambda x, y: ((x + 2 * y) % 16,), [c for i in range(16) for c in (i * 16, 255 - i * 16, (i * 40) % 256)]),
]:
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(interlaced_png(ibase, depth, ctype, fn, pal))
    save(name + '.expected.png', Image.open(os.path.join(OUT, name)).convert('RGBA'))

# Big but tiny: a 2100x2100 solid lossless WebP (17.6 MB as RGBA, a few hundred bytes encoded), past the size after
# which the decoder starts a fresh wasm instance.
save('big-solid.webp', Image.new('RGB', (2100, 2100), (30, 140, 200)), lossless=True)

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
# Resizing a reduced copy (what JPEG DCT scaling hands the resizer): Pillow's `box` says how much of it the
# output spans, fractional when the reduction factor does not divide the size.
box_cases = {}
for name, size, box in [('box-16x10', (16, 10), (0, 0, 33.5, 20.25)), ('box-7x9', (7, 9), (0, 0, 36.125, 22.875))]:
    save(f'resize-{name}.png', src.resize(size, Image.BILINEAR, box=box))
    box_cases[name] = {'size': size, 'box': box}
save('resize-src-L.png', src.convert('L'))
save('resize-L-bilinear-16x10.png', src.convert('L').resize((16, 10), Image.BILINEAR))
# torchvision Resize(20) + CenterCrop(16) on the 37x23 source: shorter side 20 -> 32x20, crop origin (8, 2).
short = src.resize((int(20 * 37 / 23), 20), Image.BILINEAR)
left, top = int(round((short.width - 16) / 2.0)), int(round((short.height - 16) / 2.0))
save('resize-crop-20-16.png', short.crop((left, top, left + 16, top + 16)))

# --- decode to size ------------------------------------------------------------------------------------------------
# What the fast path must produce for a JPEG: libjpeg's DCT-scaled decode (Pillow's draft) at the factor our code picks,
# EXIF transpose, convert, then the antialiased resize over the box the reduced image spans. One 8-bit PNG per case.
def photo(w, h):
    im = pattern(w, h)
    px = im.load()
    for y in range(h):
        for x in range(w):
            r, g, b = px[x, y]
            n = rng.randrange(-20, 21)
            px[x, y] = (max(0, min(255, r + n)), max(0, min(255, g - n)), max(0, min(255, b + n // 2)))
    return im


to_size = {}
p203 = photo(203, 157)
exif6 = Image.Exif()
exif6[0x0112] = 6
for name, save_kw, mode, size, scale in [
    ('size-420.jpg', dict(quality=90, subsampling=2), 'RGB', (24, 18), 4),
    ('size-444.jpg', dict(quality=90, subsampling=0), 'RGB', (11, 9), 8),
    ('size-progressive.jpg', dict(quality=90, subsampling=2, progressive=True), 'RGB', (40, 30), 2),
    ('size-gray.jpg', dict(quality=90), 'L', (24, 18), 4),
    ('size-orient6.jpg', dict(quality=90, subsampling=2, exif=exif6.tobytes()), 'RGB', (24, 18), 4),
]:
    im = p203.convert('L') if mode == 'L' and 'gray' in name else p203
    if 'orient6' in name:
        im = im.rotate(90, expand=True)  # stored sideways; upright is 203x157 again after transpose
    im.save(os.path.join(OUT, name), **save_kw)
    dec = Image.open(os.path.join(OUT, name))
    sw, sh = dec.size
    dec.draft(dec.mode, (sw // scale, sh // scale))
    assert dec.size == ((sw + scale - 1) // scale, (sh + scale - 1) // scale), (name, dec.size)
    dec = ImageOps.exif_transpose(dec).convert(mode)
    uw, uh = (sh, sw) if 'orient6' in name else (sw, sh)
    out = dec.resize(size, Image.BILINEAR, box=(0, 0, uw / scale, uh / scale))
    save(name + f'.fast-{size[0]}x{size[1]}.png', out)
    to_size[name] = {'mode': mode, 'size': size, 'scale': scale}

with open(os.path.join(OUT, 'README.json'), 'w') as f:
    json.dump({'generator': 'packages/core/scripts/make-image-fixtures.py', 'pillow': pil_version, 'resizeCases': cases, 'boxCases': box_cases, 'toSize': to_size,
               'crop': {'shorterSide': 20, 'size': 16, 'resized': [short.width, short.height], 'origin': [left, top]}}, f, indent=1)
print('wrote', len(os.listdir(OUT)), 'files to', os.path.normpath(OUT))
