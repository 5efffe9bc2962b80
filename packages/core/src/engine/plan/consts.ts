/** Constant values seen by the graph compiler: initializers, Constant nodes and DequantizeLinear of those. */
import { sizeOf } from '../../tensor.js';
import { roundHalfEven } from '../ops/shared/requant.js';
import { DataType, tensorToBigInt64, tensorToFloat32, tensorToInt32, tensorToInt8, tensorToUint8, type OnnxTensor } from '../../onnx/index.js';

/** Quantized form of a constant (int8/uint8/int32 data with per-tensor or per-axis scale and zero point). */
export interface ConstQuant {
  /** Integer values as stored (before zero point subtraction), in their stored type. */
  values: Int8Array | Uint8Array | Int32Array;
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
  /** The integers in their stored type (int8/uint8/int32): what int8 kernels read, without a widening copy. */
  ints?: Int8Array | Uint8Array | Int32Array;
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
  if (dt === DataType.INT32) {
    const i32 = tensorToInt32(t);
    return lazy({ dims, dataType: dt, i32, ints: i32 }, 'f32', () => new Float32Array(i32));
  }
  if (dt === DataType.INT8 || dt === DataType.UINT8) {
    // Weights: kept in their stored type; the int32 and float forms are built only if something asks.
    const ints = dt === DataType.INT8 ? tensorToInt8(t) : tensorToUint8(t);
    return lazy(lazy({ dims, dataType: dt, ints }, 'i32', () => new Int32Array(ints)), 'f32', () => new Float32Array(ints));
  }
  return { dims, dataType: dt, f32: tensorToFloat32(t) };
}

/** Integer view of a const's values (exact for int8/uint8/int32). */
export function constInts(c: Const): Int32Array {
  return c.i32 ?? Int32Array.from(c.f32);
}

/** DequantizeLinear of a constant: keeps the integer form for int8 kernels and the float form for float kernels. */
export function dequantizeConst(x: Const, scale: Const, zp: Const | undefined, axis: number): Const {
  const values = x.ints ?? constInts(x);
  const rank = x.dims.length;
  const ax = axis < 0 ? axis + rank : axis;
  const perAxis = scale.f32.length > 1;
  const inner = perAxis ? sizeOf(x.dims.slice(ax + 1)) : 1;
  const n = perAxis ? x.dims[ax] : 1;
  const zpv = zp ? constInts(zp) : new Int32Array(scale.f32.length);
  const sc = scale.f32;
  const q = { values, scale: sc, zeroPoint: zpv, axis: ax, dataType: x.dataType };
  // The float form is only needed by float kernels and folding; int8 convs read `q`. Computing it lazily keeps it
  // (and its 4 bytes per weight) off the load path of int8 models.
  return lazy({ dims: x.dims, dataType: DataType.FLOAT, q }, 'f32', () => {
    const f32 = new Float32Array(values.length);
    const outer = values.length / (inner * n);
    for (let o = 0, i = 0; o < outer; o++) {
      for (let c = 0; c < n; c++) {
        const s = perAxis ? sc[c] : sc[0], z = perAxis ? zpv[c] : zpv[0];
        // f32 math as DequantizeLinear: (x - zp) * scale.
        for (let e = 0; e < inner; e++, i++) f32[i] = Math.fround((values[i] - z) * s);
      }
    }
    return f32;
  });
}

/** Adds a memoized getter for a form of a const's values that is derived on demand. */
function lazy<T extends object, K extends 'f32' | 'i32'>(c: T, key: K, make: () => NonNullable<Const[K]>): T & Pick<Const, K> {
  let v: Const[K] | undefined;
  return Object.defineProperty(c, key, { get: () => (v ??= make()), enumerable: true }) as T & Pick<Const, K>;
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
