/**
 * The one place the hooks import core's web-worker module from.
 * TODO(lead): once packages/core/package.json exports "./web-worker" (-> ./src/web-worker/index.ts),
 * replace the relative path with '@resnet-edge/core/web-worker'. Relative until then so the monorepo
 * builds and tests; it does not survive publishing.
 */
export * from '../../core/src/web-worker/index.js';
