import type { Handlers } from './types';
import { VERSION } from '../version';

export const libraryHandlers: Handlers<
  'info' | 'listProblems' | 'addProblems' | 'listRuns' | 'getRun' | 'getTree'
> = {
  info: (_input, { store }) => ({
    version: VERSION,
    dbPath: store.path,
    nodeCount: store.nodes.count(),
    runCount: store.runs.count(),
    problemCount: store.problems.count(),
  }),
  listProblems: (input, { store }) => store.problems.list(input),
  addProblems: (input, { store }) => ({ ids: store.problems.insertMany(input.problems) }),
  listRuns: (input, { store }) => store.runs.list(input),
  getRun: ({ runId }, { store }) => {
    const run = store.runs.get(runId);
    return { run, problem: store.problems.get(run.problemId) };
  },
  getTree: ({ runId }, { store }) => {
    const run = store.runs.get(runId);
    return {
      run,
      problem: store.problems.get(run.problemId),
      nodes: store.nodes.forRun(runId),
      ...store.annotations.forRun(runId),
    };
  },
};
