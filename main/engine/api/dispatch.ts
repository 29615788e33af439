/**
 * The one place a contract call is executed, for every transport: validate the input with the
 * method's zod schema, run the handler, validate the output, and turn every failure into an
 * error envelope. Nothing thrown here crosses a process or network boundary.
 */
import { ZodError } from 'zod';
import {
  ApiError,
  contract,
  invalidInput,
  isMethodName,
  type ApiResult,
  type MethodName,
} from '../../../common/contract';
import { describeStorageError } from '../store/errors';
import { StoreError } from '../store/store';
import { wellFormed } from '../store/well-formed';
import { annotateHandlers } from './annotate';
import { evalHandlers } from './eval';
import { exportHandlers } from './export';
import { libraryHandlers } from './library';
import { reviewHandlers } from './review';
import { searchHandlers } from './search';
import { suggestHandlers } from './suggest';
import { workspaceHandlers } from './workspace';
import { studioHandlers } from './studio';
import { transcriptHandlers } from './transcript';
import type { EngineContext, Handler } from './types';

export const handlers: { [M in MethodName]: Handler<M> } = {
  ...libraryHandlers,
  ...annotateHandlers,
  ...exportHandlers,
  ...studioHandlers,
  ...reviewHandlers,
  ...searchHandlers,
  ...suggestHandlers,
  ...workspaceHandlers,
  ...transcriptHandlers,
  ...evalHandlers,
};

const USER_ERRORS = new Set(['ProviderError', 'SearchInputError', 'ProblemFormatError', 'LabelInputError', 'ModelError', 'ImportLineError', 'EvalInputError']);

function toApiError(error: unknown, ctx: EngineContext): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreError) {
    const code = error.kind === 'schema' ? 'conflict' : error.kind;
    return new ApiError(code, error.message);
  }
  if (error instanceof ZodError) return invalidInput(error, 'value');
  // Engine modules signal "the user asked for something impossible" with their own error classes.
  if (error instanceof Error && USER_ERRORS.has(error.name)) return new ApiError('invalid_input', error.message);
  const storage = describeStorageError(error, ctx.store.readOnlyReason);
  if (storage) return new ApiError('unavailable', storage);
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('internal', message);
}

export async function dispatch(method: string, rawInput: unknown, ctx: EngineContext): Promise<ApiResult<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown API method "${method}"` } };
  }
  const spec = contract[method];
  // Lone UTF-16 surrogates (from JSON escapes) become U+FFFD before anything is stored.
  const parsed = spec.input.safeParse(wellFormed(rawInput ?? {}));
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error, `input to ${method}`).toBody() };
  try {
    const handler = handlers[method] as Handler<MethodName>;
    const value = await handler(parsed.data as never, ctx);
    return { ok: true, value: spec.output.parse(value) };
  } catch (error) {
    const apiError = toApiError(error, ctx);
    if (apiError.code === 'internal') console.error(`[api] ${method} failed:`, error);
    return { ok: false, error: apiError.toBody() };
  }
}
