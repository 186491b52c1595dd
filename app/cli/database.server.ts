// db:backup — an online copy of the database, safe while the server is running: SQLite's backup API
// reads a consistent snapshot (write-ahead log included) through our own connection.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CliError, formatBytes, parseOptions, required, type CliCommand } from './command.server';

/** A backup is one self-contained file: no -wal beside it, checked before it is given its name. */
function finishBackup(file: string) {
  const copy = new SQLite(file);
  try {
    copy.pragma('journal_mode = DELETE');
    const check: unknown = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The backup failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

function removeQuietly(file: string) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}

export const dbBackup: CliCommand = {
  name: 'db:backup',
  usage: '--to FILE',
  details: ['FILE must not exist yet; missing directories are created.'],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, { to: { type: 'string' } });
    const target = path.resolve(required(values.to, '--to', this));
    if (fs.existsSync(target)) throw new CliError(`${target} already exists: choose a new file name (backups are never overwritten).`);

    const { sqlite, file } = await database();
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Written under a temporary name and linked into place, so a half-written or failed backup never
    // carries the real name, and a file created meanwhile under that name is not overwritten.
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
    try {
      await sqlite.backup(partial);
      finishBackup(partial);
      try {
        fs.linkSync(partial, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new CliError(`${target} already exists: choose a new file name (backups are never overwritten).`);
        // A file system without hard links: fall back to a rename.
        if (fs.existsSync(target)) throw error;
        fs.renameSync(partial, target);
      }
    } finally {
      removeQuietly(partial);
    }
    const size = fs.statSync(target).size;
    console.log(`Backed up ${file} to ${target} (${formatBytes(size)}).`);
  },
};
