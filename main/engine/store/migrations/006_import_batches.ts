/**
 * Imports write in short transactions (so other clients are never stalled) yet keep all or
 * nothing: each import is a batch listing the runs and problems it created, removed as one when
 * the import ends, and undone (those rows deleted) when it fails, is cancelled or its process
 * dies (found by owner_pid when the database is next opened).
 */
export const name = 'import_batches';

export const sql = `
CREATE TABLE import_batches (
  id         INTEGER PRIMARY KEY,
  owner_pid  INTEGER NOT NULL,
  source     TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE import_batch_rows (
  batch_id INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
  kind     TEXT NOT NULL CHECK (kind IN ('run', 'problem')),
  row_id   INTEGER NOT NULL
);
CREATE INDEX import_batch_rows_batch ON import_batch_rows(batch_id, kind);
`;
