/** The call's {@link RecordingControls} state for React, for as long as the component is mounted. */
import { useStoreState } from '../hooks/useStoreState';
import type { RecordingControls, RecordingState } from './recordingControls';

/** The current recording state of `recording`. */
export function useRecording(recording: RecordingControls): RecordingState {
  return useStoreState(recording, subscribeRecordingControls, stateOfRecordingControls);
}

const subscribeRecordingControls = (recording: RecordingControls, onChange: () => void) => recording.subscribe(onChange);
const stateOfRecordingControls = (recording: RecordingControls) => recording.state;
