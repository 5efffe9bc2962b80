/**
 * Webcam mode: frames go to both workers back to back (never more than one request per model in
 * flight, so the queue cannot grow); the main thread only grabs frames and draws results.
 */
import { useEffect, useRef, useState } from 'react';
import type { Classification, Detection, UseResNetResult } from '../../../packages/react-hooks/src/index.js';

export interface FrameResult {
  top: Classification[];
  detections: Detection[];
  latencyMs: number;
  width: number;
  height: number;
}

export function Webcam(props: { classifier: UseResNetResult; detector: UseResNetResult; onResult: (r: FrameResult) => void; onError: (e: unknown) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [ready, setReady] = useState(false);
  const { classifier, detector, onResult, onError } = props;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    navigator.mediaDevices
      ?.getUserMedia({ video: { width: 320, height: 240 }, audio: false })
      .then(async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        setReady(true);
      })
      .catch(onError);
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [onError]);

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const { signal } = controller;
    (async () => {
      while (!signal.aborted) {
        const v = video.current;
        if (!v || v.readyState < 2) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const t0 = performance.now();
        try {
          // Each call snapshots the frame into its own ImageBitmap, transferred to the worker.
          const [top, detections] = await Promise.all([
            classifier.status === 'ready' ? classifier.classify(v, { topK: 5, signal }) : Promise.resolve([]),
            detector.status === 'ready' ? detector.detect(v, { signal }) : Promise.resolve([]),
          ]);
          onResult({ top, detections, latencyMs: performance.now() - t0, width: v.videoWidth, height: v.videoHeight });
        } catch (e) {
          if (!signal.aborted) onError(e);
          return;
        }
      }
    })();
    return () => controller.abort();
  }, [ready, classifier.status, detector.status, classifier.classify, detector.detect, onResult, onError]);

  return <video ref={video} muted playsInline data-testid="webcam" />;
}
