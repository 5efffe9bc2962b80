/** Test helper: one Dawn device per test file, plus whether dot4I8Packed is available. */
import { afterAll, beforeAll } from 'vitest';
import { setupDawn } from './dawn-test-setup.js';
import { hasPackedDot } from '../engine/webgpu/wgsl-common.js';

/**
 * Registers beforeAll/afterAll hooks that create and destroy a device; read `.device` inside tests.
 *
 * @example
 * ```ts
 * const gpu = useTestDevice();
 * it('runs', async () => { await runQ8OpGpu({ device: gpu.device, ... }); });
 * ```
 */
export function useTestDevice(): { device: GPUDevice; packed: boolean } {
  const state = { device: undefined as unknown as GPUDevice, packed: false };
  beforeAll(async () => {
    const gpu = (await setupDawn())!;
    state.packed = hasPackedDot(gpu);
    state.device = await (await gpu.requestAdapter())!.requestDevice();
  });
  afterAll(() => state.device?.destroy());
  return state;
}
