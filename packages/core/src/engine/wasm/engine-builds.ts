/**
 * The engine builds' bytes. Each build is its own generated module (base64, written by wasm/build.mjs), reached only
 * through dynamic `import()`: bundlers split them into chunks, so a page downloads the one build it instantiates.
 * Which build fits is decided by a 37-byte probe module, so choosing never loads a build that is not used.
 */
import { BackendError } from '../../errors.js';

/** The engine builds shipped as modules (threaded sessions patch one of them to shared memory: shared-build.ts). */
export type EngineBuild = 'simd' | 'relaxed';

/** One function `(v128, v128, v128) -> v128` that calls `i32x4.relaxed_dot_i8x16_i7x16_add_s` (opcode 0xfd 0x113). */
const RELAXED_PROBE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type section: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x93, 0x02, 0x0b, // code section
]);

/**
 * Whether this runtime supports relaxed SIMD, i.e. validates the relaxed build (Node 20 needs
 * --experimental-wasm-relaxed-simd). Checked on a tiny probe; engine-builds.test.ts checks that it agrees with
 * validating the relaxed build itself.
 *
 * @example
 * ```ts
 * if (relaxedSimdSupported()) console.log('using i32x4.relaxed_dot_i8x16_i7x16_add_s');
 * ```
 */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(RELAXED_PROBE);
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The wasm bytes of one engine build, loading its module on first use.
 *
 * @example
 * ```ts
 * const module = await WebAssembly.compile(await engineBuildBytes(relaxedSimdSupported() ? 'relaxed' : 'simd'));
 * ```
 */
export async function engineBuildBytes(build: EngineBuild): Promise<Uint8Array<ArrayBuffer>> {
  let base64: string;
  try {
    base64 = (build === 'relaxed' ? await import('./engine-relaxed.generated.js') : await import('./engine-simd.generated.js')).ENGINE_BASE64;
  } catch (cause) {
    // A chunk the app did not deploy, or a network failure.
    throw new BackendError('BACKEND_UNAVAILABLE', `The ${build} build of the wasm engine could not be loaded (is every chunk of the app's bundle deployed?)`, {
      cause,
    });
  }
  return decodeBase64(base64);
}
