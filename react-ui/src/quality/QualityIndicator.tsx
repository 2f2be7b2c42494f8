/**
 * The small connection-quality badge on a tile: three bars, coloured and filled by level (good,
 * fair, poor); the reason ("Ann: 8% packet loss") is its tooltip and its accessible description.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Level } from './classify';

/** Props of {@link QualityIndicator}. */
export interface QualityIndicatorProps {
  level: Level;
  reason: string;
}

const FILLED: Record<Level, number> = { good: 3, fair: 2, poor: 1 };

/** The badge (data-testid="quality-indicator", data-quality = the level). */
export function QualityIndicator({ level, reason }: QualityIndicatorProps) {
  const { t } = useTranslation('quality');
  const id = useId();
  return (
    <>
      <span
        className={`quality-indicator quality-indicator--${level}`}
        data-testid="quality-indicator"
        data-quality={level}
        role="img"
        aria-label={t(`level.${level}`)}
        aria-describedby={id}
        title={reason}
      >
        <svg width={16} height={16} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          {[0, 1, 2].map((i) => (
            <rect key={i} x={1 + i * 5} y={10 - i * 4} width={4} height={5 + i * 4} rx={1} className={i < FILLED[level] ? 'quality-indicator__on' : 'quality-indicator__off'} />
          ))}
        </svg>
      </span>
      <span id={id} className="visually-hidden">
        {reason}
      </span>
    </>
  );
}
