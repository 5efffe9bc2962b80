import { describe, expect, it } from 'vitest';
import { hfInputSpec, hfModelConfig } from './hf-config.js';

const IMAGENET = { image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225] };

describe('hfModelConfig (config.json)', () => {
  it('id2label in id order, task from architectures', () => {
    expect(hfModelConfig({ architectures: ['ResNetForImageClassification'], id2label: { 1: 'dog', 0: 'cat' } })).toEqual({
      labels: ['cat', 'dog'],
      task: 'classification',
      architecture: 'ResNetForImageClassification',
    });
    expect(hfModelConfig({ architectures: ['DetrForObjectDetection'] }).task).toBe('detection');
  });

  it('gaps in id2label and unsupported architectures are INVALID_MODEL', () => {
    expect(() => hfModelConfig({ id2label: { 0: 'a', 2: 'c' } })).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
    expect(() => hfModelConfig({ architectures: ['YolosForObjectDetection'] })).toThrow(/not supported/);
  });
});

describe('hfInputSpec (preprocessor_config.json)', () => {
  it('microsoft/resnet-50 (old-style int size, ConvNext feature extractor): shortest edge 256 bicubic, floor crop 224', () => {
    const spec = hfInputSpec({ feature_extractor_type: 'ConvNextFeatureExtractor', size: 224, crop_pct: 0.875, resample: 3, do_normalize: true, ...IMAGENET });
    expect(spec).toEqual({
      shape: [1, 3, 224, 224],
      channels: 'rgb',
      resize: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bicubic', cropRounding: 'floor' },
      scale: 255,
      mean: IMAGENET.image_mean,
      std: IMAGENET.image_std,
    });
  });

  it('ConvNeXt at 384 or more warps to a square (no crop); crop_pct defaults to 224/256', () => {
    expect(hfInputSpec({ image_processor_type: 'ConvNextImageProcessor', size: { shortest_edge: 384 }, ...IMAGENET }).resize).toEqual({ mode: 'stretch', filter: 'bicubic' });
    expect(hfInputSpec({ image_processor_type: 'ConvNextImageProcessor', size: { shortest_edge: 288 }, ...IMAGENET }).resize).toEqual({
      mode: 'shorter-side-crop',
      shorterSide: 329,
      filter: 'bicubic',
      cropRounding: 'floor',
    });
  });

  it('BiT-style shortest_edge + crop_size, ViT-style height/width, rescale and normalize switches', () => {
    const bit = hfInputSpec({ image_processor_type: 'BitImageProcessor', size: { shortest_edge: 256 }, crop_size: { height: 224, width: 224 }, do_center_crop: true, resample: 3, ...IMAGENET });
    expect(bit.resize).toEqual({ mode: 'shorter-side-crop', shorterSide: 256, filter: 'bicubic', cropRounding: 'floor' });
    expect(bit.shape).toEqual([1, 3, 224, 224]);
    const vit = hfInputSpec({ image_processor_type: 'ViTImageProcessor', size: { height: 192, width: 160 }, resample: 2, do_normalize: false, rescale_factor: 0.5 });
    expect(vit).toMatchObject({ shape: [1, 3, 192, 160], resize: { mode: 'stretch', filter: 'bilinear' }, scale: 2, mean: [0, 0, 0], std: [1, 1, 1] });
    expect(hfInputSpec({ size: 224, do_rescale: false, image_mean: 0.5, image_std: 0.5 })).toMatchObject({ shape: [1, 3, 224, 224], scale: 1, mean: [0.5, 0.5, 0.5] });
  });

  it('DETR (shortest/longest edge) becomes a letterbox padded with the mean (0 after normalizing)', () => {
    const detr = hfInputSpec({ image_processor_type: 'DetrImageProcessor', size: { shortest_edge: 800, longest_edge: 1333 }, ...IMAGENET });
    expect(detr.resize?.mode).toBe('letterbox');
    expect((detr.resize?.padValue as number[]).map((v, i) => v / 255 - IMAGENET.image_mean[i])).toEqual([0, 0, 0]);
  });

  it('what the input spec cannot express is INVALID_MODEL, not approximated', () => {
    expect(() => hfInputSpec({ size: { height: 256, width: 256 }, crop_size: { height: 224, width: 224 }, do_center_crop: true, ...IMAGENET })).toThrow(/not supported/);
    expect(() => hfInputSpec({ size: 224, resample: 9, ...IMAGENET })).toThrow(/resample 9/);
    expect(() => hfInputSpec({ size: 224 })).toThrow(/image_mean/);
    expect(() => hfInputSpec({ image_processor_type: 'BitImageProcessor', size: 224, do_center_crop: false, ...IMAGENET })).toThrow(/input size open/);
  });
});
