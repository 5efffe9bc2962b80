// One cold start in a fresh process: import the engine bundle, compile/instantiate, create the session, first result.
//   node --experimental-wasm-relaxed-simd bench/cold-start.mjs <engine> <engine-bundle.mjs> <model.onnx> <C> <H> <W>
// Plain JS (no tsx) so both engines start from prebuilt bundles: onnxruntime-web's dist, and our esbuild bundle.
const t0 = performance.now();
const [engine, bundle, path, c, h, w] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const bytes = new Uint8Array(readFileSync(path));
const dims = [1, Number(c), Number(h), Number(w)];
const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5);
if (engine === 'ort-wasm') {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', data, dims) });
} else {
  const { createWasmSession } = await import(bundle);
  const s = await createWasmSession({ model: bytes, relaxedSimd: engine === 'wasm-relaxed', threads: engine.endsWith('-2t') ? 2 : 1 });
  await s.run({ [s.inputNames[0]]: { data, dims } });
}
process.stdout.write(JSON.stringify({ coldMs: performance.now() - t0 }));
