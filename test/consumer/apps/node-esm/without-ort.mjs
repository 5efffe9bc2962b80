// Registers a resolve hook that makes onnxruntime-web look uninstalled, then asks for the ORT backend.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'onnxruntime-web' || specifier.startsWith('onnxruntime-web/')) {
    const err = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`));

const { load } = await import('@resnet-edge/core');
try {
  await load({ model: 'fmnist-resnet20', backend: 'ort-wasm' });
  console.log(JSON.stringify({ loaded: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
}
