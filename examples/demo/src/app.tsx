/** The demo page: two models in workers, one image source, results drawn over the image. */
import { useCallback, useEffect, useState } from 'react';
import { useClassification, useDetection, useResNet } from '../../../packages/react-hooks/src/index.js';
import { useContinuous } from './continuous.js';
import { ImageSource } from './image-source.js';
import { ModelStatus } from './model-status.js';
import { BACKEND, CLASSIFIER, DETECTOR } from './models.js';
import { BoxOverlay, DetectionList, Latency, TopBars } from './results.js';
import { Webcam, type FrameResult } from './webcam.js';

interface Picked {
  blob: Blob;
  name: string;
  url: string;
}

export function App() {
  const classifier = useResNet({ model: CLASSIFIER, task: 'classification', backend: BACKEND });
  const detector = useResNet({ model: DETECTOR, task: 'detection', backend: BACKEND });
  const [picked, setPicked] = useState<Picked | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [webcam, setWebcam] = useState(false);
  const [frame, setFrame] = useState<FrameResult | null>(null);
  const [webcamError, setWebcamError] = useState<string | null>(null);
  const [loop, setLoop] = useState(false);

  const onImage = useCallback((blob: Blob, name: string) => {
    setWebcam(false);
    setPicked((old) => {
      if (old) URL.revokeObjectURL(old.url);
      return { blob, name, url: URL.createObjectURL(blob) };
    });
  }, []);
  const onWebcamError = useCallback((e: unknown) => setWebcamError(e instanceof Error ? e.message : String(e)), []);

  // Blobs cross to the worker by reference, so the one-shot queries copy no pixels on this thread.
  const image = webcam ? null : (picked?.blob ?? null);
  const top = useClassification(image, { model: CLASSIFIER, backend: BACKEND, topK: 5 });
  const det = useDetection(image, { model: DETECTOR, backend: BACKEND });
  const stats = useContinuous({ enabled: loop && !webcam, image, classifier, detector });

  useEffect(() => {
    if (!webcam) setFrame(null);
    setWebcamError(null);
  }, [webcam]);

  const topItems = webcam ? (frame?.top ?? []) : top.status === 'success' ? top.data : [];
  const dets = webcam ? (frame?.detections ?? []) : det.status === 'success' ? det.data : [];
  const box = webcam ? { width: frame?.width ?? 0, height: frame?.height ?? 0 } : size;

  return (
    <main>
      <header>
        <h1>resnet-edge</h1>
        <div className="models">
          <ModelStatus name="Classifier" id={CLASSIFIER} testId="classifier" model={classifier} />
          <ModelStatus name="Detector" id={DETECTOR} testId="detector" model={detector} />
        </div>
      </header>
      <section>
        <h2>Image</h2>
        <ImageSource onImage={onImage} webcam={webcam} onWebcam={setWebcam} />
        <div className="stage" style={{ marginTop: 12 }}>
          {webcam ? (
            <Webcam classifier={classifier} detector={detector} onResult={setFrame} onError={onWebcamError} />
          ) : (
            picked && (
              <img
                src={picked.url}
                alt={picked.name}
                data-testid="preview"
                onLoad={(e) => setSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
              />
            )
          )}
          <BoxOverlay width={box.width} height={box.height} detections={dets} />
        </div>
        {webcamError && <p className="error">Webcam: {webcamError}</p>}
        <div className="controls">
          <label>
            <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.currentTarget.checked)} data-testid="loop-toggle" disabled={webcam} /> Run
            continuously
          </label>
          {loop && (
            <span className="muted" data-testid="loop-stats" data-runs={stats.runs}>
              {stats.runs} runs, mean {stats.meanLatencyMs.toFixed(1)} ms
            </span>
          )}
        </div>
      </section>
      <section>
        <h2>Top 5 {picked && !webcam && <span className="muted">{picked.name}</span>}</h2>
        <div data-testid="classification" data-status={webcam ? 'webcam' : top.status}>
          {top.status === 'pending' && <p className="muted">Classifying...</p>}
          {top.status === 'error' && <p className="error">{top.error.code}: {top.error.message}</p>}
          <TopBars items={topItems} />
          {!webcam && <Latency testId="classification-latency" latencyMs={top.latencyMs} inferenceMs={top.inferenceMs} />}
        </div>
        <h2 style={{ marginTop: 16 }}>Detections</h2>
        <div data-testid="detection" data-status={webcam ? 'webcam' : det.status}>
          {det.status === 'pending' && <p className="muted">Detecting...</p>}
          {det.status === 'error' && <p className="error">{det.error.code}: {det.error.message}</p>}
          {(webcam || det.status === 'success') && dets.length === 0 && <p className="muted">Nothing found.</p>}
          <DetectionList detections={dets} />
          {!webcam && <Latency testId="detection-latency" latencyMs={det.latencyMs} inferenceMs={det.inferenceMs} />}
          {webcam && frame && <p className="muted">frame latency {frame.latencyMs.toFixed(1)} ms</p>}
        </div>
      </section>
    </main>
  );
}
