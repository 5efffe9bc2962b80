#!/usr/bin/env python3
"""JPEG fixtures for packages/core/src/image/jpeg/*.test.ts, with Pillow (libjpeg-turbo) as the reference decoder.

Two sets:
  cache DIR   Real photos (skimage's sample images) encoded by Pillow in many layouts, written to DIR with Pillow's
              decode at scale 1 and its draft() (libjpeg scale_denom) decodes at 1/2, 1/4, 1/8 as raw RGB, plus
              manifest.json. Run by the tests at test time (needs python3-pil and python3-skimage; scripts/test.sh
              installs them). Nothing of it is committed.
  bench DIR   12 MP (4032x3024) "phone photos" for jpeg.bench.ts: a mosaic of skimage photos, upscaled, with sensor-like
              noise, at quality 90, 4:2:0 and 4:4:4, baseline and progressive (2.2-3.4 MB each).
  committed   The small files in this folder that Pillow cannot encode (restart markers, 4:4:0, 4:1:1, 3x1, mixed
              sampling, non-interleaved sequential scans, custom progressive scripts, Adobe RGB, arithmetic coding),
              made with cjpeg/jpegtran (Debian libjpeg-turbo-progs, needed only to regenerate), with expected PNGs
              from Pillow. Run by hand:  /usr/bin/python3 packages/core/test-fixtures/jpeg/make-jpeg-fixtures.py committed

Deterministic: fixed crops, fixed encoder settings.
"""
import io
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageFile, __version__ as pil_version, features

HERE = os.path.dirname(os.path.abspath(__file__))
SCALES = (1, 2, 4, 8)


def skimage_photo(name):
    from skimage import data  # imported lazily: only the cache set needs it
    return Image.fromarray(getattr(data, name)())


