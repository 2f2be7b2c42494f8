/** The call's {@link RecordingControls} state for React, for as long as the component is mounted. */
import { useSyncExternalStore } from 'react';
import type { RecordingControls, RecordingState } from './recordingControls';

/** The current recording state of `recording`. */
export function useRecording(recording: RecordingControls): RecordingState {
  return useSyncExternalStore(
    (listener) => recording.subscribe(listener),
    () => recording.state,
  );
}
