/** Types shared by the detection decoders, NMS, box mapping and mAP evaluation. */
import type { Box } from '../image/geometry.js';

export type { Box } from '../image/geometry.js';

/** A candidate box before labels are attached: coordinates, confidence and class index into the manifest labels. */
export interface ScoredBox {
  box: Box;
  score: number;
  classIndex: number;
  /** The detector's confidence for every class at this candidate, where the head has it (CenterNet: the heatmap at the peak). */
  classScores?: Float32Array;
}

/** One detected object, as returned by `model.detect()`: box in original image pixels. */
export interface Detection {
  label: string;
  score: number;
  box: Box;
}
