/** The small level indicator on the speaking tile: three bars that follow the speaker's voice. */

/**
 * Bars filled to `level` (0..1, in quarters: call/activeSpeaker.ts `levelBars`). Decorative: the
 * tile's `data-speaking` and the highlight say who speaks; this only shows how loud.
 */
export function SpeakingLevel({ level }: { level: number }) {
  return (
    <span className="tile__level" data-testid="speaking-level" aria-hidden="true" style={{ '--level': level } as React.CSSProperties}>
      <span className="tile__level-bar" />
      <span className="tile__level-bar" />
      <span className="tile__level-bar" />
    </span>
  );
}
