import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Checks a database's schema against the migrations this build knows, reading only: refuses a
 * database whose recorded migrations are not a prefix of the known ones (a newer build wrote it,
 * or its history was tampered with), whose `user_version` is past the newest known migration, or
 * that holds another application's tables. Returns the migrations still to apply.
 */
export function pendingMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const latest = migrations.at(-1)?.version ?? 0;
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (userVersion > latest) {
    throw new StoreError(
      `Database schema is newer than this build: its user_version is ${userVersion}, this build knows up to ${latest}. Update Meta-CoT Studio.`,
    );
  }
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const applied: AppliedRow[] = hasTable
    ? (db.prepare('SELECT version, name FROM schema_migrations ORDER BY rowid').all() as AppliedRow[])
    : [];

  if (!hasTable) {
    const userTables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    if (userTables.length > 0) {
      throw new StoreError(
        `This file is an SQLite database but not a Meta-CoT Studio one (it has tables ${userTables
          .slice(0, 5)
          .map((t) => t.name)
          .join(', ')} and no schema_migrations table).`,
      );
    }
  }

  applied.forEach((row, i) => {
    const known = migrations[i];
    if (!known) {
      throw new StoreError(
        `Database schema is newer than this build: it records migration ${row.version} (${row.name}), ` +
          `this build knows up to ${latest}. Update Meta-CoT Studio.`,
      );
    }
    if (known.version !== row.version || known.name !== row.name) {
      throw new StoreError(
        `Database migrations are out of order or unknown: position ${i + 1} records ` +
          `${row.version} (${row.name}) where this build expects ${known.version} (${known.name}).`,
      );
    }
  });
  return migrations.slice(applied.length);
}

/**
 * Brings a database up to the latest schema after pendingMigrations accepted it, in one
 * transaction, and records the newest version in `user_version` too (other tools see it).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const pending = pendingMigrations(db, migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  if (pending.length === 0) return [];
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`);
    const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name);
    }
    db.pragma(`user_version = ${latest}`);
  });
  apply.immediate();
  return pending.map((m) => m.version);
}
