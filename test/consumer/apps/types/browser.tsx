// Browser consumer (lib DOM, React): DOM image inputs, fetch and abort, ORT passed by the app, hooks.
import { load, createOrtBackend, type ImageInput } from '@resnet-edge/core';
import { getModelStore, createDefaultWorker, moduleWorkerFactory } from '@resnet-edge/core/web-worker';
import { ResNetProvider, useClassification, useDetection, useResNet, type Classification } from '@resnet-edge/react-hooks';
import type { ReactNode } from 'react';

export async function fromCanvas(canvas: HTMLCanvasElement, bitmap: ImageBitmap, blob: Blob, img: HTMLImageElement): Promise<number> {
  const controller = new AbortController();
  const model = await load({
    model: 'fmnist-resnet20',
    modelBaseUrl: new URL('/models/', location.href),
    fetch: (input, init) => fetch(input, init),
    signal: controller.signal,
    ort: { module: () => import('onnxruntime-web'), wasmPaths: { wasm: new URL('/ort/ort-wasm-simd-threaded.wasm', location.href) } },
  });
  const inputs: ImageInput[] = [canvas, bitmap, blob, img, new ImageData(2, 2)];
  let n = 0;
  for (const input of inputs) n += (await model.classify(input, { signal: controller.signal })).length;
  createOrtBackend({ device: 'wasm', ort: () => import('onnxruntime-web') });
  return n;
}

export function store(): unknown {
  const s = getModelStore({ model: 'fmnist-resnet20', createWorker: createDefaultWorker });
  const other = moduleWorkerFactory({ url: '/resnet-edge-worker.js' });
  return [s.getSnapshot().status, other];
}

function Labels({ image }: { image: Blob | null }): ReactNode {
  const q = useClassification(image, { model: 'fmnist-resnet20', topK: 3 });
  const d = useDetection(image, { model: 'fmnist-scenes-centernet', scoreThreshold: 0.4 });
  const { status } = useResNet({ model: 'fmnist-resnet20' });
  if (q.status === 'error') return <p>{q.error.code}</p>;
  if (q.status !== 'success') return <p>{status}</p>;
  const rows: Classification[] = q.data;
  return <ul>{rows.map((c) => <li key={c.label}>{c.label} {c.score.toFixed(2)} {d.status}</li>)}</ul>;
}

export const App = ({ image }: { image: Blob | null }): ReactNode => (
  <ResNetProvider config={{ cache: false }}>
    <Labels image={image} />
  </ResNetProvider>
);
