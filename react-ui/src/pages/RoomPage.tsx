/** `/r/<roomId>`: pre-join, then the call, then a "you left" screen, with a way back at each end. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeRoomError } from '../api/rooms';
import { CallSession, type CallSnapshot } from '../call/callSession';
import { whenCallShowable } from '../call/joinReveal';
import { sendLeaveBeacon } from '../hooks/useCallSession';
import { preparedVideo } from '../media/remoteVideos';
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
  /** Joined at the click; the pre-join page stays ("Joining…") until the call can be shown (call/joinReveal.ts). */
  | { phase: 'joining'; session: CallSession; attempt: number }
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
    // The others' cameras start playing as they arrive, before their tiles render (media/remoteVideos.ts).
    session.peers.on('streamsChanged', (userId) => {
      const camera = session.peers.cameraOf(userId);
      if (camera) preparedVideo(camera);
    });
    session.start();
    setAttempts((n) => n + 1);
    setState({ phase: 'joining', session, attempt: attempts + 1 });
  }, [attempts, roomId, selfId, warmSocket]);

  // The call page once it can be shown (call/joinReveal.ts), rendered at once rather than as a
  // transition: the join's events would restart a transition of the whole page again and again.
  const joining = state.phase === 'joining' ? state : null;
  useEffect(() => {
    if (!joining) return;
    const { session } = joining;
    // The call page says goodbye on pagehide (useCallSession.ts); until it shows, this does.
    const onPageHide = () => sendLeaveBeacon(session);
    window.addEventListener('pagehide', onPageHide);
    const cancel = whenCallShowable(session, () => setState({ ...joining, phase: 'call' }));
    return () => {
      cancel();
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [joining]);

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

  if (state.phase === 'prejoin' || state.phase === 'joining') {
    const prejoin = state.phase === 'prejoin' ? state : { joinError: null, passwordProblem: undefined };
    return <PreJoinPage roomId={roomId} joinError={prejoin.joinError} passwordProblem={prejoin.passwordProblem ?? null} onJoin={onJoin} onReady={warm} joining={state.phase === 'joining'} />;
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
