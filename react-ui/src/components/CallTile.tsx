/**
 * One tile of the call with what sits over it: the pin, the hand and reactions, the speaking level
 * and the quality badge. Memoised, with only plain values and stable callbacks for props, so that a
 * call snapshot that changes nothing of this person (another link's state, a track of someone else,
 * the join's many small steps) renders none of it again: on a first visit the whole call page
 * re-rendered per snapshot while the join's offers and answers waited for the main thread.
 */
import { memo, useCallback } from 'react';
import type { ShownReaction } from '../chat/chatState';
import type { QualityMonitor } from '../quality/qualityMonitor';
import { TileQuality } from '../quality/TileQuality';
import { PinButton } from './PinButton';
import { ReactionOverlay } from './ReactionOverlay';
import { SpeakingLevel } from './SpeakingLevel';
import { Tile } from './Tile';

/** Props of {@link CallTile}. */
export interface CallTileProps {
  userId: string;
  displayName: string;
  stream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  self?: boolean;
  connecting?: boolean;
  large: boolean;
  pinned: boolean;
  /** Pins or unpins `userId` (one callback for every tile). */
  onTogglePin: (userId: string) => void;
  /** The active speaker; `level` is its speaking level (0 on the others' tiles, so theirs do not change). */
  speaking: boolean;
  level: number;
  handRaised: boolean;
  reactions: readonly ShownReaction[];
  monitor: QualityMonitor;
  nameOf: (userId: string) => string;
  onBlocked?: () => void;
}

/** A participant's tile and its overlays. */
export const CallTile = memo(function CallTile(props: CallTileProps) {
  const { userId, displayName, self = false, onTogglePin } = props;
  const togglePin = useCallback(() => onTogglePin(userId), [onTogglePin, userId]);
  return (
    <Tile
      userId={userId}
      displayName={displayName}
      stream={props.stream}
      audioMuted={props.audioMuted}
      videoMuted={props.videoMuted}
      speaking={props.speaking}
      self={self}
      connecting={props.connecting}
      onBlocked={props.onBlocked}
      large={props.large}
    >
      <PinButton displayName={displayName} self={self} pinned={props.pinned} onToggle={togglePin} />
      <ReactionOverlay displayName={displayName} handRaised={props.handRaised} reactions={props.reactions} />
      {props.speaking && <SpeakingLevel level={props.level} />}
      <TileQuality monitor={props.monitor} userId={userId} displayName={displayName} self={self} nameOf={props.nameOf} />
    </Tile>
  );
});
