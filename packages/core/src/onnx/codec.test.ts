import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../errors.js';
import {
  DataType,
  attrInt,
  attrInts,
  attrString,
  decodeModel,
  encodeModel,
  makeTensor,
  tensorToBigInt64,
  tensorToFloat32,
  tensorToInt32,
  tensorToInt8,
} from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '../../test-fixtures/quantize');
const testdata = '/usr/share/libonnx-testdata/data';
const read = (p: string) => new Uint8Array(readFileSync(p));

function expectRoundTrip(bytes: Uint8Array): void {
  const out = encodeModel(decodeModel(bytes));
  expect(out.length).toBe(bytes.length);
  expect(Buffer.compare(Buffer.from(out), Buffer.from(bytes))).toBe(0);
}

function expectInvalid(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).code).toBe('INVALID_MODEL');
    return;
  }
  throw new Error('expected INVALID_MODEL');
}

describe('ONNX codec', () => {
  it('round-trips torch exports byte-identically and reads their structure', () => {
    for (const f of ['tiny-op13.onnx', 'tiny-op17-bn.onnx']) expectRoundTrip(read(join(fixtures, f)));
    const m = decodeModel(read(join(fixtures, 'tiny-op13.onnx')));
    expect(m.opsetImport.find((o) => !o.domain)?.version).toBe(13);
    const g = m.graph!;
    expect(g.input[0].name).toBe('input');
    expect(g.input[0].type?.tensorType?.shape?.dim[0].dimParam).toBe('batch');
    expect(g.input[0].type?.tensorType?.shape?.dim[1].dimValue).toBe(3);
    const conv = g.node.find((n) => n.opType === 'Conv')!;
    expect(attrInts(conv, 'strides')).toEqual([2, 2]);
    expect(attrInt(conv, 'group', 1)).toBe(1);
    const w = g.initializer.find((t) => t.name === conv.input[1])!;
    expect(w.dims).toEqual([8, 3, 3, 3]);
    const wf = tensorToFloat32(w);
    expect(wf.length).toBe(8 * 27);
    expect(wf.every(Number.isFinite)).toBe(true);
    expect(attrString(conv, 'auto_pad', 'NOTSET')).toBe('NOTSET');
  });

  it.skipIf(!existsSync(`${testdata}/node`))('round-trips every ONNX backend-test node model', () => {
    const dirs = readdirSync(`${testdata}/node`);
    let n = 0;
    for (const d of dirs) {
      const p = `${testdata}/node/${d}/model.onnx`;
      if (!existsSync(p)) continue;
      expectRoundTrip(read(p));
      n++;
    }
    expect(n).toBeGreaterThan(500);
    expectRoundTrip(read(`${testdata}/node/test_conv_with_strides_padding/model.onnx`));
  });

  it('round-trips the shipped ResNet-20 exports (torch fp32 and our int8 QDQ)', () => {
    const models = join(dirname(fileURLToPath(import.meta.url)), '../../../../models/fmnist-resnet20');
    expectRoundTrip(read(join(models, 'model.fp32.onnx')));
    expectRoundTrip(read(join(models, 'model.int8.onnx')));
  });

  it('encodes a model of many small messages in bounded memory (the 1.5 MB detector: was ~600 MB and seconds)', () => {
    // Every nested message used to leave its writer's scratch (growing to 1 MiB) alive behind a few bytes.
    const bytes = read(join(here, '../../../../models/fmnist-scenes-centernet/model.int8.onnx'));
    const m = decodeModel(bytes);
    const before = process.memoryUsage().arrayBuffers;
    const out = encodeModel(m);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
    expect(Buffer.compare(Buffer.from(out), Buffer.from(bytes))).toBe(0);
  });
  it('preserves unknown fields and edits', () => {
    const bytes = read(join(fixtures, 'tiny-op13.onnx'));
    const m = decodeModel(bytes);
    // Append an unknown field (number 99, varint 7) to the graph and to a node.
    m.graph!.unknown = [...(m.graph!.unknown ?? []), { field: 99, bytes: new Uint8Array([0x98, 0x06, 7]) }];
    m.graph!.node[0].unknown = [{ field: 50, bytes: new Uint8Array([0x90, 0x03, 1]) }];
    m.producerName = 'resnet-edge';
    const again = decodeModel(encodeModel(m));
    expect(again.producerName).toBe('resnet-edge');
    expect(again.graph!.unknown?.at(-1)).toEqual({ field: 99, bytes: new Uint8Array([0x98, 0x06, 7]) });
    expect(again.graph!.node[0].unknown).toEqual([{ field: 50, bytes: new Uint8Array([0x90, 0x03, 1]) }]);
    expect(encodeModel(again)).toEqual(encodeModel(m));
  });

  it('makeTensor and the tensorTo* readers agree, including negatives and int64', () => {
    const f = makeTensor('f', DataType.FLOAT, [2, 2], [1.5, -2, 0, 3.25]);
    expect(Array.from(tensorToFloat32(f))).toEqual([1.5, -2, 0, 3.25]);
    expect(Array.from(tensorToInt8(makeTensor('i8', DataType.INT8, [3], [-128, 0, 127])))).toEqual([-128, 0, 127]);
    expect(Array.from(tensorToInt32(makeTensor('i32', DataType.INT32, [2], [-5, 70000])))).toEqual([-5, 70000]);
    const i64 = makeTensor('s', DataType.INT64, [2], [1, -1]);
    expect(Array.from(tensorToBigInt64(i64))).toEqual([1n, -1n]);
    // Typed fields (not raw_data) and a trip through the wire.
    const m = decodeModel(read(join(fixtures, 'tiny-op13.onnx')));
    m.graph!.initializer.push(
      { name: 'fd', dims: [2], dataType: DataType.FLOAT, floatData: new Float32Array([1, -1]) },
      { name: 'i64d', dims: [2], dataType: DataType.INT64, int64Data: new BigInt64Array([-9n, 1n << 40n]) },
      { name: 'i32d', dims: [2], dataType: DataType.INT8, int32Data: new Int32Array([-3, 4]) },
    );
    const back = decodeModel(encodeModel(m)).graph!.initializer;
    expect(Array.from(tensorToFloat32(back.find((t) => t.name === 'fd')!))).toEqual([1, -1]);
    expect(Array.from(tensorToBigInt64(back.find((t) => t.name === 'i64d')!))).toEqual([-9n, 1n << 40n]);
    expect(Array.from(tensorToInt8(back.find((t) => t.name === 'i32d')!))).toEqual([-3, 4]);
    expectInvalid(() => tensorToFloat32({ name: 'bad', dims: [3], dataType: DataType.FLOAT, rawData: new Uint8Array(8) }));
  });

  it('int64 attributes survive negatives and INT64_MAX', () => {
    const m = decodeModel(read(join(fixtures, 'tiny-op13.onnx')));
    const a = m.graph!.node[0].attribute[0];
    a.ints = [-1, 9223372036854775807, -9223372036854775808, 2 ** 40];
    const b = decodeModel(encodeModel(m)).graph!.node[0].attribute[0];
    expect(b.ints).toEqual([-1, 9223372036854775807, -9223372036854775808, 2 ** 40]);
  });

  it('rejects garbage, truncation and empty input with INVALID_MODEL, never hanging', () => {
    const bytes = read(join(fixtures, 'tiny-op13.onnx'));
    expectInvalid(() => decodeModel(new Uint8Array(0)));
    expectInvalid(() => decodeModel(new TextEncoder().encode('<html>not a model</html>')));
    // A length prefix claiming 2^40 bytes must be rejected, not allocated.
    expectInvalid(() => decodeModel(new Uint8Array([0x3a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2])));
    expectInvalid(() => decodeModel(new Uint8Array(12).fill(0xff)));
    for (const cut of [1, 7, 100, 1000, bytes.length - 1]) expectInvalid(() => decodeModel(bytes.subarray(0, cut)));
    // Random bytes: either a clean INVALID_MODEL or (rarely) a structurally valid message.
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let k = 0; k < 300; k++) {
      const junk = Uint8Array.from({ length: 1 + (k % 200) }, rnd);
      try {
        decodeModel(junk);
      } catch (e) {
        expect((e as ModelLoadError).code).toBe('INVALID_MODEL');
      }
    }
  });
});
