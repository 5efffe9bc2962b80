/** `resnet-edge` command line: classify, detect, quantize. Entry of the built CLI (`dist/cli.mjs`) and of `bin/`. */
import { ResNetEdgeError, serializeError, type SerializedError } from '../errors.js';
import { runInference } from './infer.js';
import { processIO, type CliIO } from './io.js';
import { COMMANDS, usageFor, type Command } from './usage.js';
import { coreVersion } from './version.js';

/** Exit codes: documented in the usage texts and the README. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Whether argv asks for help before a `--` (help wins over any other problem with the arguments). */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Runs the CLI; returns the process exit code: 0 ok, 1 a runtime error (an image failed, the model did not load),
 * 2 a usage error (unknown command or option, bad value). With `--json`, errors are printed as
 * `{ "error": { "code", "message" } }` on stdout; otherwise as `error CODE: message` on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['classify', 'shoe.png', '--json']);
 * ```
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [first, ...rest] = argv;
  const command = (COMMANDS as readonly string[]).includes(first) ? (first as Command) : undefined;
  const json = argv.includes('--json');
  try {
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${await coreVersion()}\n`);
      return EXIT_OK;
    }
    if (first === 'help') {
      const topic = (COMMANDS as readonly string[]).includes(rest[0]) ? (rest[0] as Command) : undefined;
      io.stdout.write(`${usageFor(topic)}\n`);
      return EXIT_OK;
    }
    if (first === undefined) {
      io.stderr.write(`${usageFor(undefined)}\n`);
      return EXIT_USAGE;
    }
    if (wantsHelp(command ? rest : argv)) {
      io.stdout.write(`${usageFor(command)}\n`);
      return EXIT_OK;
    }
    if (command === 'classify' || command === 'detect') return await runInference({ command, argv: rest, io });
    if (command === 'quantize') {
      // Loaded on demand: the quantizer pulls in onnxruntime-web for calibration, which classify/detect may never need.
      const { runQuantizeCli } = await import('./quantize.js');
      return await runQuantizeCli(rest, io);
    }
    if (command === 'pack') return await (await import('./pack.js')).runPackCli(rest, io);
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown command "${first}".`);
  } catch (e) {
    return reportError({ io, json, command, error: serializeError(e) });
  }
}

function reportError(o: { io: CliIO; json: boolean; command: Command | undefined; error: SerializedError }): number {
  const usage = o.error.code === 'INVALID_ARGUMENT';
  if (o.json) o.io.stdout.write(`${JSON.stringify({ error: o.error }, null, 2)}\n`);
  else {
    const hint = usage ? `\nRun "resnet-edge ${o.command ? `${o.command} ` : ''}--help" for usage.` : '';
    o.io.stderr.write(`error ${o.error.code}: ${o.error.message}${hint}\n`);
  }
  return usage ? EXIT_USAGE : EXIT_FAILED;
}
