/** The call's control bar: microphone, camera, screen share, participants, devices, leave. */
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from './Icon';

/** Props of {@link ControlBar}. */
export interface ControlBarProps {
  audioMuted: boolean;
  videoMuted: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  sharing: boolean;
  canShare: boolean;
  /** Why Share screen is disabled (its tooltip and accessible description). */
  shareDisabledReason?: string;
  participantsOpen: boolean;
  participantCount: number;
  devicesOpen: boolean;
  onToggleAudio: () => void;
  onToggleVideo: () => void;
  onToggleShare: () => void;
  onToggleParticipants: () => void;
  onToggleDevices: () => void;
  onLeave: () => void;
  /** More controls, before Leave (Chat, Raise hand, React). */
  children?: ReactNode;
}

function ControlButton(props: {
  label: string;
  icon: IconName;
  onClick: () => void;
  active?: boolean;
  danger?: boolean;
  disabled?: boolean;
  title?: string;
  pressed?: boolean;
  /** The panel this button opens (PanelDock gives the focus back to it). */
  panel?: string;
}) {
  const classes = ['control', props.active ? 'control--off' : '', props.danger ? 'control--danger' : ''];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(' ')}
      onClick={props.onClick}
      disabled={props.disabled}
      title={props.title ?? props.label}
      aria-pressed={props.pressed}
      data-panel-button={props.panel}
    >
      <Icon name={props.icon} />
      <span className="control__label">{props.label}</span>
    </button>
  );
}

/** The bar at the bottom of the call. Button names are part of the DOM contract. */
export const ControlBar = memo(function ControlBar(props: ControlBarProps) {
  const { t } = useTranslation(['call', 'common']);
  return (
    <nav className="controlbar" aria-label={t('controls')}>
      <ControlButton
        label={props.audioMuted ? t('common:unmute') : t('common:mute')}
        icon={props.audioMuted ? 'micOff' : 'mic'}
        active={props.audioMuted}
        onClick={props.onToggleAudio}
        disabled={!props.hasAudio}
        title={props.hasAudio ? undefined : t('noMicrophone')}
      />
      <ControlButton
        label={props.videoMuted ? t('common:cameraOn') : t('common:cameraOff')}
        icon={props.videoMuted ? 'cameraOff' : 'camera'}
        active={props.videoMuted}
        onClick={props.onToggleVideo}
        disabled={!props.hasVideo}
        title={props.hasVideo ? undefined : t('noCamera')}
      />
      <ControlButton
        label={props.sharing ? t('stopSharing') : t('shareScreen')}
        icon={props.sharing ? 'stopScreen' : 'screen'}
        active={props.sharing}
        onClick={props.onToggleShare}
        disabled={!props.sharing && !props.canShare}
        title={!props.sharing && !props.canShare ? props.shareDisabledReason : undefined}
      />
      <ControlButton
        label={t('participants', { count: props.participantCount })}
        icon="people"
        pressed={props.participantsOpen}
        panel="participants"
        onClick={props.onToggleParticipants}
      />
      <ControlButton
        label={t('devices')}
        icon="devices"
        pressed={props.devicesOpen}
        panel="devices"
        onClick={props.onToggleDevices}
        disabled={!props.hasAudio && !props.hasVideo}
        title={props.hasAudio || props.hasVideo ? t('devicesTitle') : t('noDevices')}
      />
      {props.children}
      <ControlButton label={t('leave')} icon="leave" danger onClick={props.onLeave} />
    </nav>
  );
});
