/** The call's control bar: microphone, camera, screen share, participants, devices, leave. */
import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** Props of {@link ControlBar}. */
export interface ControlBarProps {
  audioMuted: boolean;
  videoMuted: boolean;
  hasAudio: boolean;
  hasVideo: boolean;
  sharing: boolean;
  canShare: boolean;
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
    >
      <Icon name={props.icon} />
      <span className="control__label">{props.label}</span>
    </button>
  );
}

/** The bar at the bottom of the call. Button names are part of the DOM contract. */
export function ControlBar(props: ControlBarProps) {
  return (
    <nav className="controlbar" aria-label="Call controls">
      <ControlButton
        label={props.audioMuted ? 'Unmute' : 'Mute'}
        icon={props.audioMuted ? 'micOff' : 'mic'}
        active={props.audioMuted}
        onClick={props.onToggleAudio}
        disabled={!props.hasAudio}
        title={props.hasAudio ? undefined : 'No microphone available'}
      />
      <ControlButton
        label={props.videoMuted ? 'Turn camera on' : 'Turn camera off'}
        icon={props.videoMuted ? 'cameraOff' : 'camera'}
        active={props.videoMuted}
        onClick={props.onToggleVideo}
        disabled={!props.hasVideo}
        title={props.hasVideo ? undefined : 'No camera available'}
      />
      <ControlButton
        label={props.sharing ? 'Stop sharing' : 'Share screen'}
        icon={props.sharing ? 'stopScreen' : 'screen'}
        active={props.sharing}
        onClick={props.onToggleShare}
        disabled={!props.sharing && !props.canShare}
      />
      <ControlButton
        label={`Participants (${props.participantCount})`}
        icon="people"
        pressed={props.participantsOpen}
        onClick={props.onToggleParticipants}
      />
      <ControlButton
        label="Devices"
        icon="devices"
        pressed={props.devicesOpen}
        onClick={props.onToggleDevices}
        disabled={!props.hasAudio && !props.hasVideo}
        title={props.hasAudio || props.hasVideo ? 'Camera and microphone' : 'No camera or microphone in use'}
      />
      {props.children}
      <ControlButton label="Leave" icon="leave" danger onClick={props.onLeave} />
    </nav>
  );
}
