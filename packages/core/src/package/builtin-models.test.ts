import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { BUILTIN_MODELS } from './builtin-ids.js';
import { importBuiltinModel, resolveModel } from './builtin-models.js';
import { resolvePackage } from './resolve.js';

const repoModel = (id: string, file: string) => new URL(`../../../../models/${id}/${file}`, import.meta.url);

describe('built-in model ids', () => {
  it('come from @resnet-edge/models with no configuration, verified against their manifest', async () => {
    for (const id of BUILTIN_MODELS) {
      const { manifest, bytes } = await resolveModel({ model: id });
      expect(manifest.id).toBe(id);
      const onnx = manifest.files.find((f) => f.role === 'model')!;
      // Buffer.equals: toEqual walks megabytes element by element.
      expect(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(readFileSync(repoModel(id, onnx.path)))).toBe(true);
    }
  });

  it('report progress once the bytes are in memory', async () => {
    const seen: { loaded: number; total: number }[] = [];
    const { bytes } = await resolveModel({ model: 'fmnist-resnet20', onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([{ loaded: bytes.byteLength, total: bytes.byteLength }]);
  });

  it('modelBaseUrl overrides the package: the manifest and model are fetched from there', async () => {
    const urls: string[] = [];
    const fetchFromRepo = async (input: string | URL | Request) => {
      const url = String(input);
      urls.push(url);
      const file = url.replace('https://cdn.example.com/m/', '');
      return new Response(readFileSync(new URL(`../../../../models/${file}`, import.meta.url)));
    };
    const { manifest } = await resolveModel({ model: 'fmnist-resnet20', modelBaseUrl: 'https://cdn.example.com/m', fetch: fetchFromRepo as typeof fetch });
    expect(manifest.id).toBe('fmnist-resnet20');
    expect(urls).toEqual(['https://cdn.example.com/m/fmnist-resnet20/model.json', 'https://cdn.example.com/m/fmnist-resnet20/model.int8.onnx']);
  });

  it('unknown ids list the known ones', async () => {
    const err = await resolveModel({ model: 'no-such-model' }).catch((e: unknown) => e);
    expect((err as ResNetEdgeError).code).toBe('UNKNOWN_MODEL');
    expect((err as Error).message).toContain('fmnist-resnet20');
  });

  it('without a built-in loader (the Web Worker script), an id asks for bytes or a base URL', async () => {
    const err = await resolvePackage({ model: 'fmnist-resnet20' }).catch((e: unknown) => e);
    expect((err as ResNetEdgeError).code).toBe('UNKNOWN_MODEL');
    expect((err as Error).message).toContain('modelBaseUrl');
  });

  it('each id imports its own module', async () => {
    const a = await importBuiltinModel('fmnist-resnet20');
    const b = await importBuiltinModel('fmnist-scenes-centernet');
    expect((a.manifest as { task: string }).task).toBe('classification');
    expect((b.manifest as { task: string }).task).toBe('detection');
  });
});
