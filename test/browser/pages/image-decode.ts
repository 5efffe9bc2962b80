// Browser page for test/browser/image-decode.test.ts: runs core's decode-to-size path on bytes handed in by the test.
import { preprocessEncoded, type ImagePreprocessOptions } from '../../../packages/core/src/index.js';
import type { InputSpec } from '../../../packages/core/src/package/manifest-types.js';

declare global {
  interface Window {
    preprocessBytes(o: { bytes: number[]; input: InputSpec; options: ImagePreprocessOptions }): Promise<unknown>;
  }
}

window.preprocessBytes = async ({ bytes, input, options }) => {
  const r = await preprocessEncoded({ ...options, bytes: Uint8Array.from(bytes), input });
  return { decoded: r.decoded, transform: r.transform, tensor: Array.from(r.tensor.data) };
};
