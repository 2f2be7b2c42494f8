import { describe, expect, it } from 'vitest';
import { offersOnlyPreferred, preferredCodecs, withOpusDtx } from './codecs';

/** The audio part of an offer as Chromium writes it (trimmed), with its CRLF line ends. */
const AUDIO = [
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

describe('withOpusDtx', () => {
  it('asks for DTX on the Opus format only, keeping every other line as it was', () => {
    const out = withOpusDtx(AUDIO);
    expect(out).toContain('a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1\r\n');
    expect(out.replace(';usedtx=1', '')).toBe(AUDIO);
  });

  it('leaves a format that already says usedtx, and descriptions without Opus, alone', () => {
    const off = AUDIO.replace('useinbandfec=1', 'useinbandfec=1;usedtx=0');
    expect(withOpusDtx(off)).toBe(off);
    const noOpus = 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:96 x-google-start-bitrate=300\r\n';
    expect(withOpusDtx(noOpus)).toBe(noOpus);
    expect(withOpusDtx(withOpusDtx(AUDIO))).toBe(withOpusDtx(AUDIO));
  });
});

describe('preferredCodecs', () => {
  const codec = (mimeType: string) => ({ mimeType, clockRate: 90000 }) as RTCRtpCodec;
  it('keeps VP8 with rtx, or Opus, in the listed order, and nothing when the primary is missing', () => {
    const video = ['video/VP9', 'video/VP8', 'video/rtx', 'video/H264'].map(codec);
    expect(preferredCodecs('video', video)?.map((c) => c.mimeType)).toEqual(['video/VP8', 'video/rtx']);
    expect(preferredCodecs('video', ['video/H264', 'video/rtx'].map(codec))).toBeNull();
  });
});

describe('offersOnlyPreferred', () => {
  it('is true only when every codec listed is Opus, VP8 or rtx', () => {
    expect(offersOnlyPreferred(AUDIO)).toBe(false); // red and G722 too
    const ours = 'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n'
      + 'a=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n';
    expect(offersOnlyPreferred(ours)).toBe(true);
    expect(offersOnlyPreferred(ours.replace('VP8/90000', 'H264/90000'))).toBe(false);
    expect(offersOnlyPreferred('m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n')).toBe(false);
  });
});
