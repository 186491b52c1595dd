// `npm run cli -- <command> [options]`: administration from a terminal. Each command checks its
// arguments before touching the database; any mistake is one line on stderr and exit code 1.
import type { OpenDatabase } from '~db/connect';
import { CliError, INVOCATION, type CliCommand } from './cli/command.server';

// Each command's module is imported only when it runs: the libraries behind them take most of a
// start-up, and content:check, for one, never loads the database layer.
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<CliCommand> }[] = [
  {
    name: 'user:create',
    summary: 'Create an account with roles (learner, trainer, manager, admin).',
    load: async () => (await import('./cli/users.server')).userCreate,
  },
  {
    name: 'cohort:create',
    summary: 'Create a cohort: learners who start the track together.',
    load: async () => (await import('./cli/cohorts.server')).cohortCreate,
  },
  {
    name: 'enroll',
    summary: 'Put a learner on the track, with a cohort or a personal start date.',
    load: async () => (await import('./cli/cohorts.server')).enrollCommand,
  },
  {
    name: 'apikey:create',
    summary: 'Create an API key for the helpdesk; the key is printed once.',
    load: async () => (await import('./cli/apikey.server')).apiKeyCreate,
  },
  {
    name: 'content:check',
    summary: 'Check content/ (CONTENT_DIR) for mistakes; needs no database.',
    load: async () => (await import('./cli/content.server')).contentCheck,
  },
  {
    name: 'import',
    summary: 'Import a GIFT or Moodle XML question bank into the studio as draft scenarios.',
    load: async () => (await import('./cli/import.server')).importCommand,
  },
  {
    name: 'scenarios:export',
    summary: 'Write scenarios as content/ YAML files (or one GIFT file) into a directory.',
    load: async () => (await import('./cli/scenarios-yaml.server')).scenariosExport,
  },
  {
    name: 'scenarios:import',
    summary: 'Check content/-format scenario files and add them to the studio as drafts.',
    load: async () => (await import('./cli/scenarios-yaml.server')).scenariosImport,
  },
  {
    name: 'db:backup',
    summary: 'Copy the database to a new file while the server keeps running.',
    load: async () => (await import('./cli/database.server')).dbBackup,
  },
  {
    name: 'demo:seed',
    summary: 'Load content/ and add a demo cohort with users of every role (safe to run again).',
    load: async () => (await import('./cli/demo.server')).demoSeed,
  },
  {
    name: 'demo:scale',
    summary: 'Build a synthetic programme (N learners, ~100 saved answers each) for benchmarks and demos.',
    load: async () => (await import('./cli/demo-scale.server')).demoScale,
  },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${INVOCATION} <command> [options]   (quieter: npm run --silent cli -- …)`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `"${INVOCATION} <command> --help" shows a command's options.`,
    'The database is DATABASE_URL (default file:./data/frontline.db); content is read from CONTENT_DIR (default ./content).',
  ].join('\n');
}

function commandUsage(command: CliCommand, summary: string): string {
  return [`Usage: ${INVOCATION} ${command.name} ${command.usage}`.trimEnd(), '', summary, ...(command.details ?? [])].join('\n');
}

/** --help or -h before a "--" that ends the options. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    throw new CliError(`Unknown command "${name}": use one of ${COMMANDS.map((c) => c.name).join(', ')} (see ${INVOCATION} --help).`);
  }
  const command = await entry.load();
  if (asksForHelp(rest)) {
    console.log(commandUsage(command, entry.summary));
    return;
  }
  await command.run({ argv: rest, database: openDatabase });
}

let opened: Promise<OpenDatabase> | undefined;

/** The database named by DATABASE_URL, migrated: opened the first time a command asks for it. */
function openDatabase(): Promise<OpenDatabase> {
  opened ??= (async () => {
    const [{ migrateToLatest }, { getDatabase }] = await Promise.all([import('~db/connect'), import('~/db.server')]);
    const open = getDatabase();
    await migrateToLatest(open.db);
    return open;
  })();
  return opened;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = 1;
  if (error instanceof CliError) {
    console.error(`error: ${oneLine(error.message)}`);
  } else {
    // Not a mistake in the arguments: a bug or the environment (an unreadable file, a bad DATABASE_URL).
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${oneLine(message)}${process.env.FRONTLINE_DEBUG ? '' : ' (set FRONTLINE_DEBUG=1 for the stack trace)'}`);
    if (process.env.FRONTLINE_DEBUG && error instanceof Error) console.error(error.stack);
  }
} finally {
  if (opened) await (await import('~/db.server')).closeDatabase();
}
