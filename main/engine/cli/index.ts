/**
 * `metacot`: the studio's command line. Each command lives in ./commands/ and registers itself
 * here; errors a user can fix print one line and exit with code 2.
 */
import { Command, CommanderError } from 'commander';
import { bindKeyToEndpoint } from '../models/endpoint-keys';
import { describeStorageError } from '../store/errors';
import { StoreError } from '../store/store';
import { VERSION } from '../version';
import { CliError } from './util';
import { registerServe } from './commands/serve';
import { registerAgreement } from './commands/agreement';
import { registerAutolabel } from './commands/autolabel';
import { registerBackup } from './commands/backup';
import { registerSynthDb } from './commands/synth-db';
import { registerModel } from './commands/model';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerSearch } from './commands/search';
import { registerRuns } from './commands/runs';
import { registerSampleDb } from './commands/sample-db';
import { registerTranscripts } from './commands/transcripts';

export function buildProgram(): Command {
  const program = new Command('metacot')
    .description('Meta-CoT Studio: grow, label and export LLM reasoning search trees')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // An endpoint the user typed on the command line (--policy, model check URL) may receive their API key; one read from a
    // database or file may not (models/endpoint-keys.ts).
    .hook('preAction', (_program, action) => {
      for (const value of [...Object.values(action.opts()), ...action.args]) if (typeof value === 'string' && /^https?:\/\//i.test(value)) bindKeyToEndpoint(value);
    });
  registerServe(program);
  registerAgreement(program);
  registerAutolabel(program);
  registerBackup(program);
  registerSynthDb(program);
  registerModel(program);
  registerExport(program);
  registerImport(program);
  registerSearch(program);
  registerRuns(program);
  registerSampleDb(program);
  registerTranscripts(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError || error instanceof StoreError) {
      process.stderr.write(`metacot: ${error.message}\n`);
      return 2;
    }
    const storage = describeStorageError(error);
    if (storage) {
      process.stderr.write(`metacot: ${storage}\n`);
      return 2;
    }
    process.stderr.write(`metacot: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
