/**
 * "Run continuously": re-runs both models on the current image back to back, to show (and let the
 * browser test measure) that the page stays responsive while inference runs non-stop.
 */
import { useEffect, useState } from 'react';
import type { UseResNetResult } from '../../../packages/react-hooks/src/index.js';

export interface LoopStats {
  runs: number;
  meanLatencyMs: number;
}

export function useContinuous(options: { enabled: boolean; image: Blob | null; classifier: UseResNetResult; detector: UseResNetResult }): LoopStats {
  const { enabled, image, classifier, detector } = options;
  const [stats, setStats] = useState<LoopStats>({ runs: 0, meanLatencyMs: 0 });
  const ready = classifier.status === 'ready' && detector.status === 'ready';
  useEffect(() => {
    if (!enabled || !image || !ready) return;
    const controller = new AbortController();
    const { signal } = controller;
    let runs = 0;
    let total = 0;
    let shown = 0;
    (async () => {
      while (!signal.aborted) {
        const t0 = performance.now();
        try {
          await Promise.all([classifier.classify(image, { topK: 5, signal }), detector.detect(image, { signal })]);
        } catch {
          return; // aborted, or the error already shows in the one-shot results
        }
        runs++;
        const now = performance.now();
        total += now - t0;
        // Re-render a few times a second, not per run: the page should cost the main thread next to nothing.
        if (now - shown > 200) {
          shown = now;
          setStats({ runs, meanLatencyMs: total / runs });
        }
      }
    })();
    return () => controller.abort();
  }, [enabled, image, ready, classifier.classify, detector.detect]);
  return stats;
}
