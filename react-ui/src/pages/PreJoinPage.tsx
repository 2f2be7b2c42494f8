/**
 * `/r/<roomId>` before joining: checks the room (`POST /joinRoom`), then shows the camera preview,
 * microphone meter, device pickers, the name field and Join.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeRoomError } from '../api/rooms';
import { BackgroundChoice } from '../components/BackgroundChoice';
import { DevicePicker } from '../components/DevicePicker';
import { Icon } from '../components/Icon';
import { LanguagePicker } from '../components/LanguagePicker';
import { LevelMeter } from '../components/LevelMeter';
import { OpenMeetingForm } from '../components/OpenMeetingForm';
import { VideoView } from '../components/VideoView';
import { useBackgroundPreview } from '../hooks/useBackgroundPreview';
import { useLocalMedia } from '../hooks/useLocalMedia';
import { useMediaDevices } from '../hooks/useMediaDevices';
import { usePreflight } from '../hooks/usePreflight';
import { useStoredName } from '../hooks/useStoredName';
import { rememberDevice, rememberedDevice } from '../media/devicePreferences';
import { describeMediaProblem, type MediaProblem } from '../media/localMedia';
import { AdmissionFields, type PasswordProblem } from '../host/AdmissionFields';
import { AdmissionPage } from '../host/AdmissionPage';
import { hostTokenOf } from '../host/hostTokens';

/** What the person chose before joining. */
export interface JoinSettings {
  displayName: string;
  stream: MediaStream | null;
  audioMuted: boolean;
  videoMuted: boolean;
  /** The meeting's password, when it asks for one. */
  password?: string;
}

/** Props of {@link PreJoinPage}. */
export interface PreJoinPageProps {
  roomId: string;
  /** Why the last join failed (the WebSocket `join` was refused), if it did. */
  joinError: string | null;
  onJoin: (settings: JoinSettings) => void;
  /** The room can be joined (the pre-flight said so): a good moment to get the connection ready. */
  onReady?: () => void;
  /** The last join was refused for its password: ask again, saying why. */
  passwordProblem?: PasswordProblem | null;
  /** Join was clicked: the call is being joined and shows soon (call/joinReveal.ts); the choices here are made. */
  joining?: boolean;
}

function mediaMessage(audio: MediaProblem | null, video: MediaProblem | null): string | null {
  if (audio && video && audio === video) return describeMediaProblem(audio, 'camera and microphone');
  if (video) return describeMediaProblem(video, 'camera');
  if (audio) return describeMediaProblem(audio, 'microphone');
  return null;
}

