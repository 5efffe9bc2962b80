/** Tiny argv parser: `--flag value`, `--flag=value`, boolean flags, positionals. */
import { ResNetEdgeError } from '../errors.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

/**
 * Parses argv given the set of flags that take no value.
 *
 * @example
 * ```ts
 * parseArgs({ argv: ['a.png', '--json', '--top-k', '3'], booleans: ['json'] });
 * ```
 */
export function parseArgs(options: { argv: string[]; booleans: string[]; known: string[] }): ParsedArgs {
  const { argv, booleans, known } = options;
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name)) throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown option --${name}.`);
    if (booleans.includes(name)) out.flags[name] = true;
    else if (eq >= 0) out.flags[name] = a.slice(eq + 1);
    else if (i + 1 < argv.length) out.flags[name] = argv[++i];
    else throw new ResNetEdgeError('INVALID_ARGUMENT', `--${name} needs a value.`);
  }
  return out;
}
