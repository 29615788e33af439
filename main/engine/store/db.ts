import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';
import { migrate } from './migrate';

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file if it does not exist (default true unless readonly). */
  create?: boolean;
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

/** Opens (creating and migrating when needed) a studio database with WAL and foreign keys on. */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  const create = options.create ?? !readonly;
  const inMemory = file === ':memory:';
  if (!inMemory) {
    const exists = fs.existsSync(file);
    if (!exists && !create) throw new StoreError(`Database file not found: ${file}`, 'not_found');
    if (exists && fs.statSync(file).isDirectory()) {
      throw new StoreError(`Database path is a folder, not a file: ${file}`, 'not_found');
    }
    if (!exists) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: !create, nativeBinding: nativeBinding() });
  } catch (error) {
    throw new StoreError(`Cannot open database ${file}: ${(error as Error).message}`, 'unavailable');
  }
  try {
    // Check the header before touching anything: a non-SQLite file fails here, unmodified.
    db.pragma('schema_version');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    if (readonly) checkSchemaReadonly(db);
    else migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    const message = (error as Error).message;
    if (/not a database|file is encrypted/i.test(message)) {
      throw new StoreError(`${file} is not an SQLite database (${message}).`);
    }
    throw new StoreError(`Cannot open database ${file}: ${message}`, 'unavailable');
  }
}

function checkSchemaReadonly(db: Database.Database): void {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) throw new StoreError('Database has no studio schema and is opened read-only.');
}
