/** The microphone level meter of the pre-join page. */
import { useEffect, useRef } from 'react';
import { watchAudioLevel, type WatchOptions } from '../media/audioLevel';

/**
 * A horizontal meter of the level of `stream`'s microphone (empty when it has none). The level is
 * written into the element directly, ten times a second, without re-rendering anything: the page
 * around it (camera preview, pickers) is left alone while people wait to join.
 */
export function LevelMeter({ stream, label, watch }: { stream: MediaStream | null; label: string; watch?: WatchOptions }) {
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
  return (
    <div ref={meter} className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={0}>
      <div ref={fill} className="meter__fill" />
    </div>
  );
}
