/** The workspace: which database is open, recent ones, opening or creating another (desktop only). */
import { z } from 'zod';
import { method } from './define';

export const workspaceMethods = {
  getWorkspace: method(
    z.object({}).default({}),
    z.object({
      dbPath: z.string(),
      /** False under `serve`, which always shows the database it was started with. */
      canSwitch: z.boolean(),
      recent: z.array(z.object({ path: z.string(), openedAt: z.string(), exists: z.boolean() })),
    }),
    'The open database, whether it can be switched here, and recently opened ones.',
  ),
  openDatabase: method(
    z.object({
      path: z
        .string()
        .trim()
        .min(1, 'give a database file path')
        .max(4096)
        .refine((p) => !p.includes('\0'), 'path must not contain NUL'),
      /** Create a new, empty studio database when the file does not exist. */
      create: z.boolean().default(false),
    }),
    z.object({ dbPath: z.string() }),
    'Opens (or creates) another database in the desktop app; every window reloads.',
  ),
};
