/**
 * Ctrl+C (SIGINT) and `kill` / `timeout` (SIGTERM) stop a long command the same way: the work is
 * cancelled through an AbortSignal, what is finished is kept, and the command exits 130 / 143 as
 * shells expect of an interrupted program. A second signal is left to Node's default, which ends
 * the process at once.
 */
import { CliError } from './util';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

export interface Interrupt {
  readonly signal: AbortSignal;
  /** Stops listening (call when the work is over). */
  dispose(): void;
  /** The error to end the command with when a signal stopped it, else null. */
  exitError(kept: string): CliError | null;
}

export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  let stoppedBy: StopSignal | null = null;
  const handlers = Object.fromEntries(
    (Object.keys(EXIT_CODES) as StopSignal[]).map((name) => [
      name,
      () => {
        stoppedBy ??= name;
        controller.abort();
      },
    ]),
  ) as Record<StopSignal, () => void>;
  for (const [name, handler] of Object.entries(handlers)) process.once(name, handler);
  return {
    signal: controller.signal,
    dispose() {
      for (const [name, handler] of Object.entries(handlers)) process.off(name, handler);
    },
    exitError(kept) {
      return stoppedBy === null ? null : new CliError(`interrupted by ${stoppedBy}; ${kept}`, EXIT_CODES[stoppedBy]);
    },
  };
}
