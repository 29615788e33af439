/** Running searches from the app: start runs (queued, executed off the window's event loop), cancel, resume. */
import { z } from 'zod';
import { AlgorithmName, Id, JsonObject, Run, TaskName } from '../domain';
import { method } from './define';

/**
 * What a search may spend. Expansions (policy calls on one node), nodes (including the root) and
 * depth are respected exactly; wall time is checked before every expansion batch. At least one of
 * expansions, nodes or time must be limited.
 */
export const SearchBudget = z
  .object({
    maxExpansions: z.number().int().min(1, 'maxExpansions must be at least 1').max(10_000_000).optional(),
    maxNodes: z.number().int().min(2, 'maxNodes must be at least 2 (the root and one step)').max(100_000_000).optional(),
    maxDepth: z.number().int().min(1, 'maxDepth must be at least 1').max(10_000).optional(),
    maxWallMs: z.number().int().min(1, 'maxWallMs must be at least 1').max(7 * 24 * 3600 * 1000).optional(),
  })
  .strict()
  .refine((b) => b.maxExpansions !== undefined || b.maxNodes !== undefined || b.maxWallMs !== undefined, {
    message: 'a budget needs at least one of maxExpansions, maxNodes, maxWallMs',
  });
export type SearchBudget = z.infer<typeof SearchBudget>;

/** Seeded Countdown puzzles to generate and search, instead of existing problems. */
export const GenerateCountdown = z
  .object({
    count: z.number().int().min(1).max(1000),
    /** Difficulty: numbers per puzzle. */
    numbers: z.number().int().min(3).max(6).default(4),
    numberMin: z.number().int().min(1).max(1000).default(1),
    numberMax: z.number().int().min(1).max(1000).default(50),
    targetMin: z.number().int().min(1).max(100_000).default(10),
    targetMax: z.number().int().min(1).max(100_000).default(100),
    seed: z.number().int().default(0),
  })
  .strict();

const ProviderInfo = z.object({ kind: z.string(), description: z.string() });

export const searchMethods = {
  startSearch: method(
    z
      .object({
        problemIds: z.array(Id).min(1).max(10_000).optional(),
        generate: GenerateCountdown.optional(),
        algorithm: AlgorithmName,
        /** Algorithm parameters (k, cPuct, beamWidth, ...); see searchOptions for each one's defaults. */
        config: JsonObject.default({}),
        budget: SearchBudget,
        seed: z.number().int().default(1),
        /** Left out: the task's default (the bundled policy and PRM for countdown and game24; see searchOptions.bundled). */
        policy: z.string().trim().min(1).max(2000).optional(),
        scorer: z.string().trim().min(1).max(2000).optional(),
        /** Math task variant: the step delimiter. */
        stepDelimiter: z.string().min(1).max(20).optional(),
        /** Requests to model servers in flight at once, for the whole engine (default 64); endpoint runs proceed together up to it. */
        concurrency: z.number().int().min(1).max(100_000).optional(),
      })
      .refine((i) => (i.problemIds === undefined) !== (i.generate === undefined), {
        message: 'give either problemIds or generate, not both and not neither',
        path: ['problemIds'],
      }),
    z.object({ runIds: z.array(Id), problemIds: z.array(Id) }),
    'Queues one search run per problem (all created or none); runs execute off the caller, one after another.',
  ),
  cancelRun: method(z.object({ runId: Id }), z.object({ run: Run }), 'Cancels a queued or running search; nodes made so far are kept.'),
  resumeRun: method(
    z.object({ runId: Id }),
    z.object({ run: Run }),
    'Queues a cancelled, interrupted or failed run again; it continues from its stored nodes without duplicating them.',
  ),
  searchOptions: method(
    z.object({}).default({}),
    z.object({
      algorithms: z.array(z.object({ name: AlgorithmName, description: z.string(), defaults: JsonObject })),
      policies: z.array(ProviderInfo),
      scorers: z.array(ProviderInfo),
      /** The bundled models a search of these tasks uses when it names no policy or scorer; null when not installed. */
      bundled: z.object({ policy: z.string(), scorer: z.string(), k: z.number().int(), tasks: z.array(TaskName) }).nullable(),
    }),
    'Algorithms with their default parameters, and the policies and scorers this engine knows.',
  ),
};
