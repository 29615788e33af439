/** Export and import handlers: thin wrappers over the engine's export and import runners. */
import { exportDataset, previewExport } from '../export/run-export';
import { importFile } from '../import/run-import';
import { resolveUserPath } from './file-access';
import type { Handlers } from './types';

export const exportHandlers: Handlers<'exportData' | 'previewExport' | 'importData'> = {
  exportData: (input, ctx) => exportDataset(ctx.store.connection, { ...input, outDir: resolveUserPath(ctx, input.outDir, 'outDir') }),
  previewExport: (input, { store }) => previewExport(store.connection, input),
  importData: (input, ctx) =>
    importFile(ctx.store, {
      ...input,
      path: resolveUserPath(ctx, input.path, 'path'),
      // The default report name is derived, not typed: it obeys the same rules as a named one.
      reportPath: resolveUserPath(ctx, input.reportPath ?? `${input.path}.rejected.jsonl`, 'reportPath'),
    }),
};
