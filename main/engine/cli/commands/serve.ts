import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelAccess } from '../../api/model-access';
import { Engine } from '../../engine';
import { bindKeyToEndpoint, normalizeEndpoint } from '../../models/endpoint-keys';
import { RENDERER_DIR } from '../../paths';
import { buildSampleDb } from '../../sample/sample-db';
import { startServer } from '../../serve/server';
import { CliError, defaultDbPath, parseIntOption } from '../util';

const collect = (value: string, previous: string[]) => [...previous, value];

/** What clients may name as policy or scorer; the API key is bound to the allowed endpoints. */
function modelAccessFrom(models: string | undefined, endpoints: string[]): ModelAccess {
  let modelsDir: string | null = null;
  if (models !== undefined) {
    modelsDir = path.resolve(models);
    if (!fs.existsSync(modelsDir) || !fs.statSync(modelsDir).isDirectory()) throw new CliError(`--models ${models} is not a folder`);
  }
  const allowed = endpoints.map((url) => {
    const normalized = normalizeEndpoint(url);
    if (!normalized) throw new CliError(`--allow-endpoint ${url} is not an http(s) URL (without user:password@)`);
    bindKeyToEndpoint(normalized);
    return normalized;
  });
  return { modelsDir, endpoints: allowed };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the studio to a browser (the same API as the desktop app, over HTTP)')
    .option('--db <file>', 'database file (default: the sample database, created if missing)')
    .option('--host <addr>', 'address to bind; anything but loopback requires the printed token', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', parseIntOption('port', 0, 65535), 5174)
    .option('--files <dir>', 'the only folder exports and imports may use (default: metacot-files beside the database)')
    .option('--models <dir>', 'folder of model folders clients may name as onnx:<name> (bundled models are always offered)')
    .option('--allow-endpoint <url>', 'an OpenAI-compatible endpoint clients may name as policy; repeat for more (the API key goes only to these)', collect, [])
    .action(async (opts: { db?: string; host: string; port: number; files?: string; models?: string; allowEndpoint: string[] }) => {
      const access = modelAccessFrom(opts.models, opts.allowEndpoint);
      const dbPath = opts.db ?? defaultDbPath();
      if (opts.db && !fs.existsSync(opts.db)) {
        throw new CliError(`database ${opts.db} does not exist (leave out --db to use the sample database)`);
      }
      if (!opts.db && !fs.existsSync(dbPath)) {
        process.stdout.write(`Creating the sample database ${dbPath} (first start)...\n`);
        await buildSampleDb(dbPath);
      }
      const engine = Engine.open(dbPath);
      const filesDir = path.resolve(opts.files ?? path.join(path.dirname(path.resolve(dbPath)), 'metacot-files'));
      // A read-only place still serves its trees; only imports and exports then fail, saying why.
      let filesNote = '';
      try {
        fs.mkdirSync(filesDir, { recursive: true });
      } catch (error) {
        filesNote = ` (cannot be created: ${(error as Error).message}; imports and exports will fail)`;
      }
      engine.context.fileRoot = filesDir;
      engine.context.modelAccess = access;
      let server;
      try {
        server = await startServer(engine, { host: opts.host, port: opts.port, staticDir: RENDERER_DIR });
      } catch (error) {
        engine.close();
        throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${(error as Error).message}`);
      }
      const link = server.token ? `${server.url}?token=${server.token}` : server.url;
      process.stdout.write(`Meta-CoT Studio serving ${dbPath}\n  ${link}\n  exports and imports in ${filesDir}${filesNote}\n`);
      if (engine.store.readOnlyReason) process.stdout.write(`  read-only (${engine.store.readOnlyReason}): labels, searches and imports cannot be saved\n`);
      if (access.modelsDir) process.stdout.write(`  models from ${access.modelsDir}\n`);
      for (const url of access.endpoints) process.stdout.write(`  endpoint ${url}\n`);
      if (server.token) process.stdout.write(`  access token: ${server.token}\n`);
      if (!fs.existsSync(RENDERER_DIR)) process.stdout.write('  (renderer not built: run `npm run build`)\n');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      engine.close();
    });
}
