/** Export and import handlers: thin wrappers over the engine's export and import runners. */
import { exportDataset, previewExport } from '../export/run-export';
import { importFile } from '../import/run-import';
import { resolveUserPath } from './file-access';
import type { Handlers } from './types';

export const exportHandlers: Handlers<'exportData' | 'previewExport' | 'importData'> = {
  exportData: (input, ctx) => exportDataset(ctx.store.db, { ...input, outDir: resolveUserPath(ctx, input.outDir, 'outDir') }),
  previewExport: (input, { store }) => previewExport(store.db, input),
  importData: (input, ctx) =>
    importFile(ctx.store, {
      ...input,
      path: resolveUserPath(ctx, input.path, 'path'),
      reportPath: input.reportPath === undefined ? undefined : resolveUserPath(ctx, input.reportPath, 'reportPath'),
    }),
};
