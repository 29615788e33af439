/** For a test file: the sample tree in a fresh database, served over HTTP on an ephemeral port. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../main/engine/engine';
import { startServer, type RunningServer } from '../../main/engine/serve/server';
import { seedSampleTree, type SeededTree } from './seed';

export interface SeededServe {
  seeded: SeededTree;
  engine: Engine;
  server: RunningServer;
}

/** Read the fields inside tests: they are set once beforeAll ran. */
export function useSeededServe(prefix: string): SeededServe {
  const handle = {} as SeededServe;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    handle.seeded = seedSampleTree(path.join(dir, 'served.db'));
    handle.engine = new Engine(handle.seeded.store);
    handle.server = await startServer(handle.engine, { port: 0, staticDir: dir });
  });
  afterAll(async () => {
    await handle.server?.close();
    handle.engine?.close();
  });
  return handle;
}
