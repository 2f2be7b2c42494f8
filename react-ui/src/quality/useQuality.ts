/** React access to a call's {@link QualityMonitor}: the latest snapshot, re-rendered on each read. */
import { useSyncExternalStore } from 'react';
import type { QualityMonitor, QualitySnapshot } from './qualityMonitor';

/** The monitor's latest snapshot. */
export function useQuality(monitor: QualityMonitor): QualitySnapshot {
  return useSyncExternalStore(
    (listener) => monitor.subscribe(listener),
    () => monitor.snapshot,
  );
}
