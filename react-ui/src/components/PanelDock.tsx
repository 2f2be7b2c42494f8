/**
 * Where a call panel (Participants, Devices, Chat) opens: beside the stage, after the control bar
 * in the tab order (issue 17). It gives the panel a **Close** button, closes it with Escape, moves
 * the focus into it when it opens and back to the button that opens it when it closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Props of {@link PanelDock}. */
export interface PanelDockProps {
  /** Which panel: its control-bar button carries `data-panel-button` with this value. */
  which: string;
  onClose: () => void;
  /** The panel (an `<aside className="panel">`). */
  children: ReactNode;
}

/** The dock around the one open panel; render it with `key={which}`. */
export function PanelDock({ which, onClose, children }: PanelDockProps) {
  const { t } = useTranslation('feedback');
  const dock = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = dock.current;
    if (!root) return;
    // A panel that already took the focus (the chat's message box) keeps it; else the panel itself
    // takes it, so that a screen reader says which panel this is and Tab reaches its first control.
    if (!root.contains(document.activeElement)) {
      const panel = root.querySelector<HTMLElement>('.panel');
      if (panel) {
        panel.tabIndex = -1;
        panel.focus();
      }
    }
    return () => {
      // Back to the panel's button, unless the user has moved on elsewhere (another panel, a field).
      const active = document.activeElement;
      if (!active || active === document.body || root.contains(active)) {
        document.querySelector<HTMLElement>(`[data-panel-button="${which}"]`)?.focus();
      }
    };
  }, [which]);
  useEffect(() => {
    // On the document: Escape closes the panel from the control bar too. Menus and dialogs that
    // close on Escape themselves stop it (or mark it handled) first.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // A popup open elsewhere (the reactions row) takes this Escape: one Escape closes one thing.
      const popup = document.querySelector('[aria-expanded="true"]');
      if (popup && !dock.current?.contains(popup)) return;
      event.preventDefault();
      onClose();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);
  return (
    <div className="call__dock" ref={dock} data-panel={which}>
      {children}
      <button type="button" className="panel__close" onClick={onClose} aria-label={t('close')} title={t('close')}>
        <svg width={18} height={18} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z" />
        </svg>
      </button>
    </div>
  );
}
