/**
 * The `metacot` command as prebuilt JavaScript (scripts/cli-bundle.mjs bundles this file and the
 * worker threads into out/cli/; bin/metacot.js loads it while it is fresh). Its worker threads are
 * the bundle's own files beside it, not the TypeScript bootstraps a source checkout starts.
 */
import { setWorkerEntries } from '../worker-entries';

export { main } from './index';

setWorkerEntries({
  search: new URL('./search-worker.js', import.meta.url),
  writer: new URL('./writer-thread.js', import.meta.url),
});
