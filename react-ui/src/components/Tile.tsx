/** One participant's tile: camera video, name, muted indicator, speaking highlight. */
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { Icon } from './Icon';
import { VideoView } from './VideoView';

/** Props of {@link Tile}. */
export interface TileProps {
  userId: string;
  displayName: string;
  stream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  speaking: boolean;
  self?: boolean;
  connecting?: boolean;
  /** The browser refused to play this tile (its sound): see VideoView. */
  onBlocked?: () => void;
  /** Shown large (speaker view or pinned; the layout moves it by CSS alone, never re-mounting it). */
  large?: boolean;
  /** Controls over the tile (the pin). */
  children?: ReactNode;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2)).toUpperCase();
}

/** A participant tile (the DOM contract: data-testid="tile", data-user-id, data-self, data-speaking). */
export function Tile({ userId, displayName, stream, audioMuted, videoMuted, speaking, self = false, connecting = false, onBlocked, large = false, children }: TileProps) {
  const showVideo = Boolean(stream?.getVideoTracks().length) && !videoMuted;
  const { t } = useTranslation('call');
  const name = self ? t('selfName', { name: displayName }) : displayName;
  return (
    <figure
      className={`tile${speaking ? ' tile--speaking' : ''}${large ? ' tile--large' : ''}`}
      data-testid="tile"
      data-user-id={userId}
      data-self={self ? 'true' : 'false'}
      data-speaking={speaking ? 'true' : 'false'}
      data-large={large ? 'true' : 'false'}
    >
      {/* Always mounted: a remote tile's <video> also plays that person's audio. */}
      <VideoView
        stream={stream}
        muted={self}
        mirrored={self}
        className={showVideo ? 'tile__video' : 'tile__video tile__video--hidden'}
        label={t('tile.camera', { name: displayName })}
        onBlocked={onBlocked}
        prepared={!self}
      />
      {!showVideo && (
        <div className="tile__avatar" aria-hidden="true">
          {initials(displayName)}
        </div>
      )}
      {/* A badge in the corner, not in the name pill: seen at a glance (issue 17). */}
      {audioMuted && (
        <span className="tile__muted" data-testid="muted-indicator" role="img" aria-label={t('tile.muted')}>
          <Icon name="micOff" size={18} />
        </span>
      )}
      <figcaption className="tile__caption">
        <span className="tile__name">{name}</span>
        {connecting && <span className="tile__state">{t('tile.connecting')}</span>}
      </figcaption>
      {children}
    </figure>
  );
}
