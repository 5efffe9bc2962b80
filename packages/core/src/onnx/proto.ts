/**
 * Dependency-free protobuf wire-format reader and writer, just enough for ONNX.
 *
 * The reader never trusts a length: every length-delimited field is checked against the bytes that are
 * left, varints are capped at 10 bytes, so truncated or garbage input throws `INVALID_MODEL` instead of
 * hanging or allocating. The writer collects chunks and concatenates once, so large `raw_data` blobs are
 * referenced, not copied, until the final output buffer is built.
 */
import { ModelLoadError } from '../errors.js';

/** Protobuf wire types used by ONNX (groups, 3 and 4, are rejected). */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TWO_32 = 4294967296;
const INT64_MAX_AS_NUMBER = 9223372036854775807; // rounds to 2^63 as a double
const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Throws the codec's error. @example `if (n > left) invalid('truncated field')` */
export function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ModelLoadError('INVALID_MODEL', `Invalid ONNX model: ${message}`, details ? { details } : {});
}

/** A bounds-checked cursor over protobuf bytes. @example `const r = new ProtoReader(bytes); const [field, wire] = r.tag();` */
export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint as its low and high 32-bit halves (unsigned). */
  private varintParts(): [number, number] {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) invalid('truncated varint', { offset: this.pos });
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32 + 0);
      if ((b & 0x80) === 0) return [lo >>> 0, hi >>> 0];
    }
    return invalid('varint longer than 10 bytes', { offset: this.pos });
  }

  /** Reads a varint that must fit a non-negative safe integer (tags, lengths, enums, sizes). */
  uint(): number {
    const [lo, hi] = this.varintParts();
    if (hi > 0x1fffff) invalid('varint too large', { offset: this.pos });
    return hi * TWO_32 + lo;
  }

  /**
   * Reads a signed 64-bit varint as a number. Values beyond 2^53 lose precision; INT64_MAX/MIN survive
   * a round trip because the writer clamps to them.
   */
  int64(): number {
    const [lo, hi] = this.varintParts();
    return (hi | 0) * TWO_32 + lo;
  }

  /** Reads an int32 varint (negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    const [lo] = this.varintParts();
    return lo | 0;
  }

  /** Reads a varint as an exact signed bigint. */
  bigInt64(): bigint {
    const [lo, hi] = this.varintParts();
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** Reads a varint as an exact unsigned bigint. */
  bigUint64(): bigint {
    const [lo, hi] = this.varintParts();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  float32(): number {
    this.need(4);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length-delimited field's payload as a view (no copy). */
  bytes(): Uint8Array {
    const n = this.uint();
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return utf8Decoder.decode(this.bytes());
  }

  /** Reads a tag; returns [fieldNumber, wireType]. */
  tag(): [number, number] {
    const t = this.uint();
    const field = Math.floor(t / 8);
    const wire = t & 7;
    if (field === 0) invalid('field number 0', { offset: this.pos });
    if (wire !== 0 && wire !== 1 && wire !== 2 && wire !== 5) invalid(`unsupported wire type ${wire}`, { offset: this.pos });
    return [field, wire];
  }

  /** Skips a field's value; returns the raw bytes of tag+value starting at `tagStart` (for preservation). */
  skip(wire: number, tagStart: number): Uint8Array {
    if (wire === WireType.VARINT) this.varintParts();
    else if (wire === WireType.I64) this.advance(8);
    else if (wire === WireType.I32) this.advance(4);
    else this.bytes();
    return this.buf.subarray(tagStart, this.pos);
  }

  /** Reads a packed (LEN) or single unpacked element list via `readOne` into `out`. */
  repeated<T>(wire: number, expected: number, out: T[], readOne: (r: ProtoReader) => T): void {
    if (wire === WireType.LEN && expected !== WireType.LEN) {
      const payload = this.bytes();
      const sub = new ProtoReader(payload);
      while (!sub.done) out.push(readOne(sub));
    } else if (wire === expected) {
      out.push(readOne(this));
    } else invalid(`unexpected wire type ${wire}`, { offset: this.pos });
  }

  private need(n: number): void {
    if (n > this.end - this.pos) invalid('truncated field', { offset: this.pos, need: n, left: this.end - this.pos });
  }

  private advance(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Asserts the wire type of a known field. @example `expectWire(wire, WireType.LEN, 'name')` */
export function expectWire(actual: number, expected: number, field: string): void {
  if (actual !== expected) invalid(`field ${field} has wire type ${actual}, expected ${expected}`);
}

/** An append-only protobuf writer that references large byte blobs instead of copying them. @example `const w = new ProtoWriter(); w.stringField(1, 'x'); w.finish()` */
export class ProtoWriter {
  private parts: Uint8Array[] = [];
  private scratch = new Uint8Array(256);
  private used = 0;
  /** Total bytes written so far. */
  length = 0;

  private reserve(n: number): void {
    if (this.used + n <= this.scratch.length) return;
    const filled = this.used;
    this.flush();
    // Only a writer that keeps filling its scratch gets a bigger one (up to 1 MiB): few parts for long packed fields,
    // and no megabyte scratch per message for the many small ones.
    if (n > this.scratch.length || filled > this.scratch.length / 2) this.scratch = new Uint8Array(Math.max(n, Math.min(this.scratch.length * 2, 1 << 20)));
  }

  private flush(): void {
    if (this.used === 0) return;
    // A copy of what was written, so the scratch is reused (a view would keep the whole scratch alive per part:
    // encoding a 1.5 MB model held ~600 MB that way).
    this.parts.push(this.scratch.slice(0, this.used));
    this.used = 0;
  }

  private byte(b: number): void {
    this.scratch[this.used++] = b;
    this.length++;
  }

  /** Writes a non-negative integer varint (< 2^53). */
  uint(n: number): void {
    this.reserve(10);
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  /** Writes an exact 64-bit value as a varint (two's complement for negatives). */
  bigVarint(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.reserve(10);
    while (u >= 0x80n) {
      this.byte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.byte(Number(u));
  }

  /** Writes an int64 given as a number, clamped to the int64 range (so 2^63 becomes INT64_MAX). */
  int64(n: number): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) return this.uint(Math.trunc(n));
    if (!Number.isFinite(n)) invalid(`int64 value ${n} is not finite`);
    if (n >= INT64_MAX_AS_NUMBER) return this.bigVarint(0x7fffffffffffffffn);
    if (n <= -9223372036854775808) return this.bigVarint(-0x8000000000000000n);
    this.bigVarint(BigInt(Math.trunc(n)));
  }

  tag(field: number, wire: number): void {
    this.uint(field * 8 + wire);
  }

  float32(v: number): void {
    this.reserve(4);
    new DataView(this.scratch.buffer, this.scratch.byteOffset + this.used, 4).setFloat32(0, v, true);
    this.used += 4;
    this.length += 4;
  }

  float64(v: number): void {
    this.reserve(8);
    new DataView(this.scratch.buffer, this.scratch.byteOffset + this.used, 8).setFloat64(0, v, true);
    this.used += 8;
    this.length += 8;
  }

  /** Appends bytes verbatim (no tag/length); large blobs are referenced, not copied. */
  raw(b: Uint8Array): void {
    if (b.length <= 64) {
      this.reserve(b.length);
      this.scratch.set(b, this.used);
      this.used += b.length;
      this.length += b.length;
      return;
    }
    this.flush();
    this.parts.push(b);
    this.length += b.length;
  }

  /** Writes a length-delimited bytes field. */
  bytesField(field: number, b: Uint8Array): void {
    this.tag(field, WireType.LEN);
    this.uint(b.length);
    this.raw(b);
  }

  stringField(field: number, s: string): void {
    this.bytesField(field, utf8Encoder.encode(s));
  }

  /** Writes a nested message produced by `write` into a child writer. */
  messageField(field: number, write: (w: ProtoWriter) => void): void {
    const child = new ProtoWriter();
    write(child);
    this.tag(field, WireType.LEN);
    this.uint(child.length);
    child.flush();
    this.flush();
    for (const p of child.parts) this.parts.push(p);
    this.length += child.length;
  }

  /** Concatenates everything written into one buffer. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** A field the codec does not model, kept byte-for-byte so re-encoding is loss-free. */
export interface UnknownField {
  field: number;
  bytes: Uint8Array;
}

/**
 * Emits preserved unknown fields interleaved with known ones in field-number order, which is the order
 * protobuf serializers use, so a decode->encode round trip stays byte-identical.
 *
 * @example `const u = new UnknownEmitter(w, msg.unknown); u.before(1); ...; u.rest();`
 */
export class UnknownEmitter {
  private i = 0;
  constructor(
    private readonly w: ProtoWriter,
    private readonly unknown: readonly UnknownField[] | undefined,
  ) {}

  /** Writes pending unknown fields whose number is below `field`. */
  before(field: number): void {
    const u = this.unknown;
    if (!u) return;
    while (this.i < u.length && u[this.i].field < field) this.w.raw(u[this.i++].bytes);
  }

  rest(): void {
    this.before(Number.POSITIVE_INFINITY);
  }
}

/** Decodes UTF-8 bytes to a string. @example `utf8(attr.s!)` */
export function utf8(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

/** Encodes a string as UTF-8 bytes. @example `toUtf8('NOTSET')` */
export function toUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
