/** The first schema: problems, runs, nodes, annotations with append-only history, branch ratings. */
export const name = 'initial';

export const sql = /* sql */ `
CREATE TABLE problems (
  id          INTEGER PRIMARY KEY,
  task        TEXT NOT NULL,
  prompt      TEXT NOT NULL,
  gold_answer TEXT,
  metadata    TEXT NOT NULL DEFAULT '{}',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX problems_task ON problems(task, id);

CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  problem_id    INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  algorithm     TEXT NOT NULL,
  config        TEXT NOT NULL DEFAULT '{}',
  policy        TEXT NOT NULL,
  scorer        TEXT,
  seed          INTEGER NOT NULL DEFAULT 0,
  status        TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued','running','done','cancelled','interrupted','failed')),
  stats         TEXT NOT NULL DEFAULT '{}',
  error         TEXT,
  finish_reason TEXT CHECK (finish_reason IN ('solution','found_error','bad_problem','give_up')),
  -- pid of the process running the search; a running run whose owner is gone was interrupted.
  owner_pid     INTEGER,
  node_count    INTEGER NOT NULL DEFAULT 0,
  labeled_count INTEGER NOT NULL DEFAULT 0,
  solved        INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at    TEXT,
  finished_at   TEXT
);
CREATE INDEX runs_problem ON runs(problem_id);
CREATE INDEX runs_status ON runs(status, id);

-- seq: creation order within the run (root 0), the node's identity inside its run.
-- expansion: which expansion created the node (root 0); replay steps through it.
CREATE TABLE nodes (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  parent_id   INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  depth       INTEGER NOT NULL,
  expansion   INTEGER NOT NULL,
  step_text   TEXT NOT NULL,
  state       TEXT,
  token_count INTEGER,
  logprob     REAL,
  prior       REAL,
  value       REAL,
  visits      INTEGER NOT NULL DEFAULT 0,
  q           REAL,
  score       REAL,
  is_terminal INTEGER NOT NULL DEFAULT 0,
  valid       INTEGER NOT NULL DEFAULT 1,
  outcome     TEXT CHECK (outcome IN ('correct','incorrect')),
  exact_label INTEGER CHECK (exact_label IN (-1,0,1)),
  pruned      INTEGER NOT NULL DEFAULT 0
);
-- "nodes of a run in creation order" and the (run, seq) address the search writes through.
CREATE UNIQUE INDEX nodes_run_seq ON nodes(run_id, seq);
-- "children of a node".
CREATE INDEX nodes_parent ON nodes(parent_id);

CREATE TABLE annotations (
  id         INTEGER PRIMARY KEY,
  node_id    INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  annotator  TEXT NOT NULL,
  rating     INTEGER CHECK (rating IN (-1,0,1)),
  flagged    INTEGER NOT NULL DEFAULT 0,
  note       TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (node_id, annotator)
);
CREATE INDEX annotations_run ON annotations(run_id);

CREATE TABLE branch_ratings (
  id           INTEGER PRIMARY KEY,
  leaf_node_id INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  annotator    TEXT NOT NULL,
  score        INTEGER CHECK (score BETWEEN 1 AND 5),
  preferred    INTEGER NOT NULL DEFAULT 0,
  note         TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (leaf_node_id, annotator)
);
CREATE INDEX branch_ratings_run ON branch_ratings(run_id);

-- Append-only: every annotation change with its previous value. Undo and redo append rows too.
CREATE TABLE history (
  id        INTEGER PRIMARY KEY,
  annotator TEXT NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('do','undo','redo')),
  target_id INTEGER REFERENCES history(id),
  entity    TEXT NOT NULL CHECK (entity IN ('annotation','prune','branch_rating','finish_reason')),
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id   INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  before    TEXT,
  after     TEXT,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX history_run ON history(run_id, id);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
  WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- Per-annotator undo and redo stacks over history rows (derived bookkeeping, not history).
CREATE TABLE undo_stack (
  annotator  TEXT NOT NULL,
  stack      TEXT NOT NULL CHECK (stack IN ('undo','redo')),
  history_id INTEGER NOT NULL REFERENCES history(id) ON DELETE CASCADE,
  PRIMARY KEY (annotator, stack, history_id)
) WITHOUT ROWID;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
