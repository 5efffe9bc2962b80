import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asFolder, huggingFaceFileUrl, sourceKind, toSourceUrl } from './source-url.js';

describe('toSourceUrl (Node: plain paths are files relative to the working directory)', () => {
  it('relative and absolute paths become file: URLs; a trailing slash keeps meaning "folder"', () => {
    expect(toSourceUrl('./x/model.json').href).toBe(pathToFileURL(resolve('x/model.json')).href);
    expect(toSourceUrl('x/model.json').href).toBe(pathToFileURL(resolve('x/model.json')).href);
    expect(toSourceUrl('/abs/resnet-50/').href).toBe('file:///abs/resnet-50/');
    expect(toSourceUrl('../m.onnx').href).toBe(pathToFileURL(resolve('../m.onnx')).href);
  });

  it('URLs stay URLs; URL objects pass through (HF pages rewritten)', () => {
    expect(toSourceUrl('https://example.com/m/model.json').href).toBe('https://example.com/m/model.json');
    expect(toSourceUrl('file:///tmp/m/').href).toBe('file:///tmp/m/');
    expect(toSourceUrl(new URL('https://huggingface.co/Xenova/resnet-50')).href).toBe('https://huggingface.co/Xenova/resnet-50/resolve/main/');
  });

  it('an empty string is INVALID_ARGUMENT', () => {
    expect(() => toSourceUrl('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('huggingFaceFileUrl', () => {
  it.each([
    ['https://huggingface.co/Xenova/resnet-50', 'https://huggingface.co/Xenova/resnet-50/resolve/main/'],
    ['https://huggingface.co/Xenova/resnet-50/', 'https://huggingface.co/Xenova/resnet-50/resolve/main/'],
    ['https://huggingface.co/Xenova/resnet-50/tree/v1', 'https://huggingface.co/Xenova/resnet-50/resolve/v1/'],
    ['https://huggingface.co/Xenova/resnet-50/tree/main/onnx', 'https://huggingface.co/Xenova/resnet-50/resolve/main/onnx/'],
    ['https://huggingface.co/Xenova/resnet-50/blob/main/onnx/model.onnx', 'https://huggingface.co/Xenova/resnet-50/resolve/main/onnx/model.onnx'],
    ['https://huggingface.co/Xenova/resnet-50/resolve/main/', 'https://huggingface.co/Xenova/resnet-50/resolve/main/'],
    ['https://huggingface.co/datasets/x/y', 'https://huggingface.co/datasets/x/y'],
    ['https://example.com/Xenova/resnet-50', 'https://example.com/Xenova/resnet-50'],
  ])('%s -> %s', (from, to) => {
    expect(huggingFaceFileUrl(new URL(from)).href).toBe(to);
  });
});

describe('sourceKind / asFolder', () => {
  it('classifies by extension; everything else is a folder', () => {
    expect(sourceKind(new URL('https://x.test/a/model.json'))).toBe('manifest');
    expect(sourceKind(new URL('https://x.test/a/Model.ONNX'))).toBe('onnx');
    expect(sourceKind(new URL('https://x.test/a/resnet-50'))).toBe('folder');
    expect(sourceKind(new URL('https://x.test/a/'))).toBe('folder');
  });
  it('asFolder adds the slash and drops query and hash', () => {
    expect(asFolder(new URL('https://x.test/a/resnet?x=1#y')).href).toBe('https://x.test/a/resnet/');
  });
});
