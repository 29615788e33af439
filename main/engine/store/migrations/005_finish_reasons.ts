/**
 * Finish reasons per annotator, as PRM800K keeps them per labeler: one row per (run, annotator).
 * runs.finish_reason stays as the latest reason anyone gave (what the library lists). Existing
 * reasons are kept under whoever last set them in the history ('unknown' when it has no entry).
 */
export const name = 'finish_reasons';

export const sql = /* sql */ `
CREATE TABLE finish_reasons (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  annotator  TEXT NOT NULL,
  reason     TEXT NOT NULL CHECK (reason IN ('solution','found_error','bad_problem','give_up')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (run_id, annotator)
);
INSERT INTO finish_reasons (run_id, annotator, reason)
  SELECT r.id,
         COALESCE((SELECT h.annotator FROM history h WHERE h.entity = 'finish_reason' AND h.run_id = r.id ORDER BY h.id DESC LIMIT 1), 'unknown'),
         r.finish_reason
  FROM runs r WHERE r.finish_reason IS NOT NULL;
`;
