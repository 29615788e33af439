/**
 * Review and automatic labels: suggestions from Monte-Carlo rollouts, first-error search, exact
 * solvers, scorers and imports (never overwriting human labels), adjudicated final labels, and
 * quality-control gold labels.
 */
export const name = 'review';

export const sql = /* sql */ `
CREATE TABLE auto_labels (
  id         INTEGER PRIMARY KEY,
  node_id    INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source     TEXT NOT NULL CHECK (source IN ('mc','first-error','exact','scorer','import')),
  label      INTEGER CHECK (label IN (-1,0,1)),
  value      REAL,
  rollouts   INTEGER,
  model      TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (node_id, source)
);
CREATE INDEX auto_labels_run ON auto_labels(run_id, source);

CREATE TABLE adjudications (
  node_id    INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rating     INTEGER NOT NULL CHECK (rating IN (-1,0,1)),
  reviewer   TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX adjudications_run ON adjudications(run_id);

CREATE TABLE gold_labels (
  node_id    INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rating     INTEGER NOT NULL CHECK (rating IN (-1,0,1)),
  set_by     TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX gold_labels_run ON gold_labels(run_id);

ALTER TABLE runs ADD COLUMN quality_control INTEGER NOT NULL DEFAULT 0;
`;
