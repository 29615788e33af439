import type { Command } from 'commander';
import { backupDatabase } from '../../store/backup';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description("Copy a database safely while the studio is using it (SQLite's online backup API)")
    .requiredOption('--db <file>', 'database to back up')
    .requiredOption('--out <file>', 'backup file to create (must not exist)')
    .action(async (opts: { db: string; out: string }) => {
      const { pages, bytes } = await backupDatabase(opts.db, opts.out);
      process.stdout.write(`backed up ${opts.db} to ${opts.out}: ${pages} pages, ${(bytes / 1024 / 1024).toFixed(1)} MB, integrity ok\n`);
    });
}
