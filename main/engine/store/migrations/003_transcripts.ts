/**
 * Long chains of thought as trees: the transcript a run was rebuilt from (segmenter, record shape,
 * the wrapper text around reasoning and answer) and, per step, its place in reading order, its
 * function tag and its relation to the thought before. Structure edits (split, merge, move, tag)
 * become a history entity, so the history table is rebuilt with the wider CHECK; its rows and the
 * undo stacks are kept as they were.
 */
export const name = 'transcripts';

export const sql = /* sql */ `
CREATE TABLE transcripts (
  run_id       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  segmenter    TEXT NOT NULL,
  shape        TEXT NOT NULL,
  -- The response is prefix + reasoning + middle + answer + suffix; the steps hold reasoning and
  -- answer, the answer starting at offset answer_start of their concatenation.
  prefix       TEXT NOT NULL DEFAULT '',
  middle       TEXT NOT NULL DEFAULT '',
  suffix       TEXT NOT NULL DEFAULT '',
  answer_start INTEGER NOT NULL
);

-- start: offset of the step in reasoning + answer, the reading order (nodes.seq follows it).
CREATE TABLE transcript_steps (
  node_id   INTEGER PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  start     INTEGER NOT NULL,
  tag       TEXT NOT NULL CHECK (tag IN ('problem_setup','plan_generation','fact_retrieval','active_computation',
              'result_consolidation','uncertainty_management','self_checking','final_answer_emission')),
  relation  TEXT NOT NULL CHECK (relation IN ('continue','explore','backtrack','verify')),
  tagged_by TEXT NOT NULL DEFAULT 'rules'
);
CREATE UNIQUE INDEX transcript_steps_order ON transcript_steps(run_id, start);

-- History gains the 'structure' entity. Dropping the old table would cascade into undo_stack,
-- so the stacks are set aside and put back.
CREATE TEMP TABLE undo_stack_kept AS SELECT * FROM undo_stack;
CREATE TABLE history_v3 (
  id        INTEGER PRIMARY KEY,
  annotator TEXT NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('do','undo','redo')),
  target_id INTEGER REFERENCES history_v3(id),
  entity    TEXT NOT NULL CHECK (entity IN ('annotation','prune','branch_rating','finish_reason','structure')),
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id   INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
  before    TEXT,
  after     TEXT,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO history_v3 (id, annotator, action, target_id, entity, run_id, node_id, before, after, at)
  SELECT id, annotator, action, target_id, entity, run_id, node_id, before, after, at FROM history;
DROP TABLE history;
ALTER TABLE history_v3 RENAME TO history;
CREATE INDEX history_run ON history(run_id, id);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
  WHEN EXISTS (SELECT 1 FROM runs WHERE id = OLD.run_id)
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
DELETE FROM undo_stack;
INSERT INTO undo_stack SELECT * FROM undo_stack_kept;
DROP TABLE undo_stack_kept;
`;
