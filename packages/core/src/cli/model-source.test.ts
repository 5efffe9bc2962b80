import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode } from '../testing/error-code.js';
import { modelBaseUrl, modelSource } from './model-source.js';

const dir = mkdtempSync(join(tmpdir(), 're-modelsrc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'pkg'));
writeFileSync(join(dir, 'pkg', 'model.json'), '{}');
writeFileSync(join(dir, 'pkg', 'model.int8.onnx'), 'x');
mkdirSync(join(dir, 'empty'));
mkdirSync(join(dir, 'hf'));
writeFileSync(join(dir, 'hf', 'config.json'), '{}');
const manifestUrl = pathToFileURL(join(dir, 'pkg', 'model.json')).href;

describe('modelSource', () => {
  it('keeps built-in ids and URLs, and turns paths to a model.json or its folder into file: URLs', async () => {
    expect(await modelSource('fmnist-resnet20')).toBe('fmnist-resnet20');
    expect(String(await modelSource('https://example.com/m/model.json'))).toBe('https://example.com/m/model.json');
    expect(String(await modelSource(manifestUrl))).toBe(manifestUrl);
    expect(String(await modelSource(join(dir, 'pkg', 'model.json')))).toBe(manifestUrl);
    expect(String(await modelSource(join(dir, 'pkg')))).toBe(manifestUrl);
    expect(String(await modelSource(`${join(dir, 'pkg')}/`))).toBe(manifestUrl);
    const rel = relative(process.cwd(), join(dir, 'pkg'));
    expect(String(await modelSource(`./${rel}/model.json`))).toBe(manifestUrl);
    expect(String(await modelSource(rel))).toBe(manifestUrl);
    // A Hugging Face folder without model.json: its folder URL (load() reads config.json and onnx/).
    expect(String(await modelSource(join(dir, 'hf')))).toBe(`${pathToFileURL(join(dir, 'hf')).href}/`);
  });

  it('leaves an unknown bare word to load() (UNKNOWN_MODEL) but reports missing paths as FILE_NOT_FOUND', async () => {
    expect(await modelSource('resnet50')).toBe('resnet50');
    expect(await errorCode(modelSource('./nope/model.json'))).toBe('FILE_NOT_FOUND');
    expect(await errorCode(modelSource(join(dir, 'missing')))).toBe('FILE_NOT_FOUND');
    expect(await errorCode(modelSource(join(dir, 'empty')))).toBe('FILE_NOT_FOUND'); // a folder without model.json
    expect(await errorCode(modelSource(join(dir, 'pkg', 'model.int8.onnx')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(modelSource('http://exa mple.com/model.json'))).toBe('INVALID_ARGUMENT');
  });
});

describe('modelBaseUrl', () => {
  it('keeps URLs and turns folders into file: URLs ending in a slash', () => {
    expect(modelBaseUrl('https://cdn.example.com/models/')).toBe('https://cdn.example.com/models/');
    expect(String(modelBaseUrl(dir))).toBe(`${pathToFileURL(dir).href}/`);
    expect(String(modelBaseUrl(`${dir}/`))).toBe(`${pathToFileURL(dir).href}/`);
  });
});
