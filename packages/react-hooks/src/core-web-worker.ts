/** The one place the hooks import core's main-thread web-worker module from (no runtime on this side). */
export * from '@resnet-edge/core/web-worker';
