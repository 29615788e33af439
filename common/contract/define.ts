/**
 * Building blocks of the API contract: every call is declared once with zod input and output
 * schemas, and every event with a payload schema. Main (IPC), preload, `serve` (HTTP) and the
 * renderer all derive from these declarations.
 */
import { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line a developer reads in `metacot serve --help` and in the README. */
  summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): MethodSpec<I, O> {
  return { input, output, summary };
}

/** Machine-readable error codes, shared by IPC and HTTP. */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'unavailable',
  'forbidden',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorBody = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For invalid_input: where in the input and what was wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The envelope every transport returns: never a thrown exception across a process boundary. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

/** An error a handler throws on purpose; its message is safe to show to the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiErrorBody['issues'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }
}

export function zodIssues(error: z.ZodError): NonNullable<ApiErrorBody['issues']> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
}

export function invalidInput(error: z.ZodError, what: string): ApiError {
  const issues = zodIssues(error);
  const first = issues[0];
  const detail = first ? `${first.path}: ${first.message}` : 'invalid';
  return new ApiError('invalid_input', `Invalid ${what}: ${detail}`, issues);
}
