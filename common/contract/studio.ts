/** What the annotation studio needs beyond library and annotate: time spent labeling a tree. */
import { z } from 'zod';
import { AnnotatorId, Id } from '../domain';
import { method } from './define';

export const TimeSpent = z.object({
  runId: Id,
  /** Seconds of active labeling on this run, per annotator. */
  byAnnotator: z.record(z.string(), z.number().int().nonnegative()),
  totalSeconds: z.number().int().nonnegative(),
});
export type TimeSpent = z.infer<typeof TimeSpent>;

export const studioMethods = {
  addTimeSpent: method(
    z.object({
      runId: Id,
      annotator: AnnotatorId,
      /** Active seconds since the last report (the studio reports every half minute or so). */
      seconds: z.number().int().min(1).max(3600, 'report at most an hour at a time'),
    }),
    TimeSpent,
    'Adds active labeling time on a run for an annotator; returns the totals.',
  ),
  getTimeSpent: method(z.object({ runId: Id }), TimeSpent, 'Active labeling time on a run, per annotator.'),
};
