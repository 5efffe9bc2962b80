import { describe, expect, it } from 'vitest';
import { ResNetEdgeError } from '../errors.js';
import { parseArgs, type OptionKind } from './args.js';
import { choiceOption, intOption, numberListOption, numberOption, stringOption } from './option-values.js';

const options: Record<string, OptionKind> = { json: 'boolean', 'top-k': 'string', model: 'string', mean: 'string' };
const parse = (argv: string[]) => parseArgs({ argv, options });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ResNetEdgeError);
    expect((e as ResNetEdgeError).code).toBe('INVALID_ARGUMENT');
    return (e as Error).message;
  }
  return 'no error';
}

describe('parseArgs', () => {
  it('reads positionals, values (both spellings), booleans, help and everything after --', () => {
    expect(parse(['a.png', '--json', '--top-k', '3', '--model=./m/model.json', 'b.png'])).toEqual({
      positionals: ['a.png', 'b.png'],
      flags: { json: true, 'top-k': '3', model: './m/model.json' },
      help: false,
    });
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['x', '--help']).help).toBe(true);
    expect(parse(['--', '--json', '-h', '-'])).toEqual({ positionals: ['--json', '-h', '-'], flags: {}, help: false });
    // Values may start with a single dash (negative numbers), and '-' alone is a positional.
    expect(parse(['--mean', '-0.5', '-']).flags.mean).toBe('-0.5');
    expect(parse(['--mean', '-0.5', '-']).positionals).toEqual(['-']);
  });

  it('rejects unknown options (suggesting near misses), values on booleans and missing values', () => {
    expect(messageOf(() => parse(['--topk', '3']))).toBe('Unknown option --topk. Did you mean --top-k?');
    expect(messageOf(() => parse(['--frobnicate']))).toBe('Unknown option --frobnicate.');
    expect(messageOf(() => parse(['-k', '3']))).toBe('Unknown option -k.');
    expect(messageOf(() => parse(['--json=yes']))).toBe('--json takes no value.');
    expect(messageOf(() => parse(['--top-k']))).toBe('--top-k needs a value.');
    expect(messageOf(() => parse(['--model', '--json']))).toBe('--model needs a value.');
    expect(messageOf(() => parse(['--constructor', 'x']))).toContain('Unknown option --constructor');
  });
});

describe('option values', () => {
  const flags = { k: '3', bad: 'abc', frac: '2.5', neg: '-1', t: '0.25', two: '2', empty: '', list: '0.5, 0.25,1', badList: '1,,2', b: 'wasm', yes: true };
  it('parses in-range values and returns undefined for absent flags', () => {
    expect(intOption({ flags, name: 'k', min: 1, max: 10 })).toBe(3);
    expect(intOption({ flags, name: 'missing', min: 1, max: 10 })).toBeUndefined();
    expect(numberOption({ flags, name: 't', min: 0, max: 1 })).toBe(0.25);
    expect(numberListOption({ flags, name: 'list' })).toEqual([0.5, 0.25, 1]);
    expect(choiceOption({ flags, name: 'b', choices: ['auto', 'wasm'] })).toBe('wasm');
    expect(stringOption({ flags, name: 'k' })).toBe('3');
  });

  it('names the flag, the allowed range and the given value when a value is bad', () => {
    expect(messageOf(() => intOption({ flags, name: 'bad', min: 1, max: 1000 }))).toBe('--bad must be an integer from 1 to 1000 (got "abc").');
    expect(messageOf(() => intOption({ flags, name: 'frac', min: 1, max: 10 }))).toContain('integer');
    expect(messageOf(() => intOption({ flags, name: 'neg', min: 1, max: 10 }))).toContain('(got "-1")');
    expect(messageOf(() => numberOption({ flags, name: 'two', min: 0, max: 1 }))).toBe('--two must be a number from 0 to 1 (got "2").');
    expect(messageOf(() => numberOption({ flags, name: 'empty', min: 0, max: 1 }))).toContain('number');
    expect(messageOf(() => numberOption({ flags, name: 'bad', min: 0, max: 1 }))).toContain('(got "abc")');
    expect(messageOf(() => numberListOption({ flags, name: 'badList' }))).toContain('comma-separated numbers');
    expect(messageOf(() => choiceOption({ flags, name: 'bad', choices: ['auto', 'wasm'] }))).toBe('--bad must be one of auto, wasm (got "abc").');
    expect(messageOf(() => stringOption({ flags, name: 'empty' }))).toContain('non-empty');
    expect(messageOf(() => stringOption({ flags, name: 'yes' }))).toContain('non-empty');
  });
});
