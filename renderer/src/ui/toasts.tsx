/**
 * Toasts: every API error reaches the user here (never swallowed); short confirmations too.
 * Errors stay until dismissed; information fades after a few seconds.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../../common/contract';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
  detail?: string;
}

export interface Toaster {
  error(error: unknown, context?: string): void;
  info(text: string): void;
}

const ToastContext = createContext<Toaster | null>(null);

/** A message a person can act on, from whatever was thrown. */
export function errorText(error: unknown): { text: string; detail?: string } {
  if (error instanceof ApiError) {
    const detail = error.issues?.map((i) => `${i.path}: ${i.message}`).join('\n');
    return { text: error.message, ...(detail ? { detail } : {}) };
  }
  if (error instanceof Error) return { text: error.message };
  return { text: String(error) };
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((t) => {
        // The same error repeated (a key held down) shows once.
        const rest = t.filter((x) => !(x.kind === toast.kind && x.text === toast.text));
        return [...rest.slice(-4), { ...toast, id }];
      });
      if (toast.kind === 'info') setTimeout(() => dismiss(id), 2600);
    },
    [dismiss],
  );
  const toaster = useMemo<Toaster>(
    () => ({
      error: (error, context) => {
        const { text, detail } = errorText(error);
        console.warn(`[studio] ${context ?? 'error'}:`, error);
        push({ kind: 'error', text: context ? `${context}: ${text}` : text, ...(detail ? { detail } : {}) });
      },
      info: (text) => push({ kind: 'info', text }),
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <div className="toast-text">
              {t.text}
              {t.detail && <pre className="toast-detail">{t.detail}</pre>}
            </div>
            <button className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToaster(): Toaster {
  const t = useContext(ToastContext);
  if (!t) throw new Error('useToaster outside ToastProvider');
  return t;
}
