/** Human-readable per-layer range table. */
import type { LayerRange } from './qdq.js';

const fmt = (x: number) => (Math.abs(x) >= 1000 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(4));

/**
 * Formats the quantizer's per-tensor ranges as a fixed-width table (one line per activation tensor).
 *
 * @example
 * ```ts
 * const { summary } = await quantize({ model, calibration });
 * process.stderr.write(formatSummary(summary) + '\n');
 * ```
 */
export function formatSummary(summary: readonly LayerRange[]): string {
  const rows = summary.map((s) => [
    s.tensor.length > 48 ? `…${s.tensor.slice(-47)}` : s.tensor,
    s.op,
    `[${fmt(s.observed.min)}, ${fmt(s.observed.max)}]`,
    `[${fmt(s.range.min)}, ${fmt(s.range.max)}]`,
    fmt(s.scale),
    String(s.zeroPoint),
    s.sharedWith ? 'shared' : '',
  ]);
  const head = ['tensor', 'op', 'observed', 'quantized range', 'scale', 'zp', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
