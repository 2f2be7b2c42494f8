/** The call's {@link HostControls} state for React, for as long as the component is mounted. */
import { useSyncExternalStore } from 'react';
import type { HostControls } from './hostControls';
import type { HostState } from './hostState';

/** The current host state of `host`. */
export function useHostControls(host: HostControls): HostState {
  return useSyncExternalStore(
    (listener) => host.subscribe(listener),
    () => host.state,
  );
}
