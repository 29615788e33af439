/** `metacot sample-db`: builds the sample database a new user opens first. */
import type { Command } from 'commander';
import fs from 'node:fs';
import { buildSampleDb, SampleDbExistsError } from '../../sample/sample-db';
import { CliError, defaultDbPath } from '../util';

export function registerSampleDb(program: Command): void {
  program
    .command('sample-db')
    .description('Build the sample database: countdown and game24 problems with trees from real searches')
    .option('--db <file>', 'where to write it (default: the sample database the studio opens)')
    .option('--force', 'replace an existing file')
    .option('--if-missing', 'do nothing when the file exists (what `npm start` runs)')
    .action(async (o: { db?: string; force?: boolean; ifMissing?: boolean }) => {
      const file = o.db ?? defaultDbPath();
      if (o.ifMissing && !o.force && fs.existsSync(file)) return;
      try {
        const s = await buildSampleDb(file, { force: o.force === true });
        process.stdout.write(`sample database ${s.path}: ${s.problems} problems, ${s.runs} runs (${s.solved} solved), ${s.nodes} nodes\n`);
      } catch (error) {
        if (error instanceof SampleDbExistsError) throw new CliError(error.message);
        throw error;
      }
    });
}
