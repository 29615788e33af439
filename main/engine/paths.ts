/** Folders of the installed studio, found from this file so they work from any working directory. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json lives). Overridable for packaged apps. */
export const APP_ROOT = process.env.METACOT_APP_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(APP_ROOT, 'out', 'renderer');
/** Models and sample data; a packaged app points this at its unpacked copy (see main/electron). */
export const RESOURCES_DIR = process.env.METACOT_RESOURCES_DIR ?? path.join(APP_ROOT, 'resources');
