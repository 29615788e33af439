import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // Limits catch hangs, not slowness: the suite must pass on two cores busy with other work,
    // where a test can take several times its idle duration.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // expect.poll waits for what a test expects to happen; its default of 1 s is a timing
    // assumption that a loaded machine breaks (a browser round trip can take seconds there).
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    // Two slow cores: more workers only fight over them.
    maxWorkers: 2,
  },
});
