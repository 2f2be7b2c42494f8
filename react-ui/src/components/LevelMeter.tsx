/** The microphone level meter of the pre-join page and the Devices panel. */
import { useEffect, useRef } from 'react';
import { watchAudioLevel, type WatchOptions } from '../media/audioLevel';

/** Props of {@link LevelMeter}. */
export interface LevelMeterProps {
  stream: MediaStream | null;
  /** The meter's accessible name ("Microphone level"). */
  label: string;
  /** A visible caption beside the bar ("Microphone"), so that it does not read as a divider. */
  caption?: string;
  watch?: WatchOptions;
}

/**
 * A horizontal meter of the level of `stream`'s microphone (empty when it has none). The level is
 * written into the element directly, ten times a second, without re-rendering anything: the page
 * around it (camera preview, pickers) is left alone while people wait to join.
 */
export function LevelMeter({ stream, label, caption, watch }: LevelMeterProps) {
  const meter = useRef<HTMLDivElement>(null);
  const fill = useRef<HTMLDivElement>(null);
  const track = stream?.getAudioTracks()[0] ?? null;
  useEffect(() => {
    const show = (level: number) => {
      meter.current?.setAttribute('aria-valuenow', String(Math.round(level * 100)));
      // A transform is composited: no layout, and no paint of anything else on the page.
      if (fill.current) fill.current.style.transform = `scaleX(${level})`;
    };
    show(0);
    if (!track) return;
    const stop = watchAudioLevel(track, show, watch);
    return () => {
      stop();
      show(0);
    };
  }, [track, watch]);
  const bar = (
    <div ref={meter} className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <div ref={fill} className="meter__fill" />
    </div>
  );
  if (!caption) return bar;
  return (
    <div className="level" data-testid="level-meter">
      {/* The accessible name stays `label`, which contains the caption (WCAG 2.5.3, label in name). */}
      <span className="level__caption" aria-hidden="true">
        {caption}
      </span>
      {bar}
    </div>
  );
}
