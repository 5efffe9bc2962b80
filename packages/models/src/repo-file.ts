/**
 * In-repo stand-in for the generated modules: reads a model package straight from the repository's models/ folder
 * (Node: the file system; a browser page served from the repo: fetch), so the repo's tests never see a stale copy.
 * Published builds embed the bytes instead (scripts/build.mjs).
 */

interface ManifestFiles {
  files: { path: string; role: string }[];
}

interface NodeFs {
  readFile(url: URL): Promise<Uint8Array>;
}

/**
 * The `role: "model"` file of `models/<id>/`, followed by its `role: "refine"` file where it has one (a two-stage
 * detector's bytes, as core's `load({ model: { manifest, bytes } })` takes them).
 *
 * @example
 * ```ts
 * const bytes = await readRepoModel({ id: 'fmnist-resnet20', manifest });
 * ```
 */
export async function readRepoModel(o: { id: string; manifest: ManifestFiles }): Promise<Uint8Array> {
  const file = o.manifest.files.find((f) => f.role === 'model');
  if (!file) throw new Error(`models/${o.id}/model.json lists no model file`);
  const refine = o.manifest.files.find((f) => f.role === 'refine');
  const model = await readFile(new URL(`../../../models/${o.id}/${file.path}`, import.meta.url));
  if (!refine) return model;
  const second = await readFile(new URL(`../../../models/${o.id}/${refine.path}`, import.meta.url));
  const out = new Uint8Array(model.byteLength + second.byteLength);
  out.set(model);
  out.set(second, model.byteLength);
  return out;
}

async function readFile(url: URL): Promise<Uint8Array> {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (url.protocol === 'file:' && proc?.versions?.node && proc.getBuiltinModule) {
    const buf = await (proc.getBuiltinModule('node:fs/promises') as NodeFs).readFile(url);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
