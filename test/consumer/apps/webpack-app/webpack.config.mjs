// A plain webpack 5 config: nothing resnet-edge specific.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: { app: '../esbuild-app/src/app.js', 'worker-app': '../esbuild-app/src/worker-app.js' },
  output: { path: fileURLToPath(new URL('./dist', import.meta.url)), clean: true },
  performance: { hints: false },
};
