/** Watching a database another thread or process is writing, without disturbing it. */
import Database from 'better-sqlite3';
import fs from 'node:fs';

/** Nodes committed so far (0 while the file or its schema does not exist yet). */
export function committedNodes(db: string): number {
  if (!fs.existsSync(db)) return 0;
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) FROM nodes').pluck().get() as number) ?? 0;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // schema not there yet
  }
}

/** Emits SIGINT in this process (Ctrl+C) once the database holds more than `nodes` nodes; returns a stop function. */
export function ctrlCAfterNodes(db: string, nodes: number): () => void {
  const poll = setInterval(() => {
    if (committedNodes(db) > nodes) {
      clearInterval(poll);
      process.emit('SIGINT');
    }
  }, 20);
  return () => clearInterval(poll);
}
