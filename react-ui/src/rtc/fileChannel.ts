/**
 * The data channel files travel on (files/filePeer.ts): one per peer connection, made by both
 * sides with `negotiated: true` and the same fixed id, so it needs no `datachannel` event, no
 * extra negotiation and cannot race; the offerer makes it before its first offer, so that offer
 * carries the data m-line. Ordered and reliable (the SCTP defaults).
 */

/** The SCTP stream id both sides use for the file channel. */
export const FILE_CHANNEL_ID = 0;
/** The file channel's label (diagnostics). */
export const FILE_CHANNEL_LABEL = 'parley-files';

/** Makes the file channel on `pc`; binary messages arrive as ArrayBuffers. */
export function openFileChannel(pc: RTCPeerConnection): RTCDataChannel {
  const channel = pc.createDataChannel(FILE_CHANNEL_LABEL, { negotiated: true, id: FILE_CHANNEL_ID, ordered: true });
  channel.binaryType = 'arraybuffer';
  return channel;
}
