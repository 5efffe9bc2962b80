/**
 * `npm run bench:browser`: own int8 wasm engine vs onnxruntime-web wasm INSIDE headless Chromium (where relaxed SIMD
 * is on with a current V8, unlike Node 20), batch 1, one thread, same model file, interleaved runs in one page; and,
 * for ResNet-18/50, LiteRT.js (XNNPACK) at 1 and 2 threads on full-int8 TFLite twins with the same weights (built into
 * ~/.cache/resnet-edge/litert on first use, see bench/litert/prepare.ts).
 * Writes bench-results/browser-cpu.json, the browser-cpu section of BENCHMARKS.md and, with LiteRT.js columns, the
 * "CPU vs LiteRT.js (Chromium)" section. No assertions: the numbers are the product.
 *
 *   node --import tsx bench/browser-cpu.ts            # fmnist-resnet20, ResNet-18, ResNet-50
 *   node --import tsx bench/browser-cpu.ts --quick    # default model only
 *   options: --runs=N (default 21, or BENCH_RUNS), --models=fmnist,resnet18,resnet50, --all-modes (adds the relaxed
 *   build with gemm mode forced to 0 and to 2, for diagnosis), --chromium-arg=FLAG (repeatable, e.g.
 *   --chromium-arg=--js-flags=--no-liftoff), --from-json (only re-render BENCHMARKS.md from bench-results/browser-cpu.json),
 *   --no-litert (leave out the LiteRT.js columns and their TFLite build)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { launchChromium, startStaticServer } from '../test/browser/harness.js';
import type { BrowserEngine, PageInfo, PageModelResult } from './browser-cpu-page.js';
import { torchvisionModel } from './prepare-models.js';
import { LITERT_DIR, litertModel } from './litert/prepare.js';
import { litertAgreement, litertMarkdown, updateLitertSection, type LitertModelFacts } from './litert/report.js';
import { round } from '../packages/core/src/testing/bench-stats.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = join(ROOT, 'bench-results');
const OUT = join(RESULTS, 'tmp/browser-cpu');
const START = '<!-- browser-cpu-bench:start -->';
const END = '<!-- browser-cpu-bench:end -->';
const DEFAULT_ENGINES: BrowserEngine[] = ['wasm-relaxed', 'wasm-relaxed-2t', 'wasm-simd128', 'wasm-simd128-2t', 'ort-wasm'];
// litert-simd128-1t: LiteRT.js' SIMD128 build (what browsers without relaxed SIMD get), to show what relaxed SIMD buys it.
const LITERT_ENGINES: BrowserEngine[] = ['litert-1t', 'litert-2t', 'litert-simd128-1t'];
const isLitert = (e: BrowserEngine) => e.startsWith('litert-');

export interface BrowserCpuOptions {
  /** Default model only. */
  quick?: boolean;
  /** Timed runs per engine (median); default 21. */
  runs?: number;
  /** Subset of models by key (`fmnist`, `resnet18`, `resnet50`); overrides `quick`. */
  models?: string[];
  /** Adds `wasm-relaxed-mode0` / `-mode1` / `-mode2` (relaxed build, gemm mode forced) and `wasm-simd128-direct` (Winograd off). */
  allModes?: boolean;
  /** Per-model time budget for the timed runs (ms); runs are cut (>= 7) to fit. Default 150 s. */
  budgetMs?: number;
  /** LiteRT.js columns for ResNet-18/50 (default true; builds the TFLite twins on first use). */
  litert?: boolean;
  /** Extra Chromium command-line flags (diagnosis, e.g. `--js-flags=--no-liftoff`); recorded in the result. */
  chromiumArgs?: string[];
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

