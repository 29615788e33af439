/** What the annotation studio needs beyond library and annotate: time spent labeling a tree, project settings. */
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

/** How a project (one database) is labeled; every annotator's studio follows them. */
export const ProjectSettings = z.object({
  /** Hide the solver's outcome, automatic suggestions and other annotators' labels on a step until I have labeled it. */
  blindLabeling: z.boolean(),
  /** Annotators may adjudicate disagreements they labeled themselves. */
  selfAdjudication: z.boolean(),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;
export const DEFAULT_PROJECT_SETTINGS: ProjectSettings = { blindLabeling: false, selfAdjudication: false };

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
  getProjectSettings: method(z.object({}).default({}), ProjectSettings, "The project's labeling settings (blind labeling, self-adjudication)."),
  setProjectSettings: method(
    ProjectSettings.partial().extend({ annotator: AnnotatorId }),
    ProjectSettings,
    "Changes the project's labeling settings; returns them all.",
  ),
};
