/** `/r/<roomId>`: pre-join, then the call, then a "you left" screen, with a way back at each end. */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeRoomError } from '../api/rooms';
import { CallSession, type CallSnapshot } from '../call/callSession';
import { randomUserId } from '../lib/ids';
import { warmWebRtc } from '../rtc/warmup';
import { signalingUrl } from '../signaling/url';
import { WarmSocket } from '../signaling/warmSocket';
import { AdmissionPage, type AdmissionOutcome } from '../host/AdmissionPage';
import type { PasswordProblem } from '../host/AdmissionFields';
import { hostEnding } from '../host/outcome';
import { adoptHostTokenFromUrl, hostTokenOf } from '../host/hostTokens';
import { CallPage } from './CallPage';
import { PreJoinPage, type JoinSettings } from './PreJoinPage';

type Phase =
  | { phase: 'prejoin'; joinError: string | null; passwordProblem?: PasswordProblem }
  | { phase: 'call'; session: CallSession; attempt: number }
  | { phase: 'ended'; reason: 'replaced' | 'policy' | 'left' }
  /** Out because of a host or the room's admission rules (issue 14). */
  | { phase: 'out'; outcome: AdmissionOutcome; by: string | null };

/** The room page. */
export function RoomPage({ roomId }: { roomId: string }) {
  // One user id per page load: a reload is a new participant (the old one leaves via sendBeacon).
  const selfId = useMemo(() => randomUserId(), []);
  // A host token handed over in the URL (the desktop app) is kept before anything else reads it.
  useState(() => adoptHostTokenFromUrl(roomId));
  const sessionRef = useRef<CallSession | null>(null);
  const { t } = useTranslation(['call', 'common']);
  const [state, setState] = useState<Phase>({ phase: 'prejoin', joinError: null });
  const [attempts, setAttempts] = useState(0);
  // The signaling socket is opened once the pre-join page knows the room can be joined (not
  // before: the pre-flight answer, which says whether the page shows Join or an error, comes
  // first), and joins at the click; WebRTC is readied then too (rtc/warmup.ts).
  const warmSocket = useMemo(() => new WarmSocket(signalingUrl(window.location)), []);
  const warm = useCallback(() => {
    warmSocket.warm();
    void warmWebRtc();
  }, [warmSocket]);
  useEffect(() => () => warmSocket.dispose(), [warmSocket]);

  const onJoin = useCallback((settings: JoinSettings) => {
    // Made and started here, in the click, rather than when the call page has rendered: the
    // `join` goes out at once on the warm socket.
    const session = new CallSession({
      roomId,
      selfId,
      displayName: settings.displayName,
      localStream: settings.stream,
      audioMuted: settings.audioMuted,
      videoMuted: settings.videoMuted,
      signalingUrl: signalingUrl(window.location),
      createSocket: warmSocket.factory(),
      hostToken: hostTokenOf(roomId),
      password: settings.password,
    });
    sessionRef.current = session;
    session.start();
    // The call page renders as a transition, in slices: the server's answer to our join (which
    // starts every peer connection) is handled between them rather than after the whole page.
    startTransition(() => {
      setAttempts((n) => n + 1);
      setState({ phase: 'call', session, attempt: attempts + 1 });
    });
  }, [attempts, roomId, selfId, warmSocket]);

  const onEnded = useCallback((snapshot: CallSnapshot) => {
    const reason = snapshot.closedReason;
    const ending = hostEnding(snapshot, sessionRef.current?.host.state ?? null);
    if (ending?.phase === 'password') {
      setState({ phase: 'prejoin', joinError: null, passwordProblem: ending.problem });
    } else if (ending?.phase === 'out') {
      setState({ phase: 'out', outcome: ending.outcome, by: ending.by });
    } else if (reason?.kind === 'refused') {
      const message = describeRoomError({ code: reason.errorCode ?? '', message: reason.message ?? t('errors:room.joinFailed') });
      setState({ phase: 'prejoin', joinError: message });
    } else if (reason?.kind === 'replaced') {
      setState({ phase: 'ended', reason: 'replaced' });
    } else if (reason?.kind === 'policy') {
      setState({ phase: 'ended', reason: 'policy' });
    } else {
      setState({ phase: 'ended', reason: 'left' });
    }
  }, [t]);

  if (state.phase === 'prejoin') {
    return <PreJoinPage roomId={roomId} joinError={state.joinError} passwordProblem={state.passwordProblem ?? null} onJoin={onJoin} onReady={warm} />;
  }
  if (state.phase === 'call') {
    return <CallPage key={state.attempt} roomId={roomId} selfId={selfId} session={state.session} onEnded={onEnded} />;
  }
  if (state.phase === 'out') {
    const retry = state.outcome === 'roomLocked' || state.outcome === 'rateLimited';
    return <AdmissionPage outcome={state.outcome} by={state.by} onTryAgain={retry ? () => setState({ phase: 'prejoin', joinError: null }) : undefined} />;
  }
  return (
    <main className="prejoin prejoin--error">
      <div className="card">
        <h1 className="brand">Parley</h1>
        <p className="message">{t(`ended.${state.reason}`)}</p>
        <div className="card__actions">
          {/* The focus lands here after Leave, not on the page body. */}
          <button type="button" className="button button--primary" autoFocus onClick={() => setState({ phase: 'prejoin', joinError: null })}>
            {t('ended.rejoin')}
          </button>
          <a className="button" href="/">
            {t('common:home')}
          </a>
        </div>
      </div>
    </main>
  );
}
