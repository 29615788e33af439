/**
 * Builds the studio once before the tests when its sources changed. A failed build does not stop
 * the unit tests: the end-to-end harness reports it (see tests/e2e/harness.ts) where it matters.
 */
import type { TestProject } from 'vitest/node';
import { ensureRendererBuilt } from '../scripts/ensure-build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererBuildError: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    await ensureRendererBuilt();
    project.provide('rendererBuildError', null);
  } catch (error) {
    project.provide('rendererBuildError', (error as Error).message);
  }
}