/** The pre-join page. */
export function PreJoinPage({ roomId, joinError, onJoin, onReady, passwordProblem = null, joining = false }: PreJoinPageProps) {
  const { t } = useTranslation(['prejoin', 'common', 'entry']);
  const preflight = usePreflight(roomId);
  // Issue 14: a host (this browser holds the room's host token) is let in past the lock and the password.
  const isHost = useState(() => hostTokenOf(roomId) !== undefined)[0];
  const locked = preflight.state === 'ok' && Boolean(preflight.room.locked) && !isHost;
  const [password, setPassword] = useState('');
  useEffect(() => {
    if (preflight.state === 'ok' && !joinError && !locked) onReady?.();
  }, [preflight.state, joinError, onReady, locked]);
  const [name, setName, rememberName] = useStoredName();
  // The devices chosen on an earlier visit, preferred (they may be gone); a choice made here is exact.
  const [audioDeviceId, setAudioDeviceId] = useState<string | undefined>(() => rememberedDevice('audio'));
  const [videoDeviceId, setVideoDeviceId] = useState<string | undefined>(() => rememberedDevice('video'));
  const [chosenHere, setChosenHere] = useState({ audio: false, video: false });
  const choose = (kind: 'audio' | 'video') => (deviceId: string) => {
    rememberDevice(kind, deviceId);
    setChosenHere((chosen) => (chosen[kind] ? chosen : { ...chosen, [kind]: true }));
    (kind === 'audio' ? setAudioDeviceId : setVideoDeviceId)(deviceId);
  };
  const [audioMuted, setAudioMuted] = useState(false);
  const [videoMuted, setVideoMuted] = useState(false);
  // Ask for the camera only once we know the room can be joined.
  const media = useLocalMedia(preflight.state === 'ok' && !locked, audioDeviceId, videoDeviceId, chosenHere);
  // What the pickers show: the devices actually open (a remembered one may have been replaced).
  const openCamera = media.stream?.getVideoTracks()[0]?.getSettings?.().deviceId;
  const openMicrophone = media.stream?.getAudioTracks()[0]?.getSettings?.().deviceId;
  const devices = useMediaDevices(media.stream);
  const hasAudio = Boolean(media.stream?.getAudioTracks().length);
  const hasVideo = Boolean(media.stream?.getVideoTracks().length);
  // The chosen background on the preview too: the person sees what the others will.
  const background = useBackgroundPreview(hasVideo ? media.stream : null);

  const join = (event: FormEvent) => {
    event.preventDefault();
    rememberName();
    onJoin({
      displayName: name.trim() || t('common:guest'),
      stream: media.takeStream(),
      audioMuted: audioMuted || !hasAudio,
      videoMuted: videoMuted || !hasVideo,
      ...(password ? { password } : {}),
    });
  };

  if (preflight.state === 'failed' || joinError) {
    const message = joinError ?? (preflight.state === 'failed' ? describeRoomError(preflight.error) : '');
    const canRetry = joinError !== null || (preflight.state === 'failed' && !['roomNotFound', 'invalidPayload'].includes(preflight.error.code));
    return (
      <main className="prejoin prejoin--error">
        <div className="card">
          <h1 className="brand">Parley</h1>
          <p role="alert" className="message message--error">
            {message}
          </p>
          <div className="card__actions">
            {canRetry && (
              <button type="button" className="button" onClick={() => window.location.reload()}>
                {t('common:tryAgain')}
              </button>
            )}
            <a className="button button--primary" href="/">
              {t('common:startNew')}
            </a>
            <a className="button" href="/">
              {t('common:home')}
            </a>
          </div>
          {/* A mistyped or stale link: another code can be tried from here. */}
          {!canRetry && <OpenMeetingForm />}
        </div>
      </main>
    );
  }

  if (locked) return <AdmissionPage outcome="roomLocked" onTryAgain={preflight.retry} />;

  const problem = mediaMessage(media.audioProblem, media.videoProblem);
  const showPreview = hasVideo && !videoMuted;
  return (
    <main className="prejoin">
      <section className="prejoin__preview" aria-label={t('previewRegion')}>
        <div className="preview">
          {showPreview ? (
            <VideoView stream={background.stream} muted mirrored className="preview__video" label={t('previewVideo')} />
          ) : (
            <div className="preview__off">{media.loading || preflight.state === 'checking' ? t('startingCamera') : t('cameraIsOff')}</div>
          )}
          <div className="preview__toggles">
            <button
              type="button"
              className={`control control--round${audioMuted ? ' control--off' : ''}`}
              onClick={() => setAudioMuted((m) => !m)}
              disabled={!hasAudio || joining}
              aria-label={audioMuted || !hasAudio ? t('common:unmute') : t('common:mute')}
              title={audioMuted ? t('joinMicOff') : t('joinMicOn')}
            >
              <Icon name={audioMuted || !hasAudio ? 'micOff' : 'mic'} />
            </button>
            <button
              type="button"
              className={`control control--round${videoMuted ? ' control--off' : ''}`}
              onClick={() => setVideoMuted((m) => !m)}
              disabled={!hasVideo || joining}
              aria-label={videoMuted || !hasVideo ? t('common:cameraOn') : t('common:cameraOff')}
              title={videoMuted ? t('joinCameraOff') : t('joinCameraOn')}
            >
              <Icon name={videoMuted || !hasVideo ? 'cameraOff' : 'camera'} />
            </button>
          </div>
        </div>
        {/* Joining, the microphone is the call's: the meter stops (and leaves the join its CPU). */}
        {hasAudio && <LevelMeter stream={audioMuted || joining ? null : media.stream} label={t('micLevel')} caption={t('common:microphone')} />}
        {hasVideo && <BackgroundChoice choice={background.choice} status={background.status} onChange={background.setChoice} />}
        {problem && (
          <p className="message message--warning" role="note">
            {problem}
          </p>
        )}
      </section>
      <form className="prejoin__form card" onSubmit={join}>
        <h1 className="brand">{t('ready')}</h1>
        <p className="prejoin__room">
          {preflight.state === 'ok'
            ? preflight.room.users.length === 0
              ? t('nobodyHere')
              : t('othersHere', {
                  count: preflight.room.users.length,
                  names: preflight.room.users.map((u) => u.displayName).join(t('listSeparator')),
                })
            : t('checkingMeeting')}
        </p>
        <div className="field">
          <label htmlFor="display-name" className="field__label">
            {t('common:yourName')}
          </label>
          <input
            id="display-name"
            className="field__input"
            value={name}
            maxLength={128}
            onChange={(e) => setName(e.target.value)}
            readOnly={joining}
            autoComplete="name"
            placeholder={t('common:guest')}
            // The first thing to do here; the camera and microphone are already on.
            autoFocus
            aria-describedby={name.trim() ? undefined : 'display-name-hint'}
          />
          {/* An empty name joins as Guest: said, not silent. */}
          {!name.trim() && (
            <p id="display-name-hint" className="field__hint">
              {t('entry:guestHint', { name: t('common:guest') })}
            </p>
          )}
        </div>
        {preflight.state === 'ok' && (
          <AdmissionFields passwordRequired={Boolean(preflight.room.passwordRequired)} lobby={Boolean(preflight.room.lobby)}
            isHost={isHost} password={password} onPassword={setPassword} problem={passwordProblem} />
        )}
        <DevicePicker id="camera-select" label={t('common:camera')} devices={devices.cameras} value={openCamera ?? videoDeviceId} onChange={choose('video')} disabled={joining} />
        <DevicePicker id="mic-select" label={t('common:microphone')} devices={devices.microphones} value={openMicrophone ?? audioDeviceId} onChange={choose('audio')} disabled={joining} />
        <LanguagePicker id="prejoin-language" />
        {/* No Join before the pre-flight answered: the page may yet turn into "this meeting is full". */}
        {preflight.state === 'ok' ? (
          <button type="submit" className="button button--primary button--large" disabled={media.loading || joining} aria-busy={joining || undefined}>
            {joining ? t('joining') : t('join')}
          </button>
        ) : (
          <button type="button" className="button button--primary button--large" disabled>
            {t('checking')}
          </button>
        )}
      </form>
    </main>
  );
}
