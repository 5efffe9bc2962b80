/**
 * The engine's shared-memory builds, derived from the single-threaded ones: the builds differ only in the memory
 * import's limits (asc's `--sharedMemory --maximumMemory 32768` emits the same code), so the threaded engine patches
 * that import instead of shipping a third binary. `shared-build.test.ts` checks the patched SIMD128 build byte for
 * byte against asc's own shared build (build/engine-simd-mt.wasm).
 */

/** Maximum pages of the shared memory (2 GiB): an imported shared memory must declare one, and the host's must match. */
export const SHARED_MAX_PAGES = 32768;

function readLeb(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0, shift = 0, i = at;
  for (;;) {
    const byte = b[i++];
    v += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [v, i];
    shift += 7;
  }
}

function leb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}

/**
 * `bytes` (a module importing `env.memory`) with that import made shared, maximum {@link SHARED_MAX_PAGES}.
 *
 * @example
 * ```ts
 * const module = await WebAssembly.compile(sharedMemoryBuild(simdBytes));
 * ```
 */
export function sharedMemoryBuild(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, payload] = readLeb(bytes, at + 1);
    const end = payload + size;
    if (id === 2) {
      let [count, i] = readLeb(bytes, payload);
      for (; count > 0; count--) {
        const [modLen, m] = readLeb(bytes, i);
        const [nameLen, n] = readLeb(bytes, m + modLen);
        const kind = bytes[n + nameLen];
        let j = n + nameLen + 1;
        if (kind === 2) {
          const flags = bytes[j];
          const [min, afterMin] = readLeb(bytes, j + 1);
          const limitsEnd = flags & 1 ? readLeb(bytes, afterMin)[1] : afterMin;
          const limits = [3, ...leb(min), ...leb(SHARED_MAX_PAGES)];
          const body = [...bytes.subarray(payload, j), ...limits, ...bytes.subarray(limitsEnd, end)];
          const out = new Uint8Array(at + 1 + leb(body.length).length + body.length + bytes.length - end);
          out.set(bytes.subarray(0, at + 1));
          out.set([...leb(body.length), ...body], at + 1);
          out.set(bytes.subarray(end), out.length - (bytes.length - end));
          return out;
        }
        // Skip a function (type index), table (reftype + limits) or global (type + mutability) import.
        if (kind === 0) j = readLeb(bytes, j)[1];
        else if (kind === 1) {
          const f = bytes[j + 1];
          j = readLeb(bytes, j + 2)[1];
          if (f & 1) j = readLeb(bytes, j)[1];
        } else j += 2;
        i = j;
      }
    }
    at = end;
  }
  throw new Error('sharedMemoryBuild: the module imports no memory');
}
