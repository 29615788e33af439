/**
 * SQLite stores text as UTF-8, which cannot hold a lone UTF-16 surrogate (JSON allows "\ud800"):
 * better-sqlite3 would write invalid bytes that read back as three U+FFFD. Values are made
 * well-formed first (each lone surrogate becomes one U+FFFD), copying only what changes.
 */
/** ES2024 string methods (Node 20 has them; the TypeScript lib here stops at ES2023). */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') {
    const text = value as unknown as Es2024String;
    return (text.isWellFormed() ? text : text.toWellFormed()) as T;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const fixed = wellFormed(item);
      if (fixed !== item) (copy ??= [...value])[i] = fixed;
    });
    return (copy ?? value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | null = null;
    for (const [key, item] of Object.entries(value)) {
      const fixed = wellFormed(item);
      const fixedKey = wellFormed(key);
      if (fixed !== item || fixedKey !== key) {
        copy ??= { ...(value as Record<string, unknown>) };
        if (fixedKey !== key) delete copy[key];
        copy[fixedKey] = fixed;
      }
    }
    return (copy ?? value) as T;
  }
  return value;
}
