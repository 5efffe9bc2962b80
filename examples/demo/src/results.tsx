/** Result views: top-k bars, detection list and the box overlay. */
import type { Classification, Detection } from '../../../packages/react-hooks/src/index.js';

/** Top-k labels as horizontal bars. */
export function TopBars(props: { items: Classification[] }) {
  return (
    <ol className="bars" data-testid="top5">
      {props.items.map((c) => (
        <li key={c.label} className="bar" data-label={c.label} data-score={c.score}>
          <span>{c.label}</span>
          <span className="track">
            <span className="fill" style={{ display: 'block', width: `${Math.max(0, Math.min(1, c.score)) * 100}%` }} />
          </span>
          <span>{(c.score * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}

const COLORS = ['#f97316', '#22c55e', '#3b82f6', '#eab308', '#ec4899', '#14b8a6', '#a855f7', '#ef4444', '#84cc16', '#06b6d4'];
const colorOf = (label: string) => COLORS[[...label].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % COLORS.length]!;

/** Boxes drawn over an image of `width` x `height` pixels (the SVG scales with the stage). */
export function BoxOverlay(props: { width: number; height: number; detections: Detection[] }) {
  const { width, height } = props;
  if (!width || !height) return null;
  const unit = Math.max(width, height) / 96; // keeps strokes and labels readable at any image size
  return (
    <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" data-testid="overlay">
      {props.detections.map((d, i) => {
        const { xmin, ymin, xmax, ymax } = d.box;
        const c = colorOf(d.label);
        return (
          <g key={i}>
            <rect x={xmin} y={ymin} width={xmax - xmin} height={ymax - ymin} fill="none" stroke={c} strokeWidth={unit} />
            <rect x={xmin} y={Math.max(0, ymin - 5 * unit)} width={Math.min(width - xmin, 4 * unit + d.label.length * 2.6 * unit)} height={5 * unit} fill={c} />
            <text x={xmin + unit} y={Math.max(0, ymin - 5 * unit) + 4 * unit} fontSize={4 * unit} fill="#000">
              {d.label} {(d.score * 100).toFixed(0)}%
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Detections as a list (also what the browser test reads). */
export function DetectionList(props: { detections: Detection[] }) {
  return (
    <ul className="dets" data-testid="detections">
      {props.detections.map((d, i) => (
        <li key={i} data-label={d.label} data-score={d.score} data-box={[d.box.xmin, d.box.ymin, d.box.xmax, d.box.ymax].join(',')}>
          {d.label} {(d.score * 100).toFixed(1)}% [{d.box.xmin.toFixed(0)}, {d.box.ymin.toFixed(0)}, {d.box.xmax.toFixed(0)}, {d.box.ymax.toFixed(0)}]
        </li>
      ))}
    </ul>
  );
}

/** Round trip and in-worker time of one request. */
export function Latency(props: { testId: string; latencyMs: number | null; inferenceMs: number | null }) {
  if (props.latencyMs === null) return null;
  return (
    <p className="muted" data-testid={props.testId} data-latency={props.latencyMs}>
      latency {props.latencyMs.toFixed(1)} ms (inference {props.inferenceMs?.toFixed(1)} ms in the worker)
    </p>
  );
}
