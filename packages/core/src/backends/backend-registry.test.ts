import { describe, expect, it, vi } from 'vitest';
import { BackendError } from '../errors.js';
import type { Backend, InferenceSession, ResolvedBackend } from './types.js';
import { createBackendRegistry } from './backend-registry.js';

function fakeBackend(name: ResolvedBackend, priority: number, behaviour: { available?: boolean; fallbackAdapter?: boolean; fails?: boolean; crashes?: boolean }): Backend & { probes: number } {
  const b = {
    name,
    priority,
    probes: 0,
    async probe() {
      b.probes++;
      return { available: behaviour.available ?? true, fallbackAdapter: behaviour.fallbackAdapter };
    },
    async createSession(): Promise<InferenceSession> {
      if (behaviour.fails) throw new BackendError('UNSUPPORTED_OP', `${name} cannot run op X`);
      if (behaviour.crashes) throw new RangeError('byte length of Float32Array should be a multiple of 4');
      return { backend: name, inputNames: ['x'], outputNames: ['y'], run: async () => ({}), dispose: async () => {} };
    },
  };
  return b;
}

const opts = { manifest: {} as never, modelBytes: new Uint8Array() };

describe('backend registry', () => {
  it('picks the highest-priority available backend and caches probes', async () => {
    const r = createBackendRegistry();
    const a = fakeBackend('ort-wasm', 10, {});
    const b = fakeBackend('wasm', 30, {});
    r.register(a);
    r.register(b);
    expect((await r.createSession({ ...opts, backend: 'auto' })).backend).toBe('wasm');
    await r.createSession({ ...opts, backend: 'auto' });
    expect(b.probes).toBe(1);
  });
  it('falls through on failure and reports why', async () => {
    const r = createBackendRegistry();
    r.register(fakeBackend('wasm', 30, { fails: true }));
    r.register(fakeBackend('ort-wasm', 10, {}));
    const onFallback = vi.fn();
    expect((await r.createSession({ ...opts, backend: 'auto', onFallback })).backend).toBe('ort-wasm');
    expect(onFallback).toHaveBeenCalledWith(expect.objectContaining({ backend: 'wasm', code: 'UNSUPPORTED_OP' }));
  });
  it('auto skips a software GPU adapter, but it can be forced by name', async () => {
    const r = createBackendRegistry();
    r.register(fakeBackend('webgpu', 40, { fallbackAdapter: true }));
    r.register(fakeBackend('wasm', 30, {}));
    expect((await r.createSession({ ...opts, backend: 'auto' })).backend).toBe('wasm');
    expect((await r.createSession({ ...opts, backend: 'webgpu' })).backend).toBe('webgpu');
  });
  it('a named unavailable backend is a typed error', async () => {
    const r = createBackendRegistry();
    r.register(fakeBackend('webgpu', 40, { available: false }));
    await expect(r.createSession({ ...opts, backend: 'webgpu' })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await expect(r.createSession({ ...opts, backend: 'ort-wasm' })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    await expect(r.createSession({ ...opts, backend: 'auto' })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
  it('a named backend that crashes while creating a session gives a typed error, its typed errors pass through', async () => {
    const r = createBackendRegistry();
    r.register(fakeBackend('wasm', 30, { crashes: true }));
    r.register(fakeBackend('ort-wasm', 10, { fails: true }));
    await expect(r.createSession({ ...opts, backend: 'wasm' })).rejects.toMatchObject({
      name: 'BackendError',
      code: 'BACKEND_UNAVAILABLE',
      message: expect.stringContaining('multiple of 4'),
      cause: expect.any(RangeError),
    });
    await expect(r.createSession({ ...opts, backend: 'ort-wasm' })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP' });
  });
});