export interface BrowserCpuResult {
  machine: {
    cpu: string;
    /** `model name` from /proc/cpuinfo. */
    cpuModelName?: string;
    cores: number;
    memoryGiB: number;
    node: string;
    chromium: string;
    userAgent: string;
    crossOriginIsolated: boolean;
    chromiumArgs: string[];
    /** VNNI-related CPU flags from /proc/cpuinfo (V8 on x64 lowers relaxed dot-add to one instruction only with AVX-VNNI(-INT8)). */
    cpuVnniFlags: string[];
    loadAverage1mStart: number;
    loadAverage1mEnd: number;
    date: string;
  };
  engine: { relaxedBuildValidates: boolean; relaxedModePicked: 0 | 1 | 2 | 3 | null; ortVersion: string; litertVersion?: string };
  results: Array<PageModelResult & { name: string; ratioVsOrt: Record<string, number>; gmacPerS: Record<string, number>; litertModel?: LitertModelFacts }>;
}

function vnniFlags(): string[] {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    return flags.trim().split(/\s+/).filter((f) => f.includes('vnni'));
  } catch {
    return [];
  }
}

function cpuModelName(): string | undefined {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

interface ModelCase {
  key: string;
  name: string;
  path: string;
  dims: number[];
  litert?: Awaited<ReturnType<typeof litertModel>>;
}

async function modelCases(keys: string[], litert: boolean): Promise<ModelCase[]> {
  const cases: ModelCase[] = [];
  for (const key of keys) {
    if (key === 'fmnist') cases.push({ key, name: 'fmnist-resnet20 (shipped, int8 QDQ)', path: join(ROOT, 'models/fmnist-resnet20/model.int8.onnx'), dims: [1, 1, 28, 28] });
    else if (key === 'resnet18' || key === 'resnet50') {
      const m = await torchvisionModel({ arch: key });
      cases.push({ key, name: `${key} (torchvision arch, int8 QDQ by our quantizer)`, path: m.int8, dims: [1, 3, 224, 224], ...(litert ? { litert: await litertModel({ arch: key }) } : {}) });
    } else throw new Error(`unknown model key ${key} (fmnist, resnet18, resnet50)`);
  }
  return cases;
}

/**
 * Runs the benchmark in headless Chromium and returns the results (writes nothing; see the CLI below for that).
 *
 * @example
 * ```ts
 * const result = await runBrowserCpuBench({ quick: true });
 * console.log(browserCpuMarkdown(result));
 * ```
 */
export async function runBrowserCpuBench(options: BrowserCpuOptions = {}): Promise<BrowserCpuResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const runs = options.runs ?? 21;
  const engines: BrowserEngine[] = options.allModes ? [...DEFAULT_ENGINES, 'wasm-relaxed-mode0', 'wasm-relaxed-mode1', 'wasm-relaxed-mode2', 'wasm-simd128-direct'] : DEFAULT_ENGINES;
  const cases = await modelCases(options.models ?? (options.quick ? ['fmnist'] : ['fmnist', 'resnet18', 'resnet50']), options.litert ?? true);
  const loadStart = loadavg()[0];

  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'bench/browser-cpu-page.ts')],
    bundle: true, minify: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'],
  });
  writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>browser-cpu bench</title><script type="module" src="/page.js"></script>');
  // LiteRT.js keeps its wasm module in a global: each build runs in its own same-origin iframe (bench/litert/frame.ts).
  await build({
    entryPoints: [join(ROOT, 'bench/litert/frame.ts')],
    bundle: true, minify: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'litert-frame.js'), logLevel: 'warning',
  });
  writeFileSync(join(OUT, 'litert-frame.html'), '<!doctype html><meta charset="utf-8"><title>LiteRT.js frame</title><body><script type="module" src="/litert-frame.js"></script></body>');
  const server = await startStaticServer({
    routes: [
      { prefix: '/models/', dir: join(ROOT, 'models') },
      { prefix: '/ort/', dir: join(ROOT, 'node_modules/onnxruntime-web/dist') },
      { prefix: '/litert-wasm/', dir: join(ROOT, 'node_modules/@litertjs/core/wasm') },
      { prefix: '/litert/', dir: LITERT_DIR },
      { prefix: '/', dir: OUT },
    ],
  });
  const browser = await launchChromium({ args: options.chromiumArgs });
  try {
    const { page } = browser;
    page.on('console', (m) => {
      if (m.text().startsWith('[page]')) log(`[browser-cpu] ${m.text().slice(7)}`);
      else if ((m.type() === 'error' || m.type() === 'warning') && !m.text().includes('404 (Not Found)')) log(`[browser-cpu] page ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`[browser-cpu] page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) log(`[browser-cpu] HTTP ${r.status()} ${r.url()}`);
    });
    await page.goto(server.url);
    await page.waitForFunction(() => typeof window.benchCpuModel === 'function');
    const info: PageInfo = await page.evaluate(() => window.benchCpuInfo());
    // The user agent string is reduced (156.0.0.0); the browser reports its full version over CDP.
    const cdp = await browser.context.newCDPSession(page);
    const product = ((await cdp.send('Browser.getVersion')) as { product: string }).product;
    await cdp.detach().catch(() => {});
    log(`[browser-cpu] ${info.userAgent}; crossOriginIsolated ${info.crossOriginIsolated}; relaxed build validates ${info.relaxedBuildValidates}; relaxed mode picked ${info.relaxedModePicked}; onnxruntime-web ${info.ortVersion}`);
    const results: BrowserCpuResult['results'] = [];
    for (const c of cases) {
      const url = `/models/${relative(join(ROOT, 'models'), c.path)}`;
      const lt = c.litert;
      const litert = lt && { url: `/litert/${basename(lt.tflite)}`, photosUrl: `/litert/${basename(lt.photos)}`, photoCount: lt.meta.photos.names.length,
        reference: { interpreter: lt.meta.tfliteInterpreterBenchLogits, xnnpack: lt.meta.tfliteXnnpackBenchLogits } };
      const caseEngines: BrowserEngine[] = lt ? [...engines, ...LITERT_ENGINES] : engines;
      const r: PageModelResult = await page.evaluate((o) => window.benchCpuModel(o), { model: c.key, url, dims: c.dims, runs, engines: caseEngines, budgetMs: options.budgetMs, litert });
      const ort = r.medianMs['ort-wasm'];
      const row = {
        ...r,
        name: c.name,
        ratioVsOrt: Object.fromEntries(caseEngines.filter((e) => e !== 'ort-wasm').map((e) => [e, round(r.medianMs[e] / ort, 3)])),
        gmacPerS: Object.fromEntries(caseEngines.map((e) => [e, round(r.gmac / (r.medianMs[e] / 1000), 2)])),
        ...(lt ? { litertModel: litertFacts(lt) } : {}),
      };
      log(`[browser-cpu] ${c.key}: ${JSON.stringify({ medianMs: row.medianMs, ratioVsOrt: row.ratioVsOrt, runs: row.runs, maxAbsDiffVsOrt: row.maxAbsDiffVsOrt })}`);
      if (row.litertModel) {
        if (Math.abs(row.litertModel.macs / 1e9 - r.gmac) > 0.001) log(`[browser-cpu] ${c.key}: MAC count differs: own plan ${r.gmac} GMAC, keras graph ${row.litertModel.macs / 1e9}`);
        log(`[browser-cpu] ${c.key}: LiteRT.js vs TF interpreter ${JSON.stringify(r.litert?.maxAbsDiffVsTflite)}; top-1 agreement ${JSON.stringify(litertAgreement(row))}`);
      }
      results.push(row);
    }
    return {
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cpuModelName: cpuModelName(),
        cores: cpus().length,
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        chromium: /\/([\d.]+)/.exec(product)?.[1] ?? product,
        userAgent: info.userAgent,
        crossOriginIsolated: info.crossOriginIsolated,
        chromiumArgs: options.chromiumArgs ?? [],
        cpuVnniFlags: vnniFlags(),
        loadAverage1mStart: round(loadStart, 2),
        loadAverage1mEnd: round(loadavg()[0], 2),
        date: new Date().toISOString(),
      },
      engine: { relaxedBuildValidates: info.relaxedBuildValidates, relaxedModePicked: info.relaxedModePicked, ortVersion: info.ortVersion, litertVersion: litertVersion() },
      results,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

function litertFacts(lt: NonNullable<ModelCase['litert']>): LitertModelFacts {
  const { macs, calibration, io, tfliteBytes, ops, convWeights, xnnpackPartitions, checks, versions, torchTop1Photos, tfliteInterpreterTop1Photos, photos } = lt.meta;
  return { tflite: basename(lt.tflite), macs, calibration, io, tfliteBytes, ops, convWeights, xnnpackPartitions, checks, versions, torchTop1Photos, tfliteInterpreterTop1Photos, photoNames: photos.names };
}

function litertVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules/@litertjs/core/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

const MODE_NAMES: Record<number, string> = {
  0: '0 (SIMD128 kernel; Winograd on 3x3 stride-1 convs)', 1: '1 (i32x4.relaxed_dot_i8x16_i7x16_add_s, 7-bit split)', 2: '2 (i16x8 relaxed dot + widening add)',
  3: '3 (usdot: i32x4.relaxed_dot_i8x16_i7x16_add_s on u8 activations, AVX-VNNI)',
};

/**
 * Renders the BENCHMARKS.md section (with its markers) for a result.
 *
 * @example
 * ```ts
 * updateBenchmarksSection(join(ROOT, 'BENCHMARKS.md'), browserCpuMarkdown(await runBrowserCpuBench({})));
 * ```
 */
export function browserCpuMarkdown(result: BrowserCpuResult): string {
  const { machine: m, engine, results } = result;
  const engines = (results[0]?.engines ?? DEFAULT_ENGINES).filter((e) => !isLitert(e));
  const own = engines.filter((e) => e !== 'ort-wasm');
  const runsNote = results.some((r) => r.runsRequested)
    ? ` (cut to fit the time budget: ${results.filter((r) => r.runsRequested).map((r) => `${r.model} ${r.runs} of ${r.runsRequested}`).join(', ')})`
    : '';
  const mode = engine.relaxedModePicked === null ? 'none (relaxed build not used)' : MODE_NAMES[engine.relaxedModePicked];
  const lines = [
    START,
    '## Browser CPU: own int8 WASM engine vs onnxruntime-web wasm in Chromium (generated by `npm run bench:browser`)',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; headless Chromium ${m.chromium} (${m.userAgent}), crossOriginIsolated ${m.crossOriginIsolated};`,
    `onnxruntime-web ${engine.ortVersion} wasm build (\`ort-wasm-simd-threaded.wasm\`, numThreads 1). Load average ${m.loadAverage1mStart} at the start, ${m.loadAverage1mEnd} at the end`,
    `(shared machine: read ratios, not absolute times${Math.max(m.loadAverage1mStart, m.loadAverage1mEnd) > m.cores ? '; the load was above the core count, so the page\'s thread was often descheduled: the small model\'s few-ms runs are the least reliable rows' : ''}). ${m.date}.${m.chromiumArgs.length ? ` Extra Chromium flags: \`${m.chromiumArgs.join(' ')}\`.` : ''}`,
    `Relaxed-SIMD engine build validates: ${engine.relaxedBuildValidates ? 'yes' : 'no'}; gemm mode \`wasm-relaxed\` runs: ${mode}.`,
    `Medians, interleaved, batch 1, same model file; ${results[0]?.warmup ?? 3} warm-up runs per engine, then median of ${results[0]?.runs ?? '?'} timed runs${runsNote}, all in one page.`,
    '',
    `| model | GMAC | ${engines.map((e) => `${e} ms`).join(' | ')} | ${own.map((e) => `${e} / ort`).join(' | ')} |`,
    `|---|---|${engines.map(() => '---').join('|')}|${own.map(() => '---').join('|')}|`,
    ...results.map((r) => `| ${r.name} | ${r.gmac} | ${engines.map((e) => r.medianMs[e]).join(' | ')} | ${own.map((e) => `**${r.ratioVsOrt[e]}x**`).join(' | ')} |`),
    '',
    'Throughput (GMAC/s, from the plan\'s MAC count):',
    '',
    `| model | ${engines.join(' | ')} |`,
    `|---|${engines.map(() => '---').join('|')}|`,
    ...results.map((r) => `| ${r.name} | ${engines.map((e) => r.gmacPerS[e]).join(' | ')} |`),
    '',
    ...relaxedNote(result),
    '`wasm-relaxed`: the relaxed-SIMD build with its default kernel, what Chromium gets (usdot, mode 3, where the runtime passes its',
    'known-answer test, else the SIMD128 kernel; see `engine-select.ts`); `wasm-simd128`: the SIMD128 build (browsers without relaxed SIMD;',
    'Winograd F(2x2, 3x3) on stride-1 3x3 convs); `-2t`: the same with one helper Web Worker on a shared memory, every heavy op split,',
    'the whole int8 network one schedule segment (the page thread spins at barriers); `wasm-relaxed-modeN`: gemm mode forced (diagnosis);',
    '`wasm-simd128-direct`: SIMD128 with Winograd off. `ort-wasm`: onnxruntime-web\'s wasm execution provider, one thread.',
    'Raw times: `bench-results/browser-cpu.json`.',
    END,
  ];
  return lines.join('\n');
}

/** A sentence when the relaxed kernel loses to the SIMD128 build (as measured on x64 without AVX-VNNI). */
function relaxedNote(result: BrowserCpuResult): string[] {
  const slower = result.results.filter((r) => r.medianMs['wasm-relaxed'] > r.medianMs['wasm-simd128']);
  if (!slower.length || result.engine.relaxedModePicked === null || result.engine.relaxedModePicked === 3) return [];
  const flags = result.machine.cpuVnniFlags;
  return [
    `The relaxed build (mode ${result.engine.relaxedModePicked}) is slower than SIMD128 here for ${slower.map((r) => r.model).join(', ')}. CPU VNNI flags: ${flags.length ? flags.map((f) => `\`${f}\``).join(', ') : 'none'};`,
    'V8 on x64 emits one instruction for `i32x4.relaxed_dot_i8x16_i7x16_add_s` only with AVX-VNNI-INT8 (`vpdpbssd`) or AVX-VNNI',
    '(`vpdpbusd`; AVX512-VNNI does not count); otherwise five (`pcmpeqd` + `psrlw` to rebuild a ones vector, `pmaddubsw`, `pmaddwd`,',
    '`paddd`), so on such a CPU the relaxed kernel does not beat the SIMD128 one.',
    '',
  ];
}

/** Replaces the marked section of a markdown file, or appends it when the markers are absent. */
function updateSection(file: string, block: string): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf(START), b = text.indexOf(END);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + END.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const runs = Number(opt('runs') ?? process.env.BENCH_RUNS ?? 21);
  const jsonPath = join(RESULTS, 'browser-cpu.json');
  // --from-json: re-render the BENCHMARKS.md section from the last recorded run without measuring again.
  const result: BrowserCpuResult = args.includes('--from-json') ? JSON.parse(readFileSync(jsonPath, 'utf8')) : await runBrowserCpuBench({ quick: args.includes('--quick'), runs, models: opt('models')?.split(','), allModes: args.includes('--all-modes'),
    litert: !args.includes('--no-litert'), chromiumArgs: args.filter((a) => a.startsWith('--chromium-arg=')).map((a) => a.slice('--chromium-arg='.length)) });
  mkdirSync(RESULTS, { recursive: true });
  if (!args.includes('--from-json')) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  const md = browserCpuMarkdown(result);
  updateSection(join(ROOT, 'BENCHMARKS.md'), md);
  console.log(md);
  const litertMd = litertMarkdown(result);
  if (litertMd) {
    updateLitertSection(join(ROOT, 'BENCHMARKS.md'), litertMd);
    console.log(litertMd);
  }
  console.log('[browser-cpu] wrote bench-results/browser-cpu.json and BENCHMARKS.md');
}
