/** React access to a call's {@link QualityMonitor}: the latest snapshot, re-rendered on each read. */
import { useStoreState } from '../hooks/useStoreState';
import type { QualityMonitor, QualitySnapshot } from './qualityMonitor';

/** The monitor's latest snapshot. */
export function useQuality(monitor: QualityMonitor): QualitySnapshot {
  return useStoreState(monitor, subscribeQualityMonitor, snapshotOfQualityMonitor);
}

const subscribeQualityMonitor = (monitor: QualityMonitor, onChange: () => void) => monitor.subscribe(onChange);
const snapshotOfQualityMonitor = (monitor: QualityMonitor) => monitor.snapshot;
