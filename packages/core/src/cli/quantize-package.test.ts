import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode } from '../testing/error-code.js';
import { INPUT_PRESETS, type GraphIo } from './quantize-input.js';
import { draftManifest, packageId, readLabels } from './quantize-package.js';

const dir = mkdtempSync(join(tmpdir(), 're-qpkg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));

describe('readLabels', () => {
  it('reads one label per line (CRLF, BOM, surrounding spaces and trailing blank lines tolerated) or a JSON array', async () => {
    expect(await readLabels(file('a.txt', '\uFEFFcat\r\n  dog food \r\nbird\n\n\n'))).toEqual(['cat', 'dog food', 'bird']);
    expect(await readLabels(file('b.json', ' ["a", "b/c"]\n'))).toEqual(['a', 'b/c']);
  });

  it('refuses blank lines inside the list, empty files and bad JSON arrays', async () => {
    expect(await errorCode(readLabels(file('c.txt', 'cat\n\ndog\n')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(readLabels(file('d.txt', '\n\n')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(readLabels(file('e.json', '["a", ')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(readLabels(file('f.json', '["a", 3]')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(readLabels(file('g.json', '[]')))).toBe('INVALID_ARGUMENT');
    expect(await errorCode(readLabels(join(dir, 'missing.txt')))).toBe('FILE_NOT_FOUND');
  });
});

describe('packageId', () => {
  it('checks --id and otherwise derives a valid id from the output folder', () => {
    expect(packageId({ id: 'my.model_1', out: 'x' })).toBe('my.model_1');
    expect(() => packageId({ id: 'My Model', out: 'x' })).toThrow(/--id must be lowercase/);
    expect(packageId({ out: 'out/ResNet18 int8/' })).toBe('resnet18-int8');
    expect(packageId({ out: '__' })).toBe('model');
  });
});

describe('draftManifest', () => {
  const graph: GraphIo = { inputName: 'x', inputDims: [undefined, 3, 224, 224], outputs: [{ name: 'prob', dims: [undefined, 3], producer: 'Softmax' }] };
  const input = { ...INPUT_PRESETS.imagenet, name: 'x', shape: [-1, 3, 224, 224] as [number, number, number, number] };

  it('is a valid manifest whose output kind follows the graph (Softmax -> probabilities)', () => {
    const m = draftManifest({ id: 'm', source: undefined, labels: ['a', 'b', 'c'], input, graph });
    expect(m).toMatchObject({ schemaVersion: 1, id: 'm', task: 'classification', output: { name: 'prob', kind: 'probabilities' } });
  });

  it('refuses a label count or output name that does not match the graph, and a detection source without a head', () => {
    expect(() => draftManifest({ id: 'm', source: undefined, labels: ['a'], input, graph })).toThrow("There are 1 labels but the model's output \"prob\" has 3 classes.");
    expect(() => draftManifest({ id: 'm', source: { output: { name: 'logits', kind: 'logits' } }, labels: ['a', 'b', 'c'], input, graph })).toThrow(/output "logits" is not an output/);
    expect(() => draftManifest({ id: 'm', source: { task: 'detection' }, labels: ['a'], input, graph })).toThrow(/detection must be an object/);
  });
});
