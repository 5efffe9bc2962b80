import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../../errors.js';
import { loadOrtModule, type OrtModule } from './ort-module.js';

describe('loadOrtModule', () => {
  it('imports the installed package at run time and applies wasmPaths', async () => {
    const before = ort.env.wasm.wasmPaths;
    try {
      const mod = await loadOrtModule({ device: 'wasm', options: { wasmPaths: 'https://cdn.example.com/ort/' } });
      expect(typeof mod.InferenceSession.create).toBe('function');
      expect(mod.env.wasm.wasmPaths).toBe('https://cdn.example.com/ort/');
    } finally {
      ort.env.wasm.wasmPaths = before;
    }
  });

  it('accepts the module, or a function importing it (what browser bundles pass)', async () => {
    expect((await loadOrtModule({ device: 'wasm', options: { module: ort as unknown as OrtModule } })).Tensor).toBe(ort.Tensor);
    expect((await loadOrtModule({ device: 'wasm', options: { module: async () => ort as unknown as OrtModule } })).Tensor).toBe(ort.Tensor);
  });

  it('a missing package is BACKEND_UNAVAILABLE that says what to install', async () => {
    const missing = () => Promise.reject(new Error("Cannot find package 'onnxruntime-web'"));
    const err = await loadOrtModule({ device: 'wasm', options: { module: missing } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResNetEdgeError);
    expect((err as ResNetEdgeError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as Error).message).toContain('npm install onnxruntime-web');
  });

  it('refuses a module that is not onnxruntime-web', async () => {
    const err = await loadOrtModule({ device: 'wasm', options: { module: {} as OrtModule } }).catch((e: unknown) => e);
    expect((err as ResNetEdgeError).code).toBe('BACKEND_UNAVAILABLE');
  });
});
