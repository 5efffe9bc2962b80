/** The CLI's argv parser: `--flag value`, `--flag=value`, boolean flags, `-h`/`--help`, `--` and positionals. */
import { editDistance } from '../check-keys.js';
import { ResNetEdgeError } from '../errors.js';

/** Whether a flag takes a value (`string`) or not (`boolean`). */
export type OptionKind = 'boolean' | 'string';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
  /** `-h` or `--help` was given (anywhere before `--`). */
  help: boolean;
}

/**
 * Parses argv against the options a command knows; an unknown option, a boolean given a value or a value-taking option
 * without one is `INVALID_ARGUMENT` (exit code 2 in the CLI).
 *
 * @example
 * ```ts
 * parseArgs({ argv: ['a.png', '--json', '--top-k', '3'], options: { json: 'boolean', 'top-k': 'string' } });
 * // { positionals: ['a.png'], flags: { json: true, 'top-k': '3' }, help: false }
 * ```
 */
export function parseArgs(options: { argv: string[]; options: Record<string, OptionKind> }): ParsedArgs {
  const { argv, options: known } = options;
  const out: ParsedArgs = { positionals: [], flags: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') {
      out.help = true;
      continue;
    }
    // A lone '-' and negative numbers are values, not options.
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) {
      out.positionals.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown option ${a}.`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!kind) throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown option --${name}.${suggest(name, Object.keys(known))}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new ResNetEdgeError('INVALID_ARGUMENT', `--${name} takes no value.`);
      out.flags[name] = true;
    } else if (eq >= 0) out.flags[name] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.flags[name] = argv[++i];
    else throw new ResNetEdgeError('INVALID_ARGUMENT', `--${name} needs a value.`);
  }
  return out;
}

/** " Did you mean --x?" for a near miss (edit distance <= 2), else "". */
function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) (best = k), (bestD = d);
  }
  return best ? ` Did you mean --${best}?` : '';
}
