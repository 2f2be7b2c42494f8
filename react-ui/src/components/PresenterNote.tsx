/** "Ann is presenting": who has the stage, said on the stage and at the top of the participant list. */
import { useTranslation } from 'react-i18next';

/** Props of {@link PresenterNote}. */
export interface PresenterNoteProps {
  /** The presenter's name; null when nobody presents. */
  name: string | null;
  /** We present. */
  self?: boolean;
  className: string;
}

/** The note (nothing when nobody presents). */
export function PresenterNote({ name, self = false, className }: PresenterNoteProps) {
  const { t } = useTranslation('share');
  if (!self && name === null) return null;
  return (
    <p className={className} data-testid="presenter">
      {self ? t('youPresent') : t('presenting', { name })}
    </p>
  );
}
