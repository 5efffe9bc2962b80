/** Compute pipelines of the int8 kernels, compiled once per device and shader variant. */
import { addQ8Wgsl } from '../../ops/add/add.wgsl.js';
import { concatQ8Wgsl } from '../../ops/concat/concat.wgsl.js';
import { convQ8Wgsl } from '../../ops/conv/conv.wgsl.js';
import { gapQ8Wgsl } from '../../ops/global-avg-pool/global-avg-pool.wgsl.js';
import { poolQ8Wgsl } from '../../ops/pool/pool.wgsl.js';

export type KernelName = 'conv' | 'conv-f32' | 'add' | 'pool' | 'gap' | 'concat';

const SOURCES: Record<KernelName, (packed: boolean) => string> = {
  conv: (packed) => convQ8Wgsl({ packed, f32Out: false }),
  'conv-f32': (packed) => convQ8Wgsl({ packed, f32Out: true }),
  add: () => addQ8Wgsl(),
  pool: () => poolQ8Wgsl(),
  gap: () => gapQ8Wgsl(),
  concat: () => concatQ8Wgsl(),
};

/** Lazily compiles each kernel once for a device. `packed` selects dot4I8Packed or the portable fallback. */
export class PipelineCache {
  private readonly cache = new Map<KernelName, GPUComputePipeline>();
  constructor(private readonly device: GPUDevice, readonly packed: boolean) {}

  /** The pipeline for a kernel (created on first use). */
  get(name: KernelName): GPUComputePipeline {
    let p = this.cache.get(name);
    if (!p) {
      const module = this.device.createShaderModule({ label: `resnet-edge ${name}`, code: SOURCES[name](this.packed) });
      p = this.device.createComputePipeline({ label: `resnet-edge ${name}`, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.cache.set(name, p);
    }
    return p;
  }
}
