/**
 * The databases a desktop user has opened, most recent first, kept in the studio's home folder
 * (not in any database), so the Workspace screen can offer them again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const MAX_RECENT = 20;
const Recent = z.array(z.object({ path: z.string(), openedAt: z.string() }));
export type RecentDatabase = z.infer<typeof Recent>[number] & { exists: boolean };

/** Where the studio keeps its default (sample) database and settings. */
export function studioHome(): string {
  return process.env.METACOT_HOME ?? path.join(os.homedir(), '.metacot');
}

/** The sample database the studio opens when no other is named. */
export function defaultDbPath(): string {
  return path.join(studioHome(), 'sample.db');
}

const recentFile = () => path.join(studioHome(), 'recent.json');

function readRecent(): z.infer<typeof Recent> {
  try {
    const parsed = Recent.safeParse(JSON.parse(fs.readFileSync(recentFile(), 'utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return []; // missing or damaged: start a new list rather than fail to open
  }
}

export function recentDatabases(): RecentDatabase[] {
  return readRecent().map((r) => ({ ...r, exists: fs.existsSync(r.path) }));
}

export function rememberDatabase(dbPath: string): void {
  const abs = path.resolve(dbPath);
  const list = [{ path: abs, openedAt: new Date().toISOString() }, ...readRecent().filter((r) => r.path !== abs)].slice(0, MAX_RECENT);
  fs.mkdirSync(studioHome(), { recursive: true });
  const tmp = `${recentFile()}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(list, null, 2)}\n`);
  fs.renameSync(tmp, recentFile());
}
