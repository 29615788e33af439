/**
 * History groups: the rows one action wrote (an accepted batch of suggestions, or the undo of
 * one) share group_id, the id of the group's first row, so one undo or redo takes all of them.
 * A single change keeps group_id NULL.
 */
export const name = 'history_groups';

export const sql = /* sql */ `
ALTER TABLE history ADD COLUMN group_id INTEGER REFERENCES history(id);
`;
