/** Test helper: Node + Dawn (`webgpu` npm package) on SwiftShader for the own WebGPU engine's tests. */
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let ready: Promise<GPU | undefined> | undefined;

/**
 * Installs Dawn as globalThis.__resnetEdgeGpu once; undefined (with a loud warning) when SwiftShader is missing.
 * `icd: 'system'` leaves Vulkan's driver choice to the loader (a real GPU, e.g. on the lent NVIDIA machine).
 */
export function setupDawn(o: { icd?: 'swiftshader' | 'system' } = {}): Promise<GPU | undefined> {
  ready ??= (async () => {
    if (o.icd !== 'system') {
      if (!existsSync(SWIFTSHADER_ICD)) {
        console.warn(`\n*** SKIPPING WebGPU tests: ${SWIFTSHADER_ICD} is missing (apt-get install chromium) ***\n`);
        return undefined;
      }
      process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
    }
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const gpu = create([]) as unknown as GPU;
    (globalThis as { __resnetEdgeGpu?: GPU }).__resnetEdgeGpu = gpu;
    return gpu;
  })();
  return ready;
}

/** Whether the SwiftShader ICD exists (for describe.skipIf). */
export const hasSwiftShader = existsSync(SWIFTSHADER_ICD);
