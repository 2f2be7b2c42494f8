/** The call: stage, tiles, participant list, status and controls. Renders a CallSession's snapshot. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { CallSession, CallSnapshot } from '../call/callSession';
import type { Reaction, ShownReaction } from '../chat/chatState';
import { useMeetingChat } from '../chat/useMeetingChat';
import { ChatButton } from '../components/ChatButton';
import { ChatPanel } from '../components/ChatPanel';
import { ControlBar } from '../components/ControlBar';
import { CopyLinkButton } from '../components/CopyLinkButton';
import { DevicePanel } from '../components/DevicePanel';
import { HandButton } from '../components/HandButton';
import { LayoutMenu } from '../components/LayoutMenu';
import { ParticipantList } from '../components/ParticipantList';
import { ReactionPicker } from '../components/ReactionPicker';
import { ShortcutsDialog } from '../components/ShortcutsDialog';
import { ShareTakeoverDialog } from '../components/ShareTakeoverDialog';
import { Stage } from '../components/Stage';
import { CallTile } from '../components/CallTile';
import { fileCardItems } from '../components/fileCards';
import { ShareFileButton } from '../components/ShareFileButton';
import { useFileShare } from '../hooks/useFileShare';
import { useCallSession } from '../hooks/useCallSession';
import { useLayout } from '../hooks/useLayout';
import { useShareRequest } from '../hooks/useShareRequest';
import { useSfuLayers } from '../hooks/useSfuLayers';
import { useTileGrid } from '../hooks/useTileGrid';
import { SHORTCUT_KEYS, useShortcuts, type ShortcutAction, type ShortcutMap } from '../hooks/useShortcuts';
import { stageControls } from '../layout/stageMedia';
import { PanelDock } from '../components/PanelDock';
import { Toasts, ToastContext } from '../toasts/Toasts';
import { ConnectionDetailsButton } from '../quality/ConnectionDetailsButton';
import { ConnectionDetailsPanel } from '../quality/ConnectionDetailsPanel';
import { useCallFeedback } from '../toasts/useCallFeedback';
import { useToastQueue } from '../toasts/useToastQueue';
import { HostMenu } from '../host/HostMenu';
import { KnockNotice } from '../host/KnockNotice';
import { SfuNotice } from '../sfu/SfuNotice';
import { MutedNotice } from '../host/MutedNotice';
import { ParticipantActions, RoleBadge } from '../host/ParticipantActions';
import { WaitingScreen } from '../host/WaitingScreen';
import { nameOf } from '../host/hostState';
import { useHostControls } from '../host/useHostControls';
import { RecordButton } from '../recording/RecordButton';
import { RecordingIndicator, RecordingNotice } from '../recording/RecordingIndicator';
import { canRecord } from '../recording/meetingRecorder';
import { recorderNames } from '../recording/recorders';
import { useRecording } from '../recording/useRecording';

/** Props of {@link CallPage}. */
export interface CallPageProps {
  roomId: string;
  selfId: string;
  /** The call, already started (see RoomPage); ended when this page goes. */
  session: CallSession;
  /** The call ended: by Leave, or the server ended it (`snapshot.closedReason` says why). */
  onEnded: (snapshot: CallSnapshot) => void;
}

const NO_REACTIONS: readonly ShownReaction[] = [];

function statusText(snapshot: CallSnapshot, t: TFunction): string {
  // Only the meeting service is gone: the peer connections, and so sound and pictures, go on.
  if (snapshot.status === 'reconnecting') return t('feedback:reconnectingService');
  if (snapshot.status === 'connecting') return t('connecting');
  return '';
}

