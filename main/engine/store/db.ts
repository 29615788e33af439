import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';
import { pendingMigrations, migrate } from './migrate';

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file if it does not exist (default true unless readonly). */
  create?: boolean;
}

/**
 * A connection, as code above the store holds it: a handle to pass back to the store's
 * repositories (`exportReads(connection)`), never to run SQL on.
 */
export type Connection = Database.Database;

/** An open database; `readOnlyReason` says why writes will fail when it had to open read-only. */
export interface OpenedDatabase {
  db: Database.Database;
  readOnlyReason: string | null;
}

/**
 * better-sqlite3 is a native addon built for one ABI. Under Electron the app passes the path of
 * an Electron-ABI build in METACOT_SQLITE_BINDING (see scripts/native.mjs); plain Node (CLI,
 * serve, tests) uses the package's own build.
 */
function nativeBinding(): string | undefined {
  const fromEnv = process.env.METACOT_SQLITE_BINDING;
  return fromEnv && process.versions.electron ? fromEnv : undefined;
}

function describeOpenError(file: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = (error as Error).message;
  if (/not a database|file is encrypted/i.test(message)) return new StoreError(`${file} is not an SQLite database (${message}).`);
  return new StoreError(`Cannot open database ${file}: ${message}`, 'unavailable');
}

// URI file names (for `immutable=1` below) must be switched on before the addon first loads.
process.env.SQLITE_USE_URI ??= '1';

/**
 * A read-only connection that has read the header. A WAL database in a folder this user cannot
 * write has no -shm to share; when no -wal holds data either, nothing can be writing it, so it is
 * read as an immutable file instead.
 */
function readConnection(file: string): Database.Database {
  const db = connect(file, true, true);
  try {
    db.pragma('schema_version'); // a non-SQLite file fails here
    return db;
  } catch (error) {
    db.close();
    const code = String((error as { code?: unknown }).code ?? '');
    const walHoldsData = fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0;
    if (!/SQLITE_READONLY_DIRECTORY|SQLITE_READONLY_CANTINIT|SQLITE_CANTOPEN/.test(code) || walHoldsData) throw error;
    const uri = `file:${path.resolve(file).split(path.sep).map(encodeURIComponent).join('/')}?immutable=1`;
    const immutable = connect(uri, true, true);
    immutable.pragma('schema_version');
    return immutable;
  }
}

function connect(file: string, readonly: boolean, fileMustExist: boolean): Database.Database {
  try {
    return new Database(file, { readonly, fileMustExist, nativeBinding: nativeBinding() });
  } catch (error) {
    throw new StoreError(`Cannot open database ${file}: ${(error as Error).message}`, 'unavailable');
  }
}

/** Why this process cannot write the database file or create its -wal/-shm beside it, or null. */
function notWritable(file: string): string | null {
  for (const [target, what] of [
    [file, 'the file'],
    [path.dirname(path.resolve(file)), 'its folder'],
  ] as const) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch {
      return `${what} is not writable by this user`;
    }
  }
  return null;
}

/**
 * Reads the header and schema of an existing file with a read-only connection, before anything
 * may write to it: a non-SQLite file, another application's database or a newer schema is
 * refused here, byte for byte untouched. Returns whether migrations are pending.
 */
function probe(file: string): { pending: boolean } {
  let db: Database.Database | null = null;
  try {
    db = readConnection(file);
    return { pending: pendingMigrations(db).length > 0 };
  } catch (error) {
    throw describeOpenError(file, error);
  } finally {
    db?.close();
  }
}

function openReadonly(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = readConnection(file);
  } catch (error) {
    throw describeOpenError(file, error);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (pendingMigrations(db).length > 0 || !db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()) {
      throw new StoreError(`${file} needs a schema upgrade, which cannot be written now; open it where it can be written once.`);
    }
    return db;
  } catch (error) {
    db.close();
    throw describeOpenError(file, error);
  }
}

const WRITE_FAILURE = /SQLITE_READONLY|readonly database|SQLITE_FULL|disk is full|disk full|SQLITE_IOERR|SQLITE_CANTOPEN|unable to open/i;

/**
 * Opens (creating and migrating when needed) a studio database with WAL and foreign keys on.
 * Existing files are probed read-only first. Where the file cannot be written (read-only file or
 * folder, full disk) and its schema is current, it opens read-only for reading, and
 * `readOnlyReason` says why writes fail.
 */
export function openDatabaseWithReason(file: string, options: OpenOptions = {}): OpenedDatabase {
  const readonly = options.readonly ?? false;
  const create = options.create ?? !readonly;
  const inMemory = file === ':memory:';
  let exists = false;
  if (!inMemory) {
    exists = fs.existsSync(file);
    if (!exists && !create) throw new StoreError(`Database file not found: ${file}`, 'not_found');
    if (exists && fs.statSync(file).isDirectory()) {
      throw new StoreError(`Database path is a folder, not a file: ${file}`, 'not_found');
    }
    if (exists && fs.statSync(file).size === 0 && !create) {
      throw new StoreError(`${file} is empty (0 bytes), not a studio database`);
    }
    if (exists && fs.statSync(file).size > 0) probe(file);
    if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  if (readonly) return { db: openReadonly(file), readOnlyReason: 'opened read-only' };

  const blocked = inMemory || !exists ? null : notWritable(file);
  if (blocked) return { db: openReadonly(file), readOnlyReason: blocked };

  const db = connect(file, false, !create);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return { db, readOnlyReason: null };
  } catch (error) {
    db.close();
    const message = (error as Error).message;
    if (exists && !(error instanceof StoreError) && WRITE_FAILURE.test(message)) {
      // The schema was accepted by the probe; only writing failed (full disk, I/O): read-only.
      return { db: openReadonly(file), readOnlyReason: `writing failed: ${message}` };
    }
    throw describeOpenError(file, error);
  }
}

/** openDatabaseWithReason for callers that only need the connection. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  return openDatabaseWithReason(file, options).db;
}
