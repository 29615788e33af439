import fs from 'node:fs';
import path from 'node:path';
import { APP_ROOT } from './paths';

/** The studio version, from package.json (one source of truth). */
export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
