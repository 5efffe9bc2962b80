#!/usr/bin/env node
// Folder-level import graph of packages/core/src, checked against the layer order below.
//   node scripts/import-graph.mjs            print folder -> folder imports of shipped code; exit 1 on a violation
//   node scripts/import-graph.mjs --tree     also print the folder tree
//   node scripts/import-graph.mjs --root <dir>   the same for another checkout's packages/core/src
// Violations: an import cycle between folders, an import from a folder to one on a higher (or, for siblings such as
// two backends or two ops, the same) layer, shipped code importing testing/ or vitest. Test files (*.test.ts(x),
// *.bench.ts, cases.ts) and testing/ may import anything; they are counted separately.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// --root <dir>: another checkout's packages/core/src (e.g. an old commit's worktree, to compare graphs).
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? resolve(process.argv[rootArg + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '../packages/core/src');

/** Layers, lowest first. A folder may import folders of lower layers only (and itself). */
const LAYERS = [
  ['(root)', 'platform'],
  ['onnx', 'engine/ops/shared'],
  // Manifests describe ONNX graphs: inferring one for a bare .onnx (package/infer-manifest.ts) reads the graph.
  ['package'],
  ['engine/ops/resize', 'image'],
  ['engine/ops/float', 'tasks'],
  ['engine/plan'],
  ['engine/wasm', 'engine/webgpu'],
  ['engine/ops/*'],
  ['engine/ops'],
  ['engine/exec'],
  ['engine/exec/wasm', 'engine/exec/webgpu'],
  ['engine/session'],
  ['engine'],
  ['backends'],
  ['backends/*'],
  ['runtime'],
  ['web-worker', 'quantizer'],
  ['cli'],
  ['(entries)'],
  ['testing'],
];

/**
 * Public entry points (package.json subpaths): barrels that only re-export, so they sit on top of everything.
 * Nothing inside the package may import them.
 */
const ENTRIES = ['index.ts', 'package/index.ts', 'quantizer/index.ts', 'web-worker/index.ts'];

/**
 * Folder edges that are known to break the layering, each with the change that removes it. Printed on every run;
 * they do not fail it. Keep this list short: new violations fail.
 */
const KNOWN = {
};

/** The graph node of a source file: its folder, with engine/ and backends/ subfolders kept apart. */
function nodeOf(file) {
  const rel = relative(root, file).split(sep).join('/');
  if (ENTRIES.includes(rel)) return '(entries)';
  const parts = rel.split('/');
  if (parts.length === 1) return '(root)';
  if (parts[0] === 'engine') {
    if (parts.length === 2) return 'engine';
    if (parts[1] === 'ops' || parts[1] === 'exec') return parts.length === 3 ? `engine/${parts[1]}` : `engine/${parts[1]}/${parts[2]}`;
    return `engine/${parts[1]}`;
  }
  if (parts[0] === 'backends') return parts.length === 2 ? 'backends' : `backends/${parts[1]}`;
  return parts[0];
}

function rankOf(node) {
  const i = LAYERS.findIndex((layer) => layer.includes(node) || layer.some((p) => p.endsWith('/*') && node.startsWith(p.slice(0, -1)) && !LAYERS.flat().includes(node)));
  return i;
}

const isTest = (f) => /\.test\.tsx?$|\.bench\.ts$|[/\\]cases\.ts$/.test(f) || nodeOf(f) === 'testing';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const files = walk(root);
const edges = new Map(); // "a -> b" -> count (shipped code)
const testEdges = new Map();
const problems = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const from = nodeOf(f);
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
  for (const spec of specs) {
    if (spec === 'vitest' || spec.startsWith('vitest/')) {
      if (!isTest(f)) problems.push(`${relative(root, f)} (shipped) imports vitest`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const to = nodeOf(resolve(dirname(f), spec));
    if (to === from) continue;
    if (to === 'testing' && !isTest(f)) problems.push(`${relative(root, f)} (shipped) imports testing/`);
    const key = `${from} -> ${to}`;
    const map = isTest(f) ? testEdges : edges;
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

const known = [];
for (const key of edges.keys()) {
  const [a, b] = key.split(' -> ');
  if (KNOWN[key]) {
    known.push(`${key}: ${KNOWN[key]}`);
    continue;
  }
  const ra = rankOf(a), rb = rankOf(b);
  if (ra < 0 || rb < 0) problems.push(`${key}: folder ${ra < 0 ? a : b} is not in LAYERS (scripts/import-graph.mjs)`);
  else if (rb >= ra) problems.push(`${key}: imports ${rb === ra ? 'a sibling on its own layer' : 'a higher layer'}`);
}

// Cycles (independent of the layer table): depth-first search over shipped edges.
const adj = new Map();
for (const key of edges.keys()) {
  if (KNOWN[key]) continue;
  const [a, b] = key.split(' -> ');
  adj.set(a, [...(adj.get(a) ?? []), b]);
}
const state = new Map();
const stack = [];
const visit = (n) => {
  state.set(n, 1);
  stack.push(n);
  for (const m of adj.get(n) ?? []) {
    if (state.get(m) === 1) problems.push(`cycle: ${[...stack.slice(stack.indexOf(m)), m].join(' -> ')}`);
    else if (!state.has(m)) visit(m);
  }
  stack.pop();
  state.set(n, 2);
};
for (const n of adj.keys()) if (!state.has(n)) visit(n);

if (process.argv.includes('--tree')) {
  const dirs = new Set(files.map((f) => relative(join(root, '..'), dirname(f))));
  console.log('## folders\n' + [...dirs].sort().join('\n') + '\n');
}
const byRank = [...edges.entries()].sort(([a], [b]) => rankOf(b.split(' -> ')[0]) - rankOf(a.split(' -> ')[0]) || a.localeCompare(b));
console.log(`## shipped code: ${edges.size} folder -> folder edges (imports)`);
for (const [k, n] of byRank) console.log(`${k} (${n})`);
console.log(`\n## tests, benches, case tables and testing/: ${testEdges.size} edges (not layer-checked)`);
if (known.length) console.log(`\n## known layering exceptions (to remove):\n${known.map((k) => `  ${k}`).join('\n')}`);
if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nimport graph: no cycles, no upward or sibling imports, no test helpers in shipped code');