/** The in-call page. */
export function CallPage({ roomId, selfId, session, onEnded }: CallPageProps) {
  const { t } = useTranslation(['call', 'common', 'feedback']);
  const snapshot = useCallSession(session);
  const toasts = useToastQueue();
  useCallFeedback(session, toasts.show);
  // After Join, the focus goes to the control bar (the Join button is gone), not to the page body.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    body.current?.querySelector<HTMLElement>('.controlbar button:not(:disabled)')?.focus();
  }, []);
  const [panel, setPanel] = useState<'participants' | 'devices' | 'quality' | null>(null);
  const chat = useMeetingChat(session.chat);
  const host = useHostControls(session.host);
  const recording = useRecording(session.recording);
  const { t: tRecording } = useTranslation('recording');
  const chatOpen = chat.state.open;
  const panelOpen = panel !== null || chatOpen;
  // Files live in the chat: a card that came while the chat was closed counts as unread there.
  const files = useFileShare(session.files);
  const [filesSeen, setFilesSeen] = useState(0);
  useEffect(() => {
    if (chatOpen) setFilesSeen(files.length);
  }, [chatOpen, files.length]);
  const unread = chat.state.unread + (chatOpen ? 0 : Math.max(0, files.length - filesSeen));
  // One panel at a time: the chat closes the others and they close the chat.
  useEffect(() => {
    if (chatOpen) setPanel(null);
  }, [chatOpen]);
  const toggle = useCallback((which: 'participants' | 'devices' | 'quality') => {
    session.chat.setOpen(false);
    setPanel((open) => (open === which ? null : which));
  }, [session]);
  // The tiles, header and control bar are memoised: what they are handed stays the same object
  // from one snapshot to the next unless it changed (a snapshot re-rendered the whole page, and
  // a fresh tab's join makes many of them while its offers and answers wait for the main thread).
  // Their callbacks read the snapshot last rendered from here.
  const latest = useRef(snapshot);
  useLayoutEffect(() => {
    latest.current = snapshot;
  });
  // The same function for the whole call (the participant list changes with every link's state
  // during a join, and a new one would render every tile again); it reads the list last rendered.
  const displayNameOf = useCallback((id: string) => latest.current.participants.find((p) => p.userId === id)?.displayName ?? id, []);
  const reactionsOf = useMemo(() => {
    const byUser = new Map<string, ShownReaction[]>();
    for (const r of chat.state.reactions) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
    return (userId: string) => byUser.get(userId) ?? NO_REACTIONS;
  }, [chat.state.reactions]);
  // The browser would not play the others' sound without a click on this page (autoplay policy).
  const [soundBlocked, setSoundBlocked] = useState(false);
  const onSoundBlocked = useCallback(() => setSoundBlocked(true), []);
  const turnOnSound = () => {
    // In the click: the gesture lets every paused remote tile play, with its sound.
    for (const video of document.querySelectorAll<HTMLVideoElement>('.tile video')) if (video.paused) void video.play()?.catch(() => undefined);
    setSoundBlocked(false);
  };

  useEffect(() => {
    if (snapshot.status === 'closed') onEnded(snapshot);
  }, [snapshot, onEnded]);

  const { participants, sharer } = snapshot;
  const sharerName =
    sharer?.userId === selfId ? snapshot.displayName : (participants.find((p) => p.userId === sharer?.userId)?.displayName ?? null);
  const tileCount = participants.length + 1;
  const layout = useLayout([selfId, ...participants.map((p) => p.userId)], selfId, snapshot.activeSpeaker, sharer !== null);
  const stage = useMemo(() => stageControls(layout.large, snapshot.activeSpeaker), [layout.large, snapshot.activeSpeaker]);
  const tileGrid = useTileGrid(layout.effective, tileCount, sharer !== null);
  useSfuLayers(session, participants.map((p) => p.userId), layout.large, snapshot.activeSpeaker);
  // Share screen while someone else presents asks first (the server lets the last start win).
  const startShare = useCallback(() => session.startScreenShare(), [session]);
  const shareRequest = useShareRequest(sharer && sharer.userId !== selfId ? (sharerName ?? '?') : null, startShare);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const canShare = snapshot.status === 'joined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  const shareDisabledReason =
    typeof navigator.mediaDevices?.getDisplayMedia !== 'function'
      ? t('feedback:shareUnsupported')
      : snapshot.status === 'reconnecting'
        ? t('feedback:shareNeedsService')
        : t('feedback:shareNotYet');
  const shareRequestRef = useRef(shareRequest.request);
  useLayoutEffect(() => {
    shareRequestRef.current = shareRequest.request;
  });
  const onShortcuts = useCallback(() => setShortcutsOpen(true), []);
  const toggleQuality = useCallback(() => toggle('quality'), [toggle]);
  const controls = {
    onToggleAudio: useCallback(() => session.setAudioMuted(!latest.current.audioMuted), [session]),
    onToggleVideo: useCallback(() => session.setVideoMuted(!latest.current.videoMuted), [session]),
    onToggleShare: useCallback(() => (latest.current.sharing ? session.stopScreenShare() : shareRequestRef.current()), [session]),
    onToggleParticipants: useCallback(() => toggle('participants'), [toggle]),
    onToggleDevices: useCallback(() => toggle('devices'), [toggle]),
    onLeave: useCallback(() => session.leave(), [session]),
  };
  const joinedNow = snapshot.status === 'joined';
  const handRaised = selfId in chat.state.hands;
  const react = useCallback((emoji: Reaction) => session.chat.react(emoji), [session]);
  const startRecording = useCallback(() => void session.recording.start(), [session]);
  const stopRecording = useCallback(() => void session.recording.stop(), [session]);
  const moreControls = useMemo(() => (
    <>
      <ChatButton open={chatOpen} unread={unread} onToggle={chat.toggleChat} />
      <HandButton raised={handRaised} onToggle={chat.toggleHand} disabled={!joinedNow} />
      <ReactionPicker onReact={react} disabled={!joinedNow} />
      <RecordButton phase={recording.phase} supported={canRecord()} disabled={!joinedNow} onStart={startRecording} onStop={stopRecording} />
    </>
  ), [chatOpen, unread, chat.toggleChat, handRaised, chat.toggleHand, joinedNow, react, recording.phase, startRecording, stopRecording]);
  const closePanel = useCallback(() => {
    setPanel(null);
    session.chat.setOpen(false);
  }, [session]);
  const openPanel = chatOpen ? 'chat' : panel;
  // The keys do what the control bar's buttons do, and only when those are enabled; what M and V
  // did is said aloud (the focus is not on the button whose name changed).
  const { t: tLayout } = useTranslation('layout');
  const [announced, announce] = useState('');
  const shortcuts: ShortcutMap = {
    microphone: snapshot.hasAudio
      ? () => {
          session.setAudioMuted(!snapshot.audioMuted);
          announce(tLayout(snapshot.audioMuted ? 'announce.microphoneOn' : 'announce.microphoneOff'));
        }
      : undefined,
    camera: snapshot.hasVideo
      ? () => {
          session.setVideoMuted(!snapshot.videoMuted);
          announce(tLayout(snapshot.videoMuted ? 'announce.cameraOn' : 'announce.cameraOff'));
        }
      : undefined,
    share: snapshot.sharing || canShare ? () => (snapshot.sharing ? session.stopScreenShare() : shareRequest.request()) : undefined,
    chat: chat.toggleChat,
    hand: chat.toggleHand, // before the join it sends nothing (the signaling client keeps no hand for later)
    layout: layout.toggleMode,
    help: () => setShortcutsOpen(true),
  };
  // The list is modal: behind it no key acts, and `?` closes it again; nor behind the takeover question.
  useShortcuts(shortcutsOpen ? { help: () => setShortcutsOpen(false) } : shareRequest.asking !== null ? {} : shortcuts);
  const shortcutList = (Object.keys(SHORTCUT_KEYS) as ShortcutAction[]).filter((action) => shortcuts[action]);
  const rows = [
    { userId: selfId, displayName: snapshot.displayName, audioMuted: snapshot.audioMuted, videoMuted: snapshot.videoMuted, self: true, sharing: sharer?.userId === selfId },
    ...participants.map((p) => ({ ...p, self: false, sharing: sharer?.userId === p.userId })),
  ];

  // The lobby holds us: nothing of the call until a host lets us in.
  if (host.waiting && !snapshot.joined) return <WaitingScreen onLeave={() => session.leave()} />;
  return (
    <ToastContext.Provider value={toasts.show}>
    <div className={`call${sharer ? ' call--sharing' : ''}${panelOpen ? ' call--panel' : ''}`}>
      <header className="call__header">
        {/* The page's one level-one heading: the brand, as on the other pages, named for what this page is. */}
        <h1 className="brand brand--small">
          Parley<span className="visually-hidden"> {t('meeting')}</span>
        </h1>
        <div role="status" className={`call__status${statusText(snapshot, t) ? ' call__status--visible' : ''}`}>
          {statusText(snapshot, t)}
        </div>
        <div className="call__tools">
          <LayoutMenu mode={layout.mode} onMode={layout.setMode} {...stage} onShortcuts={onShortcuts} />
          <ConnectionDetailsButton open={panel === 'quality'} onToggle={toggleQuality} />
          <CopyLinkButton roomId={roomId} />
          {host.role === 'host' && <HostMenu room={host.room} host={session.host} />}
        </div>
      </header>
      <RecordingIndicator self={recording.phase === 'recording'} others={recorderNames(recording.recorders, false, '', tRecording('someone'))} elapsedMs={() => session.recording.elapsedMs()} />
      <RecordingNotice saved={recording.saved} error={recording.error} inMemory={recording.inMemory} onDismiss={() => session.recording.dismiss()} />
      {host.role === 'host' && <KnockNotice knocks={host.knocks} host={session.host} />}
      <SfuNotice status={session.sfuStatus} />
      {host.mutedBy && <MutedNotice by={nameOf(host, host.mutedBy)} onDismiss={() => session.host.dismissMuted()} />}
      {snapshot.shareError && (
        <div className="banner" role="alert">
          <span>{snapshot.shareError}</span>
          <button type="button" className="button button--ghost" onClick={() => session.dismissShareError()}>
            {t('common:dismiss')}
          </button>
        </div>
      )}
      {soundBlocked && (
        <div className="banner" role="alert">
          <span>{t('soundBlocked')}</span>
          <button type="button" className="button" onClick={turnOnSound}>
            {t('turnOnSound')}
          </button>
        </div>
      )}
      {snapshot.deviceNotice && (
        <div className="banner" role="alert">
          <span>{snapshot.deviceNotice}</span>
          <button type="button" className="button button--ghost" onClick={() => setPanel('devices')}>
            {t('chooseDevice')}
          </button>
          <button type="button" className="button button--ghost" onClick={() => session.dismissDeviceNotice()}>
            {t('common:dismiss')}
          </button>
        </div>
      )}
      <div className="call__body" ref={body}>
      <main className="call__main">
        <Stage sharerId={sharer?.userId ?? null} sharerName={sharerName} stream={snapshot.stageStream} self={sharer?.userId === selfId} onBlocked={onSoundBlocked} />
        <div className="tiles" data-count={Math.min(tileCount, 9)} data-layout={layout.effective} {...tileGrid.props}>
          <CallTile
            userId={selfId}
            displayName={snapshot.displayName}
            stream={snapshot.sentCamera ?? snapshot.localStream}
            audioMuted={snapshot.audioMuted}
            videoMuted={snapshot.videoMuted}
            self
            large={layout.large === selfId}
            pinned={layout.pinned === selfId}
            onTogglePin={layout.togglePin}
            speaking={snapshot.activeSpeaker === selfId}
            level={snapshot.activeSpeaker === selfId ? snapshot.speakerLevel : 0}
            handRaised={handRaised}
            reactions={reactionsOf(selfId)}
            monitor={session.quality}
            nameOf={displayNameOf}
          />
          {participants.map((p) => (
            <CallTile
              key={p.userId}
              userId={p.userId}
              displayName={p.displayName}
              stream={p.camera}
              audioMuted={p.audioMuted}
              videoMuted={p.videoMuted}
              connecting={p.connectionState !== 'connected'}
              onBlocked={onSoundBlocked}
              large={layout.large === p.userId}
              pinned={layout.pinned === p.userId}
              onTogglePin={layout.togglePin}
              speaking={snapshot.activeSpeaker === p.userId}
              level={snapshot.activeSpeaker === p.userId ? snapshot.speakerLevel : 0}
              handRaised={p.userId in chat.state.hands}
              reactions={reactionsOf(p.userId)}
              monitor={session.quality}
              nameOf={displayNameOf}
            />
          ))}
        </div>
        {participants.length === 0 && snapshot.joined && (
          <p className="call__hint">{t('alone')}</p>
        )}
      </main>
      <ControlBar
        audioMuted={snapshot.audioMuted}
        videoMuted={snapshot.videoMuted}
        hasAudio={snapshot.hasAudio}
        hasVideo={snapshot.hasVideo}
        sharing={snapshot.sharing}
        canShare={canShare}
        shareDisabledReason={shareDisabledReason}
        participantsOpen={panel === 'participants'}
        participantCount={tileCount}
        devicesOpen={panel === 'devices'}
        {...controls}
      >
        {moreControls}
      </ControlBar>
      {/* After the control bar in the tab order, beside the stage on screen (issue 17). */}
      {openPanel && (
        <PanelDock key={openPanel} which={openPanel} onClose={closePanel}>
        {panel === 'participants' && (
          <ParticipantList
            rows={rows}
            hands={chat.state.hands}
            onReplyPrivately={chat.replyPrivately}
            badgeOf={(row) => <RoleBadge role={row.self ? host.role : host.roles[row.userId]} />}
            actionsOf={(row) =>
              host.role === 'host' && !row.self ? (
                <ParticipantActions userId={row.userId} displayName={row.displayName} role={host.roles[row.userId]}
                  audioMuted={row.audioMuted} handRaised={row.userId in chat.state.hands} host={session.host} />
              ) : null
            }
          />
        )}
        {chatOpen && (
          <ChatPanel
            state={chat.state}
            people={participants}
            recipient={chat.recipient}
            onRecipientChange={chat.setRecipient}
            focusRequest={chat.focusRequest}
            onSend={(text, targetId) => session.chat.send(text, targetId)}
            onReplyPrivately={chat.replyPrivately}
            onDismissError={() => session.chat.dismissError()}
            actions={<ShareFileButton files={session.files} />}
            extraItems={fileCardItems(files, session.files, (id) => participants.find((p) => p.userId === id)?.displayName ?? id)}
          />
        )}
        {panel === 'quality' && <ConnectionDetailsPanel monitor={session.quality} people={participants} />}
        {panel === 'devices' && (
          <DevicePanel
            stream={snapshot.localStream}
            onSwitch={(kind, id) => session.switchDevice(kind, id)}
            noiseSuppression={{ status: snapshot.noiseSuppression, onChange: (on) => session.setNoiseSuppression(on) }}
            background={{ choice: snapshot.backgroundChoice, status: snapshot.background, onChange: (c) => session.setBackground(c) }}
          />
        )}
        </PanelDock>
      )}
      </div>
      <Toasts toasts={toasts.toasts} />
      <span className="visually-hidden" role="status">
        {announced}
      </span>
      {shareRequest.asking !== null && (
        <ShareTakeoverDialog presenter={shareRequest.asking} onConfirm={shareRequest.confirm} onCancel={shareRequest.cancel} />
      )}
      {shortcutsOpen && (
        <ShortcutsDialog actions={shortcutList} onClose={() => setShortcutsOpen(false)} />
      )}
    </div>
    </ToastContext.Provider>
  );
}
