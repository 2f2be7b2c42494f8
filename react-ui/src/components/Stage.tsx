/** The stage: the room's shared screen, large (the DOM contract: data-testid="stage", data-sharer-id). */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { PresenterNote } from './PresenterNote';
import { VideoView } from './VideoView';

/** Props of {@link Stage}. */
export interface StageProps {
  sharerId: string | null;
  sharerName: string | null;
  stream: MediaStream | null;
  self: boolean;
  /** The browser refused to play the screen's sound (autoplay policy): see VideoView. */
  onBlocked?: () => void;
}

/** Always rendered in the call; empty (and collapsed) while nobody shares. */
export const Stage = memo(function Stage({ sharerId, sharerName, stream, self, onBlocked }: StageProps) {
  const { t } = useTranslation('call');
  const active = sharerId !== null;
  const name = active ? (self ? t('stage.yours') : sharerName ? t('stage.theirs', { name: sharerName }) : t('stage.someone')) : t('stage.empty');
  return (
    <section
      className={`stage${active ? ' stage--active' : ''}`}
      data-testid="stage"
      data-sharer-id={sharerId ?? ''}
      aria-label={name}
      hidden={!active}
    >
      {/* Another's screen plays its sound (a shared tab's); our own stays silent here (no echo). */}
      {active && stream && <VideoView stream={stream} muted={self} className="stage__video" label={t('stage.video')} onBlocked={onBlocked} />}
      {active && !stream && <p className="stage__waiting">{sharerName ? t('stage.waitingFor', { name: sharerName }) : t('stage.waiting')}</p>}
      {active && self && <p className="stage__note">{t('stage.youShare')}</p>}
      {active && !self && <PresenterNote name={sharerName} className="stage__presenter" />}
    </section>
  );
});
