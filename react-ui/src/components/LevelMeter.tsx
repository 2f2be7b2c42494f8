/** The microphone level meter of the pre-join page. */

/** A horizontal meter for a level between 0 and 1. */
export function LevelMeter({ level, label }: { level: number; label: string }) {
  const percent = Math.round(level * 100);
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <div className="meter__fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
