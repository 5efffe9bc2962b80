/**
 * One command to try the demo: builds it, then serves it on http://127.0.0.1:5173/ with COOP/COEP.
 *   node --import tsx examples/demo/serve.ts [--port 5173]
 */
import { startStaticServer } from '../../test/browser/harness.js';
import { buildDemo, demoRoutes } from './build.js';

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT ?? 5173);
await buildDemo();
const server = await startStaticServer({ routes: demoRoutes(), port });
console.log(`resnet-edge demo: ${server.url}  (Ctrl+C to stop)`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
