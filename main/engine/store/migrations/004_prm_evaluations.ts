/**
 * PRM evaluation (`metacot eval-prm`, the review screen's PRM panel): each scorer's score of each
 * step, kept by scorer name so an interrupted evaluation resumes and several PRMs are scored once
 * each; and each evaluation's metrics, kept by scorer name so PRMs compare side by side.
 */
export const name = 'prm_evaluations';

export const sql = `
CREATE TABLE prm_step_scores (
  scorer     TEXT NOT NULL,
  node_id    INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  score      REAL NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (scorer, node_id)
);
CREATE INDEX prm_step_scores_run ON prm_step_scores(run_id);

CREATE TABLE prm_evaluations (
  id         INTEGER PRIMARY KEY,
  scorer     TEXT NOT NULL,
  reference  TEXT NOT NULL,
  run_filter TEXT NOT NULL,
  threshold  REAL NOT NULL,
  metrics    TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX prm_evaluations_scorer ON prm_evaluations(scorer);
`;
