/**
 * Readies the browser's WebRTC machinery before the Join click. The first `RTCPeerConnection` of a
 * page sets up the renderer's WebRTC threads, codec factories and network stack, and its first
 * offer and local description take several times as long as later ones; a fresh tab (a first
 * visit) would pay that after the click, on the way to the first remote frame. One throwaway
 * connection made while the pre-join page shows pays it there. No React in here.
 */
import { preferCodecs } from './codecs';
import { openFileChannel } from './fileChannel';

type PeerConnectionConstructor = new (config?: RTCConfiguration) => RTCPeerConnection;

let warmed = false;

/**
 * Makes, offers on and closes one connection shaped like a call's link (once per page);
 * resolves when done. Never throws: without WebRTC there is nothing to ready.
 */
export async function warmWebRtc(
  Pc: PeerConnectionConstructor | undefined = globalThis.RTCPeerConnection,
): Promise<void> {
  if (warmed || !Pc) return;
  warmed = true;
  let pc: RTCPeerConnection | null = null;
  try {
    pc = new Pc({ bundlePolicy: 'max-bundle' });
    // What a call's link has (peerManager.ts): audio, camera, the screen's video m-line and the
    // file channel (its SCTP transport is made in the local description, on first use per page).
    pc.addTransceiver('audio', { direction: 'sendrecv' });
    pc.addTransceiver('video', { direction: 'sendrecv' });
    pc.addTransceiver('video', { direction: 'sendrecv' });
    openFileChannel(pc);
    preferCodecs(pc);
    await pc.setLocalDescription(await pc.createOffer());
  } catch {
    // A browser that refuses any of this joins as before.
  } finally {
    pc?.close();
  }
}

/** Forgets that the page warmed up (tests). */
export function resetWarmup(): void {
  warmed = false;
}
