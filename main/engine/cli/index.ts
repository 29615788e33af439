/**
 * `metacot`: the studio's command line. Each command lives in ./commands/ and is listed in
 * COMMANDS below; errors a user can fix print one line and exit with code 2.
 */
import { Command, CommanderError } from 'commander';
import { bindKeyToEndpoint } from '../models/endpoint-keys';
import { describeStorageError } from '../store/errors';
import { StoreError } from '../store/store';
import { VERSION } from '../version';
import { CliError } from './util';

type Register = (program: Command) => void;

/**
 * The commands by name, in help order. A command's module is loaded only when that command runs
 * (all of them for help or an unknown name): `metacot runs` then never loads the model runtime,
 * the exporters or the server.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./commands/serve')).registerServe,
  agreement: async () => (await import('./commands/agreement')).registerAgreement,
  autolabel: async () => (await import('./commands/autolabel')).registerAutolabel,
  backup: async () => (await import('./commands/backup')).registerBackup,
  'synth-db': async () => (await import('./commands/synth-db')).registerSynthDb,
  model: async () => (await import('./commands/model')).registerModel,
  export: async () => (await import('./commands/export')).registerExport,
  import: async () => (await import('./commands/import')).registerImport,
  search: async () => (await import('./commands/search')).registerSearch,
  runs: async () => (await import('./commands/runs')).registerRuns,
  'sample-db': async () => (await import('./commands/sample-db')).registerSampleDb,
  transcripts: async () => (await import('./commands/transcripts')).registerTranscripts,
  'tag-transcripts': async () => (await import('./commands/tag-transcripts')).registerTagTranscripts,
  'eval-prm': async () => (await import('./commands/eval-prm')).registerEvalPrm,
};

/** The program with the command `argv` names, or with every command when it names none of them. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('metacot')
    .description('Meta-CoT Studio: grow, label and export LLM reasoning search trees')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    // An endpoint the user typed on the command line (--policy, model check URL) may receive their API key; one read from a
    // database or file may not (models/endpoint-keys.ts).
    .hook('preAction', (_program, action) => {
      // A URL typed here, alone or inside a provider name (`vllm-prm:http://host:8000#m`), may receive the key.
      for (const value of [...Object.values(action.opts()), ...action.args]) {
        const url = typeof value === 'string' ? /^(?:[a-z-]+:)?(https?:\/\/\S+)$/i.exec(value)?.[1] : undefined;
        if (url) bindKeyToEndpoint(url);
      }
    });
  const named = argv[2];
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError || error instanceof StoreError) {
      process.stderr.write(`metacot: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 2;
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
