/**
 * How an export reaches its folder without ever showing a mix of two exports. Every file is
 * written into a fresh hidden staging folder inside the output folder; only when all are complete
 * (and flushed to disk) is the set moved in, under a lock, in an order that keeps the dataset card
 * (README.md) a true manifest: the old card goes first, the new one last. A folder with a card
 * holds exactly the files that card lists; a folder without one holds no finished export.
 * Staging folders, locks and temporary files left by a process that died are removed by the
 * next export into the same folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../common/contract/define';
import { isProcessAlive } from '../process-alive';
import { safeOutputFile } from './paths';

const STAGING_PREFIX = '.metacot-export-';
const LOCK_NAME = '.metacot-export.lock';
/** Temporary names earlier versions used (`train.jsonl.<pid>-<8 hex>.partial`, the card's too). */
const LEGACY_PARTIAL = /^(?:(?:train|test)\.(?:jsonl|parquet)|README\.md)\.(\d+)-[0-9a-f]{8}\.partial$/;

/** The pid a leftover's name carries, or null when the name is not one of ours. */
function ownerOf(name: string): number | null {
  if (name.startsWith(STAGING_PREFIX)) return Number(name.slice(STAGING_PREFIX.length).split('-')[0]) || null;
  const legacy = LEGACY_PARTIAL.exec(name);
  return legacy ? Number(legacy[1]) : null;
}

/** Removes staging folders and temporary files whose process is gone. */
export function removeLeftovers(dir: string): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const pid = ownerOf(name);
    if (pid === null || isProcessAlive(pid)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Holds the folder's export lock (a file created exclusively, naming its pid) while `work` runs. */
function withLock<T>(dir: string, work: () => T): T {
  const lock = path.join(dir, LOCK_NAME);
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(fs.readFileSync(lock, 'utf8')) || null;
    if (owner !== null && isProcessAlive(owner)) throw new ApiError('conflict', `Another export (process ${owner}) is writing ${dir} now; try again when it is done.`);
    fs.rmSync(lock, { force: true });
    fd = fs.openSync(lock, 'wx');
  }
  try {
    fs.writeSync(fd, String(process.pid));
    return work();
  } finally {
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}

export class ExportStaging {
  private constructor(
    readonly dir: string,
    readonly staging: string,
  ) {}

  /** Cleans what dead processes left in `dir` and opens a fresh staging folder there. */
  static open(dir: string): ExportStaging {
    removeLeftovers(dir);
    return new ExportStaging(dir, fs.mkdtempSync(path.join(dir, `${STAGING_PREFIX}${process.pid}-`)));
  }

  /** Where a file of the export is written while it is staged (a plain name, nothing else). */
  file(name: string): string {
    return safeOutputFile(this.staging, name);
  }

  /**
   * Moves the staged files in, replacing `replaced` (the previous export's files), and the card
   * last. Returns the final paths of the data files and the card.
   */
  commit(dataFiles: string[], card: string, replaced: string[]): { files: string[]; card: string } {
    const cardName = 'README.md';
    fs.writeFileSync(this.file(cardName), card, { flag: 'wx' });
    for (const name of [...dataFiles, cardName]) fsyncFile(path.join(this.staging, name));
    const finals = dataFiles.map((name) => safeOutputFile(this.dir, name));
    const cardPath = safeOutputFile(this.dir, cardName);
    withLock(this.dir, () => {
      // From here until the last rename the folder has no card: it holds no finished export.
      fs.rmSync(cardPath, { force: true });
      for (const name of replaced) if (name !== cardName) fs.rmSync(path.join(this.dir, name), { force: true });
      dataFiles.forEach((name, i) => fs.renameSync(path.join(this.staging, name), finals[i]!));
      fs.renameSync(path.join(this.staging, cardName), cardPath);
    });
    this.abort();
    syncFolder(this.dir);
    return { files: finals, card: cardPath };
  }

  /** Removes the staging folder and whatever is in it. */
  abort(): void {
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

/** Makes the renames durable (a no-op where folders cannot be opened for sync). */
function syncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a folder; the renames are still atomic there.
  }
}
