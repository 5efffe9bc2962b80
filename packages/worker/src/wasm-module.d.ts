// wrangler's CompiledWasm rule turns `.wasm` imports into precompiled modules.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
