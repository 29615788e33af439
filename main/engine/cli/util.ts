/** Shared helpers for CLI commands: one-line errors with exit code 2, default paths. */

/** A user error: printed as one line, exit code 2 (or the one given), nothing half-written. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export { defaultDbPath, studioHome } from '../workspace';

export function parseIntOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new CliError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}
