/**
 * Toasts: short notices over the call ("Ann joined", "Link copied", "Reconnected"). They sit in a
 * polite live region (`role="status"`) that is always there, so screen readers read each new one,
 * and they hold nothing focusable: a toast never takes the focus from what the user is doing.
 */
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { Toast, ToastMessage } from './toastQueue';

/** Shows a toast on the page around (null: no toasts here). */
export const ToastContext = createContext<((message: ToastMessage) => void) | null>(null);

/** The page's `show`, or null outside a page with toasts. */
export function useToast(): ((message: ToastMessage) => void) | null {
  return useContext(ToastContext);
}

/** The toasts' live region. */
export function Toasts({ toasts }: { toasts: readonly Toast[] }) {
  const { t } = useTranslation('feedback');
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" data-testid="toast">
          {t(toast.message, toast.params)}
        </div>
      ))}
    </div>
  );
}
