/** The stage: the room's shared screen, large (the DOM contract: data-testid="stage", data-sharer-id). */
import { VideoView } from './VideoView';

/** Props of {@link Stage}. */
export interface StageProps {
  sharerId: string | null;
  sharerName: string | null;
  stream: MediaStream | null;
  self: boolean;
}

/** Always rendered in the call; empty (and collapsed) while nobody shares. */
export function Stage({ sharerId, sharerName, stream, self }: StageProps) {
  const active = sharerId !== null;
  return (
    <section
      className={`stage${active ? ' stage--active' : ''}`}
      data-testid="stage"
      data-sharer-id={sharerId ?? ''}
      aria-label={active ? `${self ? 'Your' : `${sharerName ?? 'Someone'}'s`} shared screen` : 'Stage'}
      hidden={!active}
    >
      {active && stream && <VideoView stream={stream} muted className="stage__video" label="Shared screen" />}
      {active && !stream && <p className="stage__waiting">Waiting for {sharerName ? `${sharerName}'s` : 'the'} screen…</p>}
      {active && self && <p className="stage__note">You are sharing your screen</p>}
    </section>
  );
}
