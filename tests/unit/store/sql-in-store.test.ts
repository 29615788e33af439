/**
 * The store owns every SQL statement (main/engine/README.md, "The store owns the SQL"): no engine
 * file outside main/engine/store/ prepares, executes or pragmas on a connection, opens a
 * transaction on one, or imports better-sqlite3. KNOWN held the files that still did (issue 19);
 * it is empty now and stays so: a new exception would have to be listed here and in the README,
 * and a listed file that no longer runs SQL fails the test until it is taken off the list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ENGINE = 'main/engine';

/** Engine files outside the store that still run SQL; main/engine/README.md lists the same. */
const KNOWN: string[] = [];

/**
 * Engine files outside the store that take the store's raw connection (`store.connection`), each
 * only to hand it to a store function that takes one; main/engine/README.md lists the same, with why.
 */
const RAW_CONNECTION = [
  'main/engine/api/export.ts',
  'main/engine/api/transcript.ts',
  'main/engine/cli/commands/export.ts',
  'main/engine/cli/commands/tag-transcripts.ts',
  'main/engine/cli/commands/transcripts.ts',
  'main/engine/import/long-cot.ts',
  'main/engine/longcot/llm-tagger.ts',
];
const RAW_CONNECTION_USE = /\bstore\s*\.\s*connection\b/;

/** What running SQL looks like in this code base (better-sqlite3's API), comments left out. */
const SQL_USES: { what: string; pattern: RegExp }[] = [
  { what: 'prepares a statement', pattern: /\.prepare\s*\(/ },
  { what: 'sets a pragma', pattern: /\.pragma\s*\(/ },
  {
    what: 'executes SQL text',
    pattern: /\.exec\s*\(\s*[`'"]\s*(create|insert|update|delete|drop|alter|begin|commit|rollback|pragma|savepoint|release|select|with|vacuum|attach|detach|replace)\b/i,
  },
  { what: 'calls a connection', pattern: /\b(db|database|conn|connection)\s*\.\s*(exec|transaction|prepare|pragma|function|aggregate|backup)\s*\(/ },
  { what: 'imports better-sqlite3', pattern: /\bfrom\s+['"]better-sqlite3['"]|\brequire\s*\(\s*['"]better-sqlite3['"]\s*\)|\bimport\s*\(\s*['"]better-sqlite3['"]\s*\)/ },
];

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The ways a source text runs SQL (empty when it does not). */
function sqlUses(source: string): string[] {
  const code = withoutComments(source);
  return SQL_USES.filter((u) => u.pattern.test(code)).map((u) => u.what);
}

function engineFiles(dir = path.join(ROOT, ENGINE)): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return engineFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [path.relative(ROOT, full).split(path.sep).join('/')] : [];
  });
}

describe('the store owns the SQL', () => {
  it('recognises SQL, and not what only looks like it', () => {
    expect(sqlUses("const s = db.prepare('SELECT 1');")).toContain('prepares a statement');
    expect(sqlUses('store.db\n  .prepare(`SELECT id FROM runs`)')).toContain('prepares a statement');
    expect(sqlUses("store.db.pragma('journal_mode = DELETE');")).toContain('sets a pragma');
    expect(sqlUses('handle.exec(`CREATE TABLE t (x)`);')).toEqual(['executes SQL text']);
    expect(sqlUses('store.db.transaction(() => 1)();')).toEqual(['calls a connection']);
    expect(sqlUses("import type Database from 'better-sqlite3';")).toEqual(['imports better-sqlite3']);
    // Regular expressions, a format's prepare hook and comments are not SQL.
    expect(sqlUses('const m = /^(\\d+)$/.exec(line); STATE.exec(state);')).toEqual([]);
    expect(sqlUses('const prepared = writer.prepare?.(db, options);\nprepare(db: Connection): State { return s; }')).toEqual([]);
    expect(sqlUses("// db.prepare('SELECT 1') used to be here\n/* store.db.pragma('x') */")).toEqual([]);
  });

  it('no engine file outside store/ runs SQL, but for the known ones main/engine/README.md lists', () => {
    const files = engineFiles();
    expect(files.length).toBeGreaterThan(200);
    const running = files
      .filter((f) => !f.startsWith(`${ENGINE}/store/`))
      .map((f) => ({ file: f, uses: sqlUses(fs.readFileSync(path.join(ROOT, f), 'utf8')) }))
      .filter((r) => r.uses.length > 0);
    const unexpected = running.filter((r) => !KNOWN.includes(r.file)).map((r) => `${r.file}: ${r.uses.join(', ')} (move it into a store repository)`);
    expect(unexpected).toEqual([]);
    const done = KNOWN.filter((f) => !running.some((r) => r.file === f)).map(
      (f) => `${f} no longer runs SQL: take it off KNOWN here and off the list in main/engine/README.md`,
    );
    expect(done).toEqual([]);
  });

  it('only the engine files main/engine/README.md lists take the raw connection (store.connection)', () => {
    const taking = engineFiles()
      .filter((f) => !f.startsWith(`${ENGINE}/store/`))
      .filter((f) => RAW_CONNECTION_USE.test(withoutComments(fs.readFileSync(path.join(ROOT, f), 'utf8'))));
    expect(taking.filter((f) => !RAW_CONNECTION.includes(f)).map((f) => `${f} reads store.connection: ask a store repository instead`)).toEqual([]);
    expect(RAW_CONNECTION.filter((f) => !taking.includes(f)).map((f) => `${f} no longer reads store.connection: take it off RAW_CONNECTION and the README`)).toEqual([]);
  });
});
