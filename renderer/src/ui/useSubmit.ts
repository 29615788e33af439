/**
 * A dialog's submit: `busy` while the action runs; a failure is kept as `error` ("text", or
 * "text\ndetail" with the request's field issues) for the dialog to show next to its fields.
 */
import { useCallback, useState } from 'react';
import { errorText } from './toasts';

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Runs `action` with the error cleared; on a throw sets the error, then calls `onError`. */
  const submit = useCallback(async (action: () => Promise<void>, onError?: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      const { text, detail } = errorText(e);
      setError(detail ? `${text}\n${detail}` : text);
      onError?.();
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, submit };
}
