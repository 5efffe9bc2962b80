// classify()/detect()/runTensor() options are checked like load()'s: a typo, null or a bad value is INVALID_ARGUMENT.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from './load.js';
import { mergeImageOptions } from './call-options.js';
import type { ResNetModel } from './model.js';

const sample = (path: string) => new Uint8Array(readFileSync(new URL(`../../../../models/${path}`, import.meta.url)));
const png = sample('fmnist-resnet20/samples/bag.png');
const scene = sample('fmnist-scenes-centernet/samples/scene-1.png');
const invalid = (message: RegExp) => expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) });

let cls: ResNetModel;
let det: ResNetModel;
beforeAll(async () => {
  [cls, det] = await Promise.all([load({ model: 'fmnist-resnet20', backend: 'wasm' }), load({ model: 'fmnist-scenes-centernet', backend: 'wasm' })]);
});
afterAll(async () => {
  await Promise.all([cls?.dispose(), det?.dispose()]);
});

describe('classify() options', () => {
  it('an unknown key is named, with a hint (topk was ignored and 5 labels came back)', async () => {
    await expect(cls.classify(png, { topk: 1 } as never)).rejects.toMatchObject(invalid(/Unknown classify\(\) option "topk" \(did you mean "topK"\?\)/));
  });

  it('null or a string is INVALID_ARGUMENT (null threw a TypeError, a string was ignored); undefined is the defaults', async () => {
    await expect(cls.classify(png, null as never)).rejects.toMatchObject(invalid(/classify\(\) options must be an object, got null/));
    await expect(cls.classify(png, 'x' as never)).rejects.toMatchObject(invalid(/got "x"/));
    expect(await cls.classify(png)).toHaveLength(5);
    expect(await cls.classify(png, undefined)).toHaveLength(5);
  });

  it('preprocess keys and values are checked: maxPixels NaN decoded anything, "purple" composited over black', async () => {
    await expect(cls.classify(png, { preprocess: { bogus: 1 } as never })).rejects.toMatchObject(invalid(/Unknown classify\(\) preprocess option "bogus"/));
    await expect(cls.classify(png, { preprocess: null as never })).rejects.toMatchObject(invalid(/preprocess must be an object/));
    for (const p of [{ maxPixels: NaN }, { maxPixels: 'abc' }, { maxPixels: 0 }, { maxPixels: -1 }, { maxBytes: 0 }, { decode: 'bogus' }, { alphaBackground: 'purple' }]) {
      await expect(cls.classify(png, { preprocess: p as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    await expect(cls.classify(png, { preprocess: { maxPixels: 10 } })).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});

describe('detect() options', () => {
  it('an unknown key is named (scoreTreshold was ignored)', async () => {
    await expect(det.detect(scene, { scoreTreshold: 0.99 } as never)).rejects.toMatchObject(invalid(/Unknown detect\(\) option "scoreTreshold" \(did you mean "scoreThreshold"\?\)/));
    await expect(det.detect(scene, null as never)).rejects.toMatchObject(invalid(/detect\(\) options must be an object/));
  });

  it('scoreThreshold is a number in [0, 1] (2 and Infinity returned [], -1 every box)', async () => {
    for (const scoreThreshold of [2, Infinity, -1, NaN]) {
      await expect(det.detect(scene, { scoreThreshold })).rejects.toMatchObject(invalid(/scoreThreshold must be a number in \[0, 1\]/));
    }
    expect((await det.detect(scene, { scoreThreshold: 1 })).length).toBe(0);
    expect((await det.detect(scene)).length).toBeGreaterThan(0);
  });
});

describe('runTensor() options', () => {
  it('null and unknown keys are INVALID_ARGUMENT', async () => {
    const t = { data: new Float32Array(784), dims: [1, 1, 28, 28] };
    await expect(cls.runTensor(t, null as never)).rejects.toMatchObject(invalid(/runTensor\(\) options must be an object/));
    await expect(cls.runTensor(t, { signl: undefined } as never)).rejects.toMatchObject(invalid(/Unknown runTensor\(\) option "signl"/));
    expect(Object.keys(await cls.runTensor(t))).toHaveLength(1);
  });
});

describe('mergeImageOptions', () => {
  it("keeps the load's value where the call's is undefined, so a per-call undefined cannot lift a limit", () => {
    expect(mergeImageOptions({ maxPixels: 100, decode: 'fast' }, { maxPixels: undefined, decode: 'exact' })).toEqual({ maxPixels: 100, decode: 'exact' });
    expect(mergeImageOptions({ maxPixels: 100 }, undefined)).toEqual({ maxPixels: 100 });
  });
});
