/** Constant values seen by the graph compiler: initializers, Constant nodes and DequantizeLinear of those. */
import { sizeOf } from '../tensor.js';
import { DataType, tensorToBigInt64, tensorToFloat32, tensorToInt32, type OnnxTensor } from './onnx.js';

/** Quantized form of a constant (int8/uint8/int32 data with per-tensor or per-axis scale and zero point). */
export interface ConstQuant {
  /** Integer values as stored (before zero point subtraction). */
  values: Int32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  axis: number;
  dataType: number;
}

export interface Const {
  dims: number[];
  dataType: number;
  /** Values as float (for int64 the numbers are exact up to 2^53). */
  f32: Float32Array;
  i64?: BigInt64Array;
  /** Exact integer values for integer types (int32 may exceed f32's 2^24). */
  i32?: Int32Array;
  /** Present when the constant is DequantizeLinear(int initializer). */
  q?: ConstQuant;
}

/** Reads an initializer into a {@link Const}. */
export function constFromTensor(t: OnnxTensor): Const {
  const dt = t.dataType ?? DataType.FLOAT;
  const dims = [...t.dims];
  if (dt === DataType.INT64) {
    const i64 = tensorToBigInt64(t);
    return { dims, dataType: dt, f32: Float32Array.from(i64, (v) => Number(v)), i64 };
  }
  if (dt === DataType.INT32 || dt === DataType.INT8 || dt === DataType.UINT8) {
    const i32 = tensorToInt32(t);
    return { dims, dataType: dt, f32: Float32Array.from(i32), i32 };
  }
  return { dims, dataType: dt, f32: tensorToFloat32(t) };
}

/** Integer view of a const's values (exact for int8/uint8/int32). */
export function constInts(c: Const): Int32Array {
  return c.i32 ?? Int32Array.from(c.f32);
}

/** DequantizeLinear of a constant: keeps the integer form for int8 kernels and the float form for float kernels. */
export function dequantizeConst(x: Const, scale: Const, zp: Const | undefined, axis: number): Const {
  const values = constInts(x);
  const rank = x.dims.length;
  const ax = axis < 0 ? axis + rank : axis;
  const perAxis = scale.f32.length > 1;
  const inner = perAxis ? sizeOf(x.dims.slice(ax + 1)) : 1;
  const n = perAxis ? x.dims[ax] : 1;
  const zpv = zp ? constInts(zp) : new Int32Array(scale.f32.length);
  const f32 = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = perAxis ? Math.floor(i / inner) % n : 0;
    // f32 math as DequantizeLinear: (x - zp) * scale.
    f32[i] = Math.fround((values[i] - zpv[c]) * scale.f32[c]);
  }
  const dataType = x.dataType;
  return { dims: x.dims, dataType: DataType.FLOAT, f32, q: { values, scale: scale.f32, zeroPoint: zpv, axis: ax, dataType } };
}

/** Per-channel (length n) scale/zero point of a quantized const along `axis`, or broadcast of a per-tensor one. */
export function perChannel(q: ConstQuant, axis: number, n: number): { scale: Float32Array; zeroPoint: Int32Array } | undefined {
  if (q.scale.length === 1) return { scale: new Float32Array(n).fill(q.scale[0]), zeroPoint: new Int32Array(n).fill(q.zeroPoint[0]) };
  if (q.axis !== axis || q.scale.length !== n) return undefined;
  return { scale: q.scale, zeroPoint: q.zeroPoint };
}

/** QuantizeLinear on a float value: x / scale rounded half to even, + zero point, saturated to [lo, hi]. */
export function quantizeValue(x: number, scale: number, zp: number, lo: number, hi: number): number {
  const v = Math.fround(Math.fround(x) / Math.fround(scale));
  const q = roundHalfEven(v) + zp;
  return q < lo ? lo : q > hi ? hi : q;
}

/** Round half to even (nearbyint in the default rounding mode). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
