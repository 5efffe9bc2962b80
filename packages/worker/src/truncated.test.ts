/**
 * "Truncated is 422 everywhere" (hardening issue, item 3): the first 1-11 bytes of a real JPEG, PNG or WebP file
 * are IMAGE_DECODE_FAILED (422) from the Worker, the same code the SDK's classify() gives for the same bytes.
 * Before: the Worker sniffed the shortest ones as unknown/text and answered 415 UNSUPPORTED_IMAGE_FORMAT (20 of the
 * 33 cases here: JPEG 1-2, PNG 1-7, WebP 1-11 bytes; PNG 8-11 and JPEG 3-11 were already 422 and stay as guards).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, ResNetEdgeError, type ResNetModel } from '@resnet-edge/core';
import { createApp } from './app.js';
import type { Env } from './env.js';
import { statusForCode } from './http-error.js';
import { createWorkerBackends } from './worker-backends.js';
import { appCaller, expectJsonError } from './testing/app-client.js';
import { dirAssets, encodeJpeg, encodePng, FIXTURES, TINY_ID, writeTinyPackage } from './testing/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'resnet-edge-truncated-'));
writeTinyPackage({ root });
const env: Env = { ASSETS: dirAssets({ root }), MODELS: TINY_ID, DEFAULT_CLASSIFY_MODEL: TINY_ID, BACKEND: 'wasm' };
const call = appCaller({ app: createApp({ registry: createWorkerBackends() }), env, headers: {} });

const rgba = new Uint8Array(16 * 16 * 4).map((_, i) => (i * 29) % 256);
const FILES: Record<string, Uint8Array> = {
  JPEG: encodeJpeg({ rgba, width: 16, height: 16 }),
  PNG: encodePng({ rgba, width: 16, height: 16 }),
  WebP: new Uint8Array(readFileSync(join(FIXTURES, 'fmnist-t10k-0-lossless.webp'))),
};
const CASES = Object.entries(FILES).flatMap(([format, file]) =>
  Array.from({ length: 11 }, (_, i) => ({ name: `${format} cut to ${i + 1} byte${i ? 's' : ''}`, bytes: file.slice(0, i + 1) })),
);

let sdk: ResNetModel;
beforeAll(async () => {
  sdk = await load({ model: pathToFileURL(join(root, TINY_ID, 'model.json')), backend: 'wasm', registry: createWorkerBackends() });
});
afterAll(async () => {
  await sdk?.dispose();
});

async function sdkCode(bytes: Uint8Array): Promise<string> {
  try {
    await sdk.classify(bytes);
    return 'no error';
  } catch (e) {
    return e instanceof ResNetEdgeError ? e.code : String(e);
  }
}

describe('a truncated JPEG/PNG/WebP (1-11 bytes) is 422 IMAGE_DECODE_FAILED, as in the SDK', () => {
  it.each(CASES)('$name', async ({ bytes }) => {
    expect(await sdkCode(bytes)).toBe('IMAGE_DECODE_FAILED');
    expect(statusForCode('IMAGE_DECODE_FAILED')).toBe(422);
    await expectJsonError(await call({ path: '/v1/classify', body: bytes.slice() }), 422, 'IMAGE_DECODE_FAILED');
    await expectJsonError(await call({ path: '/v1/detect', body: bytes.slice() }), 422, 'IMAGE_DECODE_FAILED');
  });

  it('the same inside a Workers-AI JSON body', async () => {
    for (const file of Object.values(FILES)) {
      await expectJsonError(await call({ path: '/v1/classify', body: JSON.stringify({ image: Array.from(file.subarray(0, 5)) }) }), 422, 'IMAGE_DECODE_FAILED');
    }
  });

  it('bytes that only share a first letter with no signature stay 415, as in the SDK', async () => {
    for (const text of ['RIFX....WAVE', 'PNG image', '\u00ff\u00feab']) {
      const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0)));
      expect(await sdkCode(bytes)).toBe('UNSUPPORTED_IMAGE_FORMAT');
      await expectJsonError(await call({ path: '/v1/classify', body: bytes }), 415, 'UNSUPPORTED_IMAGE_FORMAT');
    }
  });
});
