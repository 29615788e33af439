/** Browsing the database: info, problems, runs and whole trees. */
import { z } from 'zod';
import {
  AlgorithmName,
  AnnotatorId,
  Annotation,
  BranchRating,
  FinishReason,
  Id,
  NewProblem,
  Problem,
  Run,
  RunStatus,
  RunSummary,
  TaskName,
  TreeNode,
} from '../domain';
import { method } from './define';

const Page = {
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
};

export const libraryMethods = {
  info: method(
    z.object({}).default({}),
    z.object({
      version: z.string(),
      dbPath: z.string(),
      nodeCount: z.number().int(),
      runCount: z.number().int(),
      problemCount: z.number().int(),
    }),
    'Studio version and the open database.',
  ),
  listProblems: method(
    z.object({ task: TaskName.optional(), ...Page }).default({ limit: 100, offset: 0 }),
    z.object({ total: z.number().int(), problems: z.array(Problem) }),
    'Problems, newest first, paged.',
  ),
  addProblems: method(
    z.object({ problems: z.array(NewProblem).min(1).max(10_000) }),
    z.object({ ids: z.array(Id) }),
    'Adds problems in one transaction (all or none).',
  ),
  listRuns: method(
    z
      .object({
        task: TaskName.optional(),
        status: RunStatus.optional(),
        algorithm: AlgorithmName.optional(),
        solved: z.boolean().optional(),
        /** Substring of the problem prompt. */
        search: z.string().max(200).optional(),
        /** Whose progress each run reports as myLabeledCount. */
        annotator: AnnotatorId.optional(),
        sort: z.enum(['created', 'nodes', 'labeled', 'status']).default('created'),
        direction: z.enum(['asc', 'desc']).default('desc'),
        ...Page,
      })
      .default({ sort: 'created', direction: 'desc', limit: 100, offset: 0 }),
    z.object({ total: z.number().int(), runs: z.array(RunSummary) }),
    'Runs with their problem and labeling progress, filtered, sorted and paged.',
  ),
  getRun: method(z.object({ runId: Id }), z.object({ run: Run, problem: Problem }), 'One run and its problem.'),
  getTree: method(
    z.object({ runId: Id }),
    z.object({
      run: Run,
      problem: Problem,
      nodes: z.array(TreeNode),
      annotations: z.array(Annotation),
      branchRatings: z.array(BranchRating),
      /** Each annotator's finish reason for this tree. */
      finishReasons: z.array(z.object({ annotator: z.string(), reason: FinishReason })).default([]),
    }),
    "A run's whole tree in creation order, with every annotator's labels, branch ratings and finish reasons.",
  ),
};
