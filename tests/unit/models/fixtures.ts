/** Paths of the committed tiny random-weight model folders (see tests/fixtures/models/make_models.py). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/models');
export const fixture = (name: string): string => path.join(MODELS, name);

/** A scratch copy of a fixture folder that a test may break. */
export function scratchCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-model-'));
  fs.cpSync(fixture(name), dir, { recursive: true });
  return dir;
}
