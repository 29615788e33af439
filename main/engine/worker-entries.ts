/**
 * Where the engine's worker threads start. Source checkouts (CLI, serve, tests) start small .mjs
 * bootstraps that load the TypeScript through tsx; the Electron build bundles each worker as its
 * own entry and points these at the bundled files before the engine starts (main/electron/engine-host.ts).
 */
export const workerEntries = {
  search: new URL('./search/worker/search-worker.mjs', import.meta.url),
  writer: new URL('./search/writer/writer-thread.mjs', import.meta.url),
};

export function setWorkerEntries(entries: Partial<typeof workerEntries>): void {
  Object.assign(workerEntries, entries);
}
