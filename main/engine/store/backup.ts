/**
 * Online backup through SQLite's backup API: a consistent copy while the studio (or a search)
 * keeps writing. Writes to a temporary file and renames, so a failed backup leaves nothing half-made.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';

export async function backupDatabase(source: string, target: string): Promise<{ pages: number; bytes: number }> {
  if (!fs.existsSync(source)) throw new StoreError(`Database file not found: ${source}`, 'not_found');
  if (path.resolve(source) === path.resolve(target)) throw new StoreError('Backup target is the database itself');
  if (fs.existsSync(target)) throw new StoreError(`Backup target already exists: ${target}`, 'conflict');
  const db = new Database(source, { readonly: true, fileMustExist: true });
  const partial = `${target}.partial-${process.pid}`;
  try {
    db.pragma('busy_timeout = 5000');
    const progress = await db.backup(partial);
    const check = new Database(partial, { readonly: true });
    const ok = check.pragma('integrity_check', { simple: true });
    check.close();
    if (ok !== 'ok') throw new StoreError(`Backup failed its integrity check: ${String(ok)}`);
    fs.renameSync(partial, target);
    return { pages: progress.totalPages, bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Backup of ${source} failed: ${(error as Error).message}`, 'unavailable');
  } finally {
    db.close();
    // The copy is in WAL mode like its source: checking it left (empty) side files by the temporary name.
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(`${partial}${side}`, { force: true });
  }
}
