/** Export and import handlers: thin wrappers over the engine's export and import runners. */
import { exportDataset, previewExport } from '../export/run-export';
import { importFile } from '../import/run-import';
import type { Handlers } from './types';

export const exportHandlers: Handlers<'exportData' | 'previewExport' | 'importData'> = {
  exportData: (input, { store }) => exportDataset(store.db, input),
  previewExport: (input, { store }) => previewExport(store.db, input),
  importData: (input, { store }) => importFile(store, input),
};