def pillow_decodes(path):
    """[(scale, width, height, rgb bytes)] for every scale Pillow's draft() really applies to this file."""
    out = []
    for s in SCALES:
        im = Image.open(path)
        if s > 1:
            w, h = im.size
            im.draft(im.mode, (max(1, w // s), max(1, h // s)))
            got = im.decoderconfig[0] if im.decoderconfig else 1
            if got != s:
                continue
        im.load()
        out.append((s, im.size[0], im.size[1], im.convert('RGB').tobytes()))
    return out


def cache_cases():
    astro = skimage_photo('astronaut')
    coffee = skimage_photo('coffee')
    chelsea = skimage_photo('chelsea')
    rocket = skimage_photo('rocket')
    camera = skimage_photo('camera')
    crop = astro.crop((141, 60, 141 + 227, 60 + 149))  # odd size, face and background
    cases = [
        ('astronaut-420-q90', astro, dict(quality=90, subsampling=2)),
        ('astronaut-422-q90', astro, dict(quality=90, subsampling=1)),
        ('astronaut-444-q90', astro, dict(quality=90, subsampling=0)),
        ('astronaut-420-prog', astro, dict(quality=90, subsampling=2, progressive=True)),
        ('astronaut-444-prog', astro, dict(quality=90, subsampling=0, progressive=True)),
        ('coffee-420-q75-opt', coffee, dict(quality=75, subsampling=2, optimize=True)),
        ('coffee-422-prog-q80', coffee, dict(quality=80, subsampling=1, progressive=True)),
        ('chelsea-444-q95', chelsea, dict(quality=95, subsampling=0)),
        ('chelsea-420-prog-q85', chelsea, dict(quality=85, subsampling=2, progressive=True)),
        ('chelsea-444-q100', chelsea, dict(quality=100, subsampling=0)),
        ('rocket-422-q85', rocket, dict(quality=85, subsampling=1)),
        ('rocket-420-q10', rocket, dict(quality=10, subsampling=2)),
        ('camera-gray-q90', camera, dict(quality=90)),
        ('camera-gray-prog', camera, dict(quality=90, progressive=True)),
        ('astronaut-cmyk-q90', astro.convert('CMYK'), dict(quality=90)),
        ('odd-227x149-420', crop, dict(quality=90, subsampling=2)),
        ('odd-227x149-422', crop, dict(quality=90, subsampling=1)),
        ('odd-227x149-444', crop, dict(quality=90, subsampling=0)),
        ('odd-227x149-420-prog', crop, dict(quality=90, subsampling=2, progressive=True)),
        ('odd-227x149-gray', crop.convert('L'), dict(quality=90)),
        ('odd-227x149-cmyk', crop.convert('CMYK'), dict(quality=90)),
        ('odd-9x17-420', crop.resize((9, 17)), dict(quality=90, subsampling=2)),
        ('odd-17x9-422', crop.resize((17, 9)), dict(quality=90, subsampling=1)),
        ('odd-3x3-420', crop.resize((3, 3)), dict(quality=90, subsampling=2)),
        ('odd-1x1-420', crop.resize((1, 1)), dict(quality=90, subsampling=2)),
        ('odd-2x40-420', crop.resize((2, 40)), dict(quality=90, subsampling=2)),
        ('odd-200x3-420-prog', crop.resize((200, 3)), dict(quality=90, subsampling=2, progressive=True)),
    ]
    return cases


def make_cache(out):
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, im, kw in cache_cases():
        path = os.path.join(out, name + '.jpg')
        im.save(path, **kw)
        expected = []
        for s, w, h, rgb in pillow_decodes(path):
            f = f'{name}.s{s}.rgb'
            with open(os.path.join(out, f), 'wb') as fh:
                fh.write(rgb)
            expected.append(dict(scale=s, width=w, height=h, file=f))
        manifest.append(dict(name=name, file=name + '.jpg', expected=expected))
    # Cut-off files: Pillow with LOAD_TRUNCATED_IMAGES appends EOI and libjpeg fills the rest as it does.
    for name, src, cut in (('cut-astronaut-420-q90', 'astronaut-420-q90', 300), ('cut-odd-227x149-444', 'odd-227x149-444', 40),
                           ('cut-astronaut-420-prog', 'astronaut-420-prog', 0.6)):
        with open(os.path.join(out, src + '.jpg'), 'rb') as fh:
            data = fh.read()
        data = data[:int(len(data) * cut)] if cut < 1 else data[:-cut]
        with open(os.path.join(out, name + '.jpg'), 'wb') as fh:
            fh.write(data)
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            im = Image.open(os.path.join(out, name + '.jpg'))
            rgb = im.convert('RGB').tobytes()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        with open(os.path.join(out, name + '.s1.rgb'), 'wb') as fh:
            fh.write(rgb)
        manifest.append(dict(name=name, file=name + '.jpg', truncated=True,
                             expected=[dict(scale=1, width=im.size[0], height=im.size[1], file=name + '.s1.rgb')]))
    info = dict(pillow=pil_version, libjpeg_turbo=features.version('libjpeg_turbo'), cases=manifest)
    with open(os.path.join(out, 'manifest.json'), 'w') as fh:
        json.dump(info, fh, indent=1)


def make_bench(out):
    import numpy as np
    from skimage import data
    os.makedirs(out, exist_ok=True)
    w, h = 4032, 3024
    tiles = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket(), data.immunohistochemistry(), data.astronaut()[:, ::-1]]
    canvas = Image.new('RGB', (w, h))
    for i, t in enumerate(tiles):
        canvas.paste(Image.fromarray(t).resize((w // 3, h // 2), Image.BICUBIC), ((i % 3) * (w // 3), (i // 3) * (h // 2)))
    noisy = np.asarray(canvas).astype(np.float32) + np.random.RandomState(7).normal(0, 4, (h, w, 3))
    canvas = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    for name, kw in (('12mp-420-q90', dict(subsampling=2)), ('12mp-444-q90', dict(subsampling=0)),
                     ('12mp-420-q90-prog', dict(subsampling=2, progressive=True)), ('12mp-444-q90-prog', dict(subsampling=0, progressive=True))):
        canvas.save(os.path.join(out, name + '.jpg'), quality=90, **kw)


def run(cmd, stdin_bytes=None):
    return subprocess.run(cmd, input=stdin_bytes, check=True, capture_output=True).stdout


def make_committed():
    astro = skimage_photo('astronaut')
    base = astro.crop((160, 40, 160 + 61, 40 + 45))  # odd size: partial MCUs at the right and bottom
    wide = skimage_photo('chelsea').crop((150, 60, 150 + 96, 60 + 64))
    tmp = tempfile.mkdtemp()
    ppm = os.path.join(tmp, 'in.ppm')
    base.save(ppm)
    ppm_wide = os.path.join(tmp, 'wide.ppm')
    wide.save(ppm_wide)

    def scans(text):
        p = os.path.join(tmp, 'scans.txt')
        with open(p, 'w') as fh:
            fh.write(text)
        return p

    def pillow_jpeg(im, **kw):
        b = io.BytesIO()
        im.save(b, 'JPEG', **kw)
        return b.getvalue()

    files = {
        'restart-420-3mcu.jpg': run(['jpegtran', '-restart', '3B'], pillow_jpeg(base, quality=90, subsampling=2)),
        'restart-444-1row.jpg': run(['jpegtran', '-restart', '1'], pillow_jpeg(base, quality=90, subsampling=0)),
        'restart-gray-1mcu.jpg': run(['cjpeg', '-quality', '85', '-grayscale', '-restart', '1B', ppm]),
        'restart-prog-5mcu.jpg': run(['jpegtran', '-progressive', '-restart', '5B'], pillow_jpeg(base, quality=90, subsampling=2)),
        'sample-440.jpg': run(['cjpeg', '-quality', '90', '-sample', '1x2', ppm]),
        'sample-411.jpg': run(['cjpeg', '-quality', '90', '-sample', '4x1', ppm]),
        'sample-31.jpg': run(['cjpeg', '-quality', '90', '-sample', '3x1', ppm]),
        'sample-mixed.jpg': run(['cjpeg', '-quality', '90', '-sample', '2x1,1x2,1x1', ppm]),
        'sample-440-prog.jpg': run(['cjpeg', '-quality', '90', '-sample', '1x2', '-progressive', ppm]),
        'noninterleaved-444.jpg': run(['cjpeg', '-quality', '90', '-sample', '1x1', '-scans', scans('0;\n2;\n1;\n'), ppm]),
        'noninterleaved-420.jpg': run(['cjpeg', '-quality', '90', '-sample', '2x2', '-scans', scans('0;\n1 2;\n'), ppm]),
        # Spectral selection in odd bands and three successive-approximation levels.
        'progressive-custom.jpg': run(['cjpeg', '-quality', '92', '-sample', '2x1', '-scans', scans(
            '0,1,2: 0-0, 0, 2;\n0: 1-5, 0, 3;\n0: 6-20, 0, 2;\n2: 1-63, 0, 1;\n1: 1-63, 0, 0;\n0: 21-63, 0, 1;\n'
            '0,1,2: 0-0, 2, 1;\n0: 1-5, 3, 2;\n0: 1-20, 2, 1;\n0: 1-63, 1, 0;\n2: 1-63, 1, 0;\n0,1,2: 0-0, 1, 0;\n'), ppm_wide]),
        'rgb-adobe.jpg': run(['cjpeg', '-quality', '90', '-rgb', ppm]),
        'baseline-420.jpg': pillow_jpeg(wide, quality=85, subsampling=2),
        'progressive-420.jpg': pillow_jpeg(wide, quality=85, subsampling=2, progressive=True),
        'arithmetic.jpg': run(['cjpeg', '-quality', '90', '-arithmetic', ppm]),
    }
    readme = {'_': 'Made by make-jpeg-fixtures.py committed; *.sN.png = Pillow decode at 1/N (draft).',
              'pillow': pil_version, 'libjpeg_turbo': features.version('libjpeg_turbo'), 'files': {}}
    for name, data in files.items():
        path = os.path.join(HERE, name)
        with open(path, 'wb') as fh:
            fh.write(data)
        if name == 'arithmetic.jpg':
            readme['files'][name] = 'arithmetic coding: must be refused'
            continue
        scales = []
        for s, w, h, rgb in pillow_decodes(path):
            Image.frombytes('RGB', (w, h), rgb).save(os.path.join(HERE, f'{name[:-4]}.s{s}.png'), optimize=True)
            scales.append(s)
        readme['files'][name] = dict(bytes=len(data), scales=scales)
    with open(os.path.join(HERE, 'README.json'), 'w') as fh:
        json.dump(readme, fh, indent=1)


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'cache':
        make_cache(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == 'bench':
        make_bench(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == 'committed':
        make_committed()
    else:
        sys.exit(__doc__)
