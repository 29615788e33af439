/**
 * Every contract method, fed arbitrary JSON: always an envelope (never a throw, never an
 * "internal" error), and an input that fails validation writes nothing.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { METHOD_NAMES } from '../../common/contract';
import { Engine } from '../../main/engine/engine';
import { seedSampleTree, type SeededTree } from '../helpers/seed';

const RUNS_PER_METHOD = 60;
let seeded: SeededTree;
let engine: Engine;

beforeAll(() => {
  seeded = seedSampleTree(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metacot-fuzz-')), 'f.db'));
  engine = new Engine(seeded.store);
});
afterAll(() => engine.close());

function fingerprint(): string {
  const db = seeded.store.connection;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return tables.map((t) => `${t}:${(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number)}`).join(',');
}

/** Inputs shaped like the contract's (ids near real ones, known field names) plus pure noise. */
const nearValid = fc.record(
  {
    runId: fc.oneof(fc.constant(1), fc.integer(), fc.string(), fc.constant(null)),
    nodeId: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.double(), fc.string()),
    annotator: fc.oneof(fc.constant('ann'), fc.string({ maxLength: 80 }), fc.constant(''), fc.integer()),
    rating: fc.oneof(fc.constantFrom(-1, 0, 1, 2, -2, null), fc.double(), fc.string()),
    limit: fc.oneof(fc.integer(), fc.constant(1e9), fc.string()),
    note: fc.oneof(fc.string(), fc.constant('x'.repeat(25_000))),
  },
  { requiredKeys: [] },
);
const anyInput = fc.oneof(nearValid, fc.jsonValue(), fc.constant(undefined));

test(`every method answers arbitrary input with an envelope (${METHOD_NAMES.length} methods × ${RUNS_PER_METHOD})`, async () => {
  let cases = 0;
  for (const method of METHOD_NAMES) {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        const before = fingerprint();
        const result = await engine.call(method, input);
        cases++;
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) {
          expect(result.error.code, `${method}(${JSON.stringify(input)?.slice(0, 200)}): ${result.error.message}`).not.toBe('internal');
          expect(result.error.message.length).toBeGreaterThan(0);
          if (result.error.code === 'invalid_input' || result.error.code === 'not_found') expect(fingerprint()).toBe(before);
        }
      }),
      { numRuns: RUNS_PER_METHOD, seed: 42 },
    );
  }
  console.log(`reliability: ${cases} fuzz cases over ${METHOD_NAMES.length} contract methods, no crash, no partial write`);
}, 120_000);
