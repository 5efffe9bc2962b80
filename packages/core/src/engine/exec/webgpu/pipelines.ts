/** Compute pipelines of the ops' WGSL kernels (engine/ops/op-registry.ts), compiled once per device and shader variant. */
import { BackendError } from '../../../errors.js';
import { gpuShaders } from '../../ops/op-registry.js';

/** Lazily compiles each shader once for a device. `packed` selects dot4I8Packed or the portable fallback. */
export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();
  private readonly sources = gpuShaders();
  constructor(private readonly device: GPUDevice, readonly packed: boolean) {}

  /** The pipeline of a shader (created on first use). */
  get(name: string): GPUComputePipeline {
    let p = this.cache.get(name);
    if (!p) {
      const source = this.sources[name];
      if (!source) throw new BackendError('INTERNAL', `webgpu: no shader named '${name}'`);
      const module = this.device.createShaderModule({ label: `resnet-edge ${name}`, code: source(this.packed) });
      p = this.device.createComputePipeline({ label: `resnet-edge ${name}`, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.cache.set(name, p);
    }
    return p;
  }
}
