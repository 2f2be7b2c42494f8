/**
 * The Connection details panel: for each connection, what we receive and what we send (quality,
 * codec, bitrate, loss, jitter, resolution, frame rate), its round-trip time and the ICE candidate
 * types in use (host, srflx or relay), refreshed with every read (2 s).
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { DirectionDetails } from './connectionDetails';
import type { Metrics, Verdict } from './classify';
import type { PeerQuality, QualityMonitor } from './qualityMonitor';
import { useQuality } from './useQuality';

/** Props of {@link ConnectionDetailsPanel}. */
export interface ConnectionDetailsPanelProps {
  monitor: QualityMonitor;
  /** The others, in the order the call lists them. */
  people: ReadonlyArray<{ userId: string; displayName: string }>;
}

type Cell = (t: TFunction, verdict: Verdict, metrics: Metrics, details: DirectionDetails) => string | undefined;

const ROWS: ReadonlyArray<[key: string, cell: Cell]> = [
  ['quality', (t, verdict) => t(`level.${verdict.level}`)],
  ['codec', (_t, _v, _m, d) => d.codec],
  ['bitrate', (t, _v, _m, d) => (d.bitrate === undefined ? undefined : t('details.kbps', { value: Math.round(d.bitrate / 1000) }))],
  ['loss', (t, _v, m) => (m.lossFraction === undefined ? undefined : t('details.percent', { value: round1(m.lossFraction * 100) }))],
  ['jitter', (t, _v, m) => (m.jitterS === undefined ? undefined : t('details.ms', { value: Math.round(m.jitterS * 1000) }))],
  ['resolution', (_t, _v, _m, d) => (d.width && d.height ? `${d.width}×${d.height}` : undefined)],
  ['fps', (t, _v, _m, d) => (d.fps === undefined ? undefined : t('details.fpsValue', { value: Math.round(d.fps) }))],
];

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function ConnectionTable({ name, quality }: { name: string; quality: PeerQuality }) {
  const { t } = useTranslation('quality');
  const { details } = quality;
  const rtt = quality.received.rttS ?? quality.sent.rttS;
  const none = t('details.unknown');
  return (
    <table className="quality-table" data-testid="connection-details">
      <caption>{name}</caption>
      <thead>
        <tr>
          <td />
          <th scope="col">{t('details.receiving')}</th>
          <th scope="col">{t('details.sending')}</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map(([key, cell]) => (
          <tr key={key} data-row={key}>
            <th scope="row">{t(`details.${key}`)}</th>
            <td>{cell(t, quality.receive, quality.received, details.receiving) ?? none}</td>
            <td>{cell(t, quality.send, quality.sent, details.sending) ?? none}</td>
          </tr>
        ))}
        <tr data-row="rtt">
          <th scope="row">{t('details.rtt')}</th>
          <td colSpan={2}>{rtt === undefined ? none : t('details.ms', { value: Math.round(rtt * 1000) })}</td>
        </tr>
        <tr data-row="candidate">
          <th scope="row">{t('details.candidate')}</th>
          <td colSpan={2}>
            {t('details.candidatePair', { local: details.localCandidate ?? none, remote: details.remoteCandidate ?? none })}
          </td>
        </tr>
        {quality.lowered && (
          <tr data-row="lowered">
            <td colSpan={3}>{t('details.lowered')}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** The panel (an `<aside className="panel">` for the PanelDock). */
export function ConnectionDetailsPanel({ monitor, people }: ConnectionDetailsPanelProps) {
  const { t } = useTranslation('quality');
  const { peers } = useQuality(monitor);
  const shown = people.filter((p) => peers.has(p.userId));
  return (
    <aside className="panel quality-panel" aria-labelledby="quality-title">
      <h2 id="quality-title" className="panel__title">
        {t('details.title')}
      </h2>
      {shown.length === 0 ? (
        <p className="quality-panel__empty">{t('details.none')}</p>
      ) : (
        shown.map((p) => <ConnectionTable key={p.userId} name={p.displayName} quality={peers.get(p.userId)!} />)
      )}
    </aside>
  );
}
