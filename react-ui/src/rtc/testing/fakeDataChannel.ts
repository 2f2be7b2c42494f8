/**
 * A fake `RTCDataChannel` for the WebRTC fake (fakeWebRtc.ts): the fake has no transport, so a
 * channel never opens; it only closes.
 */

import { FakeEventTarget } from './fakeMedia';
import { domError } from './fakeTransceivers';

/** A fake `RTCDataChannel` that stays 'connecting' until closed. */
export class FakeDataChannel extends FakeEventTarget {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit,
  ) {
    super();
  }
  send(): void {
    throw domError('InvalidStateError');
  }
  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatch('close', {});
  }
}
