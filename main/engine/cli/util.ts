/** Shared helpers for CLI commands: one-line errors with exit code 2, default paths. */
import os from 'node:os';
import path from 'node:path';

/** A user error: printed as one line, exit code 2, nothing half-written. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where the studio keeps its default (sample) database and settings. */
export function studioHome(): string {
  return process.env.METACOT_HOME ?? path.join(os.homedir(), '.metacot');
}

export function defaultDbPath(): string {
  return path.join(studioHome(), 'sample.db');
}

export function parseIntOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new CliError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}
