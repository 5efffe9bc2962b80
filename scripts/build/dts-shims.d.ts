/**
 * Platform types used by resnet-edge's public declarations, for consumers whose TypeScript setup lacks them.
 * Each resolves to the real global type when the consumer's program has it (DOM, WebWorker or @types/node libs), and
 * to a minimal structural stand-in otherwise, so the declarations type-check under `lib: ["ES2022"]` alone.
 */
type G = typeof globalThis;
type Global<K extends string, Fallback> = G extends { [P in K]: { prototype: infer T } } ? T : Fallback;

export type AbortSignal = Global<'AbortSignal', { readonly aborted: boolean; readonly reason?: unknown }>;
export type URL = Global<'URL', { readonly href: string; toString(): string }>;
export type Blob = Global<'Blob', { readonly size: number; readonly type: string; arrayBuffer(): Promise<ArrayBuffer> }>;
export type ImageData = Global<'ImageData', { readonly width: number; readonly height: number; readonly data: Uint8ClampedArray }>;
export type ImageBitmap = Global<'ImageBitmap', { readonly width: number; readonly height: number; close(): void }>;
export type OffscreenCanvas = Global<'OffscreenCanvas', { width: number; height: number; getContext(contextId: '2d'): unknown; convertToBlob(): Promise<unknown> }>;
export type HTMLCanvasElement = Global<'HTMLCanvasElement', { width: number; height: number; getContext(contextId: '2d'): unknown; toDataURL(): string }>;
export type HTMLImageElement = Global<'HTMLImageElement', { readonly naturalWidth: number; readonly naturalHeight: number; readonly complete: boolean; decode(): Promise<void> }>;
export type HTMLVideoElement = Global<'HTMLVideoElement', { readonly videoWidth: number; readonly videoHeight: number; readonly readyState: number }>;
export type VideoFrame = Global<'VideoFrame', { readonly displayWidth: number; readonly displayHeight: number; close(): void }>;
export type CacheStorage = Global<'CacheStorage', { open(cacheName: string): Promise<unknown>; delete(cacheName: string): Promise<boolean> }>;
export type CanvasImageSource = ImageBitmap | ImageData | OffscreenCanvas | HTMLCanvasElement | HTMLImageElement | HTMLVideoElement | VideoFrame;
/** Objects `postMessage` may transfer (the DOM's `Transferable` is a type alias, so it cannot be looked up). */
export type Transferable = object;
/** The `fetch` function (`typeof fetch`). */
export type Fetch = G extends { fetch: infer F } ? F : FetchFallback;
type FetchFallback = {
  bivariant(input: string | URL, init?: { signal?: AbortSignal }): Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}['bivariant'];
/** `WebAssembly.Module` (the WebAssembly namespace is in the DOM and Node libs, not in ES2022). */
export type WasmModule = G extends { WebAssembly: { Module: { prototype: infer T } } } ? T : object;
/** `WebAssembly.Memory`. */
export type WasmMemory = G extends { WebAssembly: { Memory: { prototype: infer T } } } ? T : { readonly buffer: ArrayBuffer };
