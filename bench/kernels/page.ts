/** Page entry of bench/kernels/browser.ts (bundled with esbuild, run in headless Chromium). */
import { usdotWorks } from '../../packages/core/src/engine/wasm/engine-select.js';
import { runKernelBench, type KernelRow } from './kernel-bench.js';
import { benchEngines } from './variants.js';

declare global {
  interface Window {
    kernelBench(o: { budgetMs: number; only?: string[]; engines?: string[] }): Promise<{ rows: KernelRow[]; engines: string[]; usdot: boolean; userAgent: string }>;
  }
}

window.kernelBench = async ({ budgetMs, only, engines: names }) => {
  const engines = await benchEngines(names);
  const relaxed = engines.find((e) => e.engine.relaxed);
  const usdot = relaxed ? usdotWorks(relaxed.engine.exports, relaxed.engine.memory) : false;
  const rows = runKernelBench({ engines, budgetMs, only, log: (s) => console.log(`[page] ${s}`) });
  for (const e of engines) e.engine.pool?.terminate();
  return { rows, engines: engines.map((e) => e.name), usdot, userAgent: navigator.userAgent };
};
