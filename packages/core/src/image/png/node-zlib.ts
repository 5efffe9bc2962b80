/**
 * Node's zlib, when this runs in Node (>= 20.16, `process.getBuiltinModule`): streaming inflate in large chunks on the
 * thread pool (DecompressionStream goes through Node's web-stream adapters at 16 KiB per round trip, about 6x slower
 * here) and native CRC-32. Looked up at call time through `getBuiltinModule`, so bundles for browsers and workerd
 * contain no `node:` import and simply take the portable path.
 */
type NodeZlib = typeof import('node:zlib');

let cached: NodeZlib | null | undefined;

/**
 * Node's `zlib` module, or `undefined` outside Node.
 *
 * @example
 * ```ts
 * const z = nodeZlib();
 * const crc = z?.crc32 ? z.crc32(bytes) : jsCrc32(bytes);
 * ```
 */
export function nodeZlib(): NodeZlib | undefined {
  if (cached === undefined) {
    const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
    cached = proc?.versions?.node && typeof proc.getBuiltinModule === 'function' ? ((proc.getBuiltinModule('node:zlib') as NodeZlib) ?? null) : null;
  }
  return cached ?? undefined;
}
