/**
 * What floats over a tile: the raised-hand badge and the reactions its person sent in the last
 * few seconds. Absolutely positioned inside the tile, so it never moves the layout.
 */
import { useTranslation } from 'react-i18next';
import type { ShownReaction } from '../chat/chatState';
import { ChatIcon } from './ChatIcon';
import { REACTION_NAMES } from './ReactionPicker';

/** Props of {@link ReactionOverlay}. */
export interface ReactionOverlayProps {
  displayName: string;
  handRaised: boolean;
  /** This person's reactions now floating (chatState.reactions filtered by user). */
  reactions: readonly ShownReaction[];
}

/** The hand badge and floating reactions of one tile. */
export function ReactionOverlay({ displayName, handRaised, reactions }: ReactionOverlayProps) {
  const { t } = useTranslation('chat');
  return (
    <>
      {handRaised && (
        <span className="tile__hand" data-testid="hand-badge" role="img" aria-label={t('handRaised')}>
          <ChatIcon name="hand" size={18} />
        </span>
      )}
      {reactions.map((r, i) => (
        <span
          key={r.key}
          className="tile__reaction"
          data-testid="reaction"
          data-emoji={r.emoji}
          role="img"
          aria-label={t('reactedWith', { name: displayName, reaction: r.emoji in REACTION_NAMES ? t(REACTION_NAMES[r.emoji as keyof typeof REACTION_NAMES]) : r.emoji })}
          // Several at once spread out rather than cover each other.
          style={{ left: `${12 + ((i * 17) % 60)}%` }}
        >
          {r.emoji}
        </span>
      ))}
    </>
  );
}
