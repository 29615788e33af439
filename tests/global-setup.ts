/**
 * Builds the studio and the prebuilt `metacot` command once before the tests when their sources
 * changed. A failed build does not stop the unit tests: the end-to-end harness reports it (see
 * tests/e2e/harness.ts) where it matters.
 */
import type { TestProject } from 'vitest/node';
import { ensureRendererBuilt } from '../scripts/ensure-build.mjs';
import { buildCli, bundleIsFresh } from '../scripts/cli-bundle.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    rendererBuildError: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // Tests that start bin/metacot.js then run the prebuilt command, as users do; should it not
  // build, bin/metacot.js runs the TypeScript and the tests still run.
  if (!bundleIsFresh()) await buildCli().catch(() => {});
  try {
    await ensureRendererBuilt();
    project.provide('rendererBuildError', null);
  } catch (error) {
    project.provide('rendererBuildError', (error as Error).message);
  }
}
