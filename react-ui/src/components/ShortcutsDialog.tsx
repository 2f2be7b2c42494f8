/**
 * The list of keyboard shortcuts (the `?` key): a modal dialog; Escape or Close shuts it and the
 * focus goes back to where it was.
 */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUT_KEYS, type ShortcutAction } from '../hooks/useShortcuts';

/** Props of {@link ShortcutsDialog}. */
export interface ShortcutsDialogProps {
  /** The actions that have a key in this call (a shortcut without its feature is not listed). */
  actions: readonly ShortcutAction[];
  onClose: () => void;
}

/** The dialog; render it only while open. */
export function ShortcutsDialog({ actions, onClose }: ShortcutsDialogProps) {
  const { t } = useTranslation('layout');
  const titleId = useId();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    // Where the user was (a button, or the page itself when they pressed `?` on it).
    return () => before?.focus?.();
  }, []);
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === 'Tab') {
      // Close is the only control: the focus stays in the dialog (aria-modal).
      event.preventDefault();
      close.current?.focus();
    }
  };
  return (
    <div className="shortcuts__backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div className="shortcuts" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="shortcuts__title">
          {t('shortcuts.title')}
        </h2>
        <table className="shortcuts__table">
          <thead>
            <tr>
              <th scope="col">{t('shortcuts.key')}</th>
              <th scope="col">{t('shortcuts.action')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((action) => (
              <tr key={action} data-action={action}>
                <td>
                  <kbd>{SHORTCUT_KEYS[action].toUpperCase()}</kbd>
                </td>
                <td>{t(`shortcuts.${action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="shortcuts__hint">{t('shortcuts.hint')}</p>
        <button ref={close} type="button" className="button" onClick={onClose}>
          {t('shortcuts.close')}
        </button>
      </div>
    </div>
  );
}
