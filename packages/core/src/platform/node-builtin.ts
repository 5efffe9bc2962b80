/**
 * Node built-in modules without a `node:` import: `process.getBuiltinModule` (Node >= 20.16) at call time. The one
 * core build serves browsers, Workers and Node, and no bundler ever sees (or has to stub) a Node module.
 */

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * Returns the Node built-in `id` (e.g. `'node:fs/promises'`), or `undefined` outside Node.
 *
 * @example
 * ```ts
 * const fs = nodeBuiltin<typeof import('node:fs/promises')>('node:fs/promises');
 * if (fs) await fs.readFile(url);
 * ```
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return undefined;
  return proc.getBuiltinModule(id) as T;
}
