/**
 * "Ann is presenting. Share instead?": asked before our Share screen takes the stage from someone
 * else (the server lets the last start win, so one click would silently end their share). A modal
 * alert dialog: the focus starts on Cancel (Enter does not take over by accident), Escape cancels,
 * and the focus goes back to where it was.
 */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Props of {@link ShareTakeoverDialog}. */
export interface ShareTakeoverDialogProps {
  /** Who presents now. */
  presenter: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The dialog; render it only while asking. */
export function ShareTakeoverDialog({ presenter, onConfirm, onCancel }: ShareTakeoverDialogProps) {
  const { t } = useTranslation('share');
  const textId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => before?.focus?.();
  }, []);
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Tab') {
      // Two buttons: Tab goes between them and never leaves the dialog (aria-modal).
      event.preventDefault();
      (document.activeElement === cancel.current ? confirm : cancel).current?.focus();
    }
  };
  return (
    <div className="shortcuts__backdrop" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div className="takeover" role="alertdialog" aria-modal="true" aria-labelledby={textId} onKeyDown={onKeyDown}>
        <p id={textId} className="takeover__text">
          {t('takeover.question', { name: presenter })}
        </p>
        <div className="takeover__actions">
          <button ref={cancel} type="button" className="button" onClick={onCancel}>
            {t('takeover.cancel')}
          </button>
          <button ref={confirm} type="button" className="button button--primary" onClick={onConfirm}>
            {t('takeover.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
