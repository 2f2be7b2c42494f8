/**
 * Which codecs a connection negotiates: VP8 for video (every WebRTC browser must decode it, and it
 * is what Chromium picks first anyway) with `rtx` for retransmissions, and Opus for audio. Leaving
 * out the codecs nobody here uses halves the offer (about 9.5 kB to 4.5 kB in Chromium) and makes
 * each side's description work cheaper, which is on the path of every join.
 */

/** What `RTCRtpReceiver.getCapabilities(kind).codecs` lists (tests pass their own). */
export type CodecCapabilities = (kind: 'audio' | 'video') => readonly RTCRtpCodec[] | null;

const PRIMARY = { audio: 'audio/opus', video: 'video/vp8' } as const;
const COMPANIONS = { audio: [] as string[], video: ['video/rtx'] };

/**
 * The codecs to keep, in their listed order, out of `available`; null (leave the browser's choice)
 * when the primary codec is not there.
 */
export function preferredCodecs(kind: 'audio' | 'video', available: readonly RTCRtpCodec[]): RTCRtpCodec[] | null {
  const keep = new Set([PRIMARY[kind], ...COMPANIONS[kind]]);
  const chosen = available.filter((codec) => keep.has(codec.mimeType.toLowerCase()));
  return chosen.some((codec) => codec.mimeType.toLowerCase() === PRIMARY[kind]) ? chosen : null;
}

/**
 * Whether every codec `sdp` lists is one {@link preferredCodecs} keeps (Opus, VP8, rtx): an answer
 * to it then has only those without preferences set on our side. False for an SDP with no codec.
 */
export function offersOnlyPreferred(sdp: string): boolean {
  const keep = new Set([PRIMARY.audio, PRIMARY.video, ...COMPANIONS.audio, ...COMPANIONS.video].map((m) => m.split('/')[1]));
  let any = false;
  for (const match of sdp.matchAll(/^a=rtpmap:\d+ ([^/\s]+)\//gm)) {
    if (!keep.has(match[1].toLowerCase())) return false;
    any = true;
  }
  return any;
}

const known = new Map<'audio' | 'video', readonly RTCRtpCodec[] | null>();

/**
 * The browser's receive capabilities, or null where it has no `getCapabilities`; asked once per
 * kind and page (each call lists every codec, on the way of every new link's first offer or answer).
 */
export const browserCapabilities: CodecCapabilities = (kind) => {
  if (!known.has(kind)) known.set(kind, globalThis.RTCRtpReceiver?.getCapabilities?.(kind)?.codecs ?? null);
  return known.get(kind) ?? null;
};

/** Transceivers whose codec preferences are set. */
const preferred = new WeakSet<RTCRtpTransceiver>();

/**
 * Sets the preferred codecs on every transceiver of `pc` that can take them; they apply to the next
 * offer or answer. Browsers without `setCodecPreferences` keep their defaults.
 */
export function preferCodecs(pc: RTCPeerConnection, capabilities: CodecCapabilities = browserCapabilities): void {
  for (const transceiver of pc.getTransceivers()) {
    // Once per transceiver (its preferences stay for every later negotiation): setCodecPreferences
    // is a blocking call into WebRTC's signaling thread, which waits there behind the page's
    // other links' descriptions during a join.
    if (preferred.has(transceiver)) continue;
    if (typeof transceiver.setCodecPreferences !== 'function' || transceiver.currentDirection === 'stopped') continue;
    const kind = transceiver.receiver.track.kind as 'audio' | 'video';
    const available = capabilities(kind);
    const codecs = available && preferredCodecs(kind, available);
    if (!codecs) continue;
    try {
      transceiver.setCodecPreferences(codecs);
      preferred.add(transceiver);
    } catch {
      // A browser that refuses this list negotiates its defaults, which work too.
    }
  }
}

/**
 * `sdp` with Opus discontinuous transmission asked for (`usedtx=1` on every Opus format): the side
 * that applies it as its remote description then sends next to nothing while its microphone hears
 * silence, as most people in a meeting do most of the time. Each side puts it in the descriptions
 * it sends, so both directions use it; in a mesh this saves every browser the packets and the
 * decoding of all the quiet microphones. Formats that already say `usedtx` are left as they are.
 */
export function withOpusDtx(sdp: string): string {
  const opus = new Set<string>();
  for (const match of sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)) opus.add(match[1]);
  if (opus.size === 0) return sdp;
  return sdp.replace(/^a=fmtp:(\d+) ([^\r\n]*)/gm, (line, payload: string, params: string) =>
    opus.has(payload) && !/(^|;)\s*usedtx=/.test(params) ? `a=fmtp:${payload} ${params};usedtx=1` : line,
  );
}
