import { ApiError } from '../../../common/contract';
import { recentDatabases } from '../workspace';
import type { Handlers } from './types';

export const workspaceHandlers: Handlers<'getWorkspace' | 'openDatabase'> = {
  getWorkspace: (_input, ctx) => ({
    dbPath: ctx.store.path,
    canSwitch: ctx.switchDatabase !== undefined,
    recent: ctx.switchDatabase ? recentDatabases() : [],
  }),
  openDatabase: async ({ path, create }, ctx) => {
    if (!ctx.switchDatabase) {
      throw new ApiError('forbidden', 'This studio serves one database (the one `metacot serve --db` was given); open another with the desktop app or another serve.');
    }
    await ctx.switchDatabase(path, create);
    return { dbPath: ctx.store.path };
  },
};
