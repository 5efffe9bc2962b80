/**
 * `@resnet-edge/core/testing`: helpers for tests of packages built on core (manifests for fixtures, an in-process
 * worker and a scripted runtime for the Web Worker layer). Not part of the main entry and not shipped code: nothing
 * outside testing/ and test files imports this folder (scripts/import-graph.mjs checks). The engine's own test and
 * benchmark harnesses (q8-test-harness, wgsl-test-harness, dawn-test-setup, gpu-test-device, ort-oracle, gpu-bench,
 * bench-stats, random) live here too and are imported by path, so this entry stays free of Node-only and GPU code.
 *
 * @example
 * ```ts
 * import { testManifest, channelWorker, fakeRuntime } from '@resnet-edge/core/testing';
 * ```
 */
export { testManifest, tinyOp13Manifest, TINY_OP13_URL, type TestManifestOptions } from './test-manifest.js';
export { channelWorker, type ChannelWorker } from './channel-worker.js';
export { fakeManifest, fakeRuntime, type FakeRuntime } from './fake-runtime.js';
