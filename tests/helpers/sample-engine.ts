/** An in-process engine over a fresh database holding the sample countdown tree (helpers/seed.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../main/engine/engine';
import { Store } from '../../main/engine/store/store';
import { seedSampleTree } from './seed';

export function engineOnSampleTree(): { engine: Engine; db: string; runId: number; ids: number[] } {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-sample-')), 'sample.db');
  const { runId, ids, store } = seedSampleTree(db);
  store.close();
  return { engine: new Engine(Store.open(db)), db, runId, ids };
}
