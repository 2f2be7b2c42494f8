/** The quality badge of one tile, read from the call's {@link QualityMonitor} (nothing until a first read). */
import { useTranslation } from 'react-i18next';
import type { QualityMonitor } from './qualityMonitor';
import { QualityIndicator } from './QualityIndicator';
import { ownVerdict, remoteVerdict } from './reason';
import { useQuality } from './useQuality';

/** Props of {@link TileQuality}. */
export interface TileQualityProps {
  monitor: QualityMonitor;
  /** The tile's person; for our own tile (`self`), what we send is shown. */
  userId: string;
  displayName: string;
  self: boolean;
  /** Names of the others (our own tile names the connection that is worst). */
  nameOf: (userId: string) => string;
}

/** The badge for one tile. */
export function TileQuality({ monitor, userId, displayName, self, nameOf }: TileQualityProps) {
  const { t } = useTranslation('quality');
  const { peers } = useQuality(monitor);
  const verdict = self ? ownVerdict(t, peers, nameOf) : remoteVerdict(t, displayName, peers.get(userId));
  return verdict && <QualityIndicator level={verdict.level} reason={verdict.reason} />;
}
