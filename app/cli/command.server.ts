// What every CLI command shares: its description, argument parsing that turns any mistake into one
// line, and lazy access to the database (so a command that does not need it never opens it).
import { parseArgs } from 'node:util';
import type { OpenDatabase } from '~db/connect';

/** A mistake by the person at the keyboard: printed as one line on stderr, exit code 1. */
export class CliError extends Error {}

export interface CliContext {
  argv: string[];
  /** Opens the database named by DATABASE_URL and migrates it, the first time it is called. */
  database(): Promise<OpenDatabase>;
}

export interface CliCommand {
  name: string;
  /** The arguments, as shown in the usage text. */
  usage: string;
  /** Extra lines for `<command> --help`. */
  details?: string[];
  run(context: CliContext): Promise<void>;
}

export const INVOCATION = 'npm run cli --';

type OptionSpec = { type: 'string'; multiple?: boolean } | { type: 'boolean' };

/** parseArgs in strict mode, with its errors rewritten as one line that points to the usage. */
export function parseOptions<const O extends Record<string, OptionSpec>>(command: CliCommand, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError(`${describeParseError(error)} Usage: ${INVOCATION} ${command.name} ${command.usage}`);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option}.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${quoted}" (every value follows an option, such as --email ana@example.com).`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument') ? `${option} does not take a value.` : `${option} needs a value.`;
    default:
      return message.split('\n')[0] ?? message;
  }
}

export function required<T>(value: T | undefined, option: string, command: CliCommand): T {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
    throw new CliError(`${option} is required. Usage: ${INVOCATION} ${command.name} ${command.usage}`);
  }
  return value;
}

/** "23.4 KiB" */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Rows as left-aligned columns separated by two spaces, with a header and a rule under it. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
