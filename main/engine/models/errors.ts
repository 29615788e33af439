/**
 * The one error type of the model runtime. Every message names the file or endpoint involved
 * and what was expected there, so a user pointing the studio at their own model can fix it.
 */
export class ModelError extends Error {
  constructor(
    message: string,
    /** The file, folder or URL the problem is about. */
    readonly where?: string,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Message of any thrown value, for wrapping library errors into ModelErrors. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
