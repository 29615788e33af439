/** Errors the store raises on purpose, with a message a user can act on. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly kind: 'schema' | 'not_found' | 'conflict' | 'unavailable' = 'schema',
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * A one-line explanation of a storage failure (SQLite or file system) that a user can act on, or
 * null when the error is not one. Shared by the API's error envelope and the CLI's exit message.
 */
export function describeStorageError(error: unknown, readOnlyReason: string | null = null): string | null {
  if (!(error instanceof Error)) return null;
  const code = String((error as { code?: unknown }).code ?? '');
  const text = `${code} ${error.message}`;
  const detail = error.message.split('\n')[0];
  if (/SQLITE_BUSY|database is locked/i.test(text)) return `The database is locked by another process; try again. (${detail})`;
  if (/SQLITE_READONLY|readonly database|EROFS/i.test(text)) {
    const why = readOnlyReason ?? 'this user cannot write the file or its folder, or the disk is full';
    return `The database is read-only (${why}); nothing was saved. (${detail})`;
  }
  if (/SQLITE_FULL|disk is full|disk full|ENOSPC|EDQUOT/i.test(text)) return `The disk is full; nothing was saved. (${detail})`;
  if (/SQLITE_CORRUPT|SQLITE_NOTADB|malformed/i.test(text)) return `The database file is damaged: ${detail}. Restore it from a backup (metacot backup makes one).`;
  if (/SQLITE_IOERR|SQLITE_CANTOPEN|EACCES|EPERM|EIO\b/i.test(text)) return `Storage error: ${detail}`;
  return null;
}
