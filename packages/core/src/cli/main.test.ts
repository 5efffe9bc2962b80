import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from './io.js';
import { main } from './main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const models = join(repo, 'models');
const bag = join(models, 'fmnist-resnet20/samples/bag.png');
const scene = join(models, 'fmnist-scenes-centernet/samples/scene-3.png');
const dir = mkdtempSync(join(tmpdir(), 're-cli-'));
mkdirSync(join(dir, 'a-folder'));
writeFileSync(join(dir, 'truncated.png'), readFileSync(bag).subarray(0, 40));
symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));

/** Runs the CLI in-process and collects what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) } };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

let server: Server;
let origin = '';
beforeAll(async () => {
  // A plain static server over the repository's models/ folder, for --model http://... .
  server = createServer((req, res) => {
    const path = join(models, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      res.end(readFileSync(path));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('help and version', () => {
  it('prints the version from core package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(repo, 'packages/core/package.json'), 'utf8'));
    expect(await run('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect((await run('-v')).out).toBe(`${version}\n`);
  });

  it('prints usage for the top level and each command with exit code 0, even next to bad options', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('resnet-edge classify <images...>');
      expect(r.out).toContain('Exit codes: 0 ok, 1 runtime error');
    }
    for (const command of ['classify', 'detect', 'quantize']) {
      for (const argv of [[command, '--help'], [command, '-h'], ['help', command], [command, '--top-k', 'abc', '--help']]) {
        const r = await run(...argv);
        expect(r).toMatchObject({ code: 0, err: '' });
        expect(r.out).toMatch(new RegExp(`^Usage: resnet-edge ${command} `));
      }
    }
    expect((await run('classify', '--help')).out).toContain('--top-k <n>');
    expect((await run('detect', '--help')).out).toContain('--threshold <0..1>');
    expect((await run('quantize', '--help')).out).toContain('--preset <name>');
  });

  it('with no command prints usage on stderr and exits 2', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage:');
  });
});

describe('usage errors exit 2', () => {
  it('names the bad option, value or command, and points to --help', async () => {
    const cases: Array<[string[], string]> = [
      [['classify', bag, '--top-k', 'abc'], '--top-k must be an integer from 1 to 1000 (got "abc").'],
      [['detect', scene, '--threshold', '2'], '--threshold must be a number from 0 to 1 (got "2").'],
      [['classify', bag, '--threads', '0'], '--threads must be an integer from 1 to 16 (got "0").'],
      [['classify', bag, '--backend', 'cuda'], '--backend must be one of auto, wasm, webgpu, ort-wasm, ort-webgpu (got "cuda").'],
      [['classify', bag, '--decode', 'slow'], '--decode must be one of fast, exact (got "slow").'],
      [['classify', bag, '--bogus'], 'Unknown option --bogus.'],
      [['detect', scene, '--top-k', '3'], 'Unknown option --top-k.'], // classify-only
      [['classify'], 'No images given.'],
      [['frobnicate'], 'Unknown command "frobnicate".'],
      [['classify', bag, '--model', `${join(dir, 'a-folder')}/x.onnx`, '--top-k', '-1'], '--top-k must be an integer from 1 to 1000 (got "-1").'],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect({ argv, code: r.code, out: r.out }).toEqual({ argv, code: 2, out: '' });
      expect(r.err).toContain(`error INVALID_ARGUMENT: ${message}\nRun "resnet-edge `);
    }
  });

  it('in --json mode prints the error as JSON on stdout with the stable code', async () => {
    const r = await run('detect', scene, '--threshold', '2', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: '--threshold must be a number from 0 to 1 (got "2").' } });
    expect(JSON.parse((await run('nope', '--json')).out).error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('classify and detect', () => {
  it('gives every image its result or its own error code, and exits 1 when any failed', async () => {
    const missing = join(dir, 'missing.png');
    const r = await run('classify', bag, missing, join(dir, 'a-folder'), join(dir, 'loop-a'), join(dir, 'truncated.png'), bag, '--top-k', '2', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.model).toBe('fmnist-resnet20');
    const outcome = doc.results.map((x: { file: string; error?: { code: string }; result?: Array<{ label: string }> }) => [x.file, x.error?.code ?? x.result!.map((c) => c.label)[0]]);
    expect(outcome).toEqual([
      [bag, 'Bag'],
      [missing, 'FILE_NOT_FOUND'],
      [join(dir, 'a-folder'), 'NOT_A_FILE'],
      [join(dir, 'loop-a'), 'FILE_UNREADABLE'],
      [join(dir, 'truncated.png'), 'IMAGE_DECODE_FAILED'],
      [bag, 'Bag'],
    ]);
    expect(doc.results[0].result).toHaveLength(2);
  });

  it('prints results on stdout and errors on stderr in text mode', async () => {
    const missing = join(dir, 'missing.png');
    const r = await run('classify', bag, missing, '--top-k', '1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^model fmnist-resnet20 on \S+\n/);
    expect(r.out).toMatch(/bag\.png \([\d.]+ ms\)\n +\d+\.\d\d% {2}Bag\n/);
    expect(r.err).toBe(`${missing}: error FILE_NOT_FOUND: No such image: ${missing}\n1 of 2 images failed.\n`);
  });

  it('accepts the model as a relative path, a folder, an absolute path, a file: URL and an http URL', async () => {
    const pkg = join(models, 'fmnist-resnet20');
    const rel = relative(process.cwd(), pkg);
    const forms = [`./${rel}/model.json`, `${rel}/`, rel, join(pkg, 'model.json'), pathToFileURL(join(pkg, 'model.json')).href, `${origin}/fmnist-resnet20/model.json`];
    for (const model of forms) {
      const r = await run('classify', bag, '--model', model, '--top-k', '1', '--json');
      expect({ model, code: r.code }).toEqual({ model, code: 0 });
      expect(JSON.parse(r.out).results[0].result[0].label).toBe('Bag');
    }
    const base = await run('classify', bag, '--model-base-url', relative(process.cwd(), models), '--top-k', '1', '--json');
    expect(base.code).toBe(0);
  });

  it('reports a model that cannot be found with its own code and exit 1', async () => {
    const cases: Array<[string, string]> = [
      ['./no/such/model.json', 'FILE_NOT_FOUND'],
      [join(dir, 'a-folder'), 'FILE_NOT_FOUND'],
      ['resnet50', 'UNKNOWN_MODEL'],
      [`${origin}/nope/model.json`, 'UNKNOWN_MODEL'],
    ];
    for (const [model, code] of cases) {
      const r = await run('classify', bag, '--model', model, '--json');
      expect({ model, code: r.code, error: JSON.parse(r.out).error.code }).toEqual({ model, code: 1, error: code });
    }
  });

  it('detects boxes in a shipped scene sample, keeping only those at or above --threshold', async () => {
    type Det = { label: string; score: number; box: Record<string, number> };
    const detect = async (...extra: string[]) => {
      const r = await run('detect', scene, '--json', ...extra);
      expect(r.code).toBe(0);
      return JSON.parse(r.out).results[0].result as Det[];
    };
    const all = await detect();
    const dets = await detect('--threshold', '0.6');
    expect(dets.length).toBeGreaterThan(0);
    expect(dets).toEqual(all.filter((d) => d.score >= 0.6));
    expect(dets.length).toBeLessThan(all.length);
    for (const d of dets) {
      expect(d.box.xmax).toBeGreaterThan(d.box.xmin);
      expect(d.box.ymax).toBeGreaterThan(d.box.ymin);
    }
  });
});
