/** The call's {@link HostControls} state for React, for as long as the component is mounted. */
import { useStoreState } from '../hooks/useStoreState';
import type { HostControls } from './hostControls';
import type { HostState } from './hostState';

/** The current host state of `host`. */
export function useHostControls(host: HostControls): HostState {
  return useStoreState(host, subscribeHostControls, stateOfHostControls);
}

const subscribeHostControls = (host: HostControls, onChange: () => void) => host.subscribe(onChange);
const stateOfHostControls = (host: HostControls) => host.state;
