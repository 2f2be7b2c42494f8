import { beforeEach, describe, expect, it, vi } from 'vitest';
import { captureConstraints, OPENED_FIT } from '../media/localMedia';
import { cameraCapture, cameraHeight, encodingLimits, SHARE_CAMERA_HEIGHT, startLimits } from './bandwidth';
import { CameraFit } from './cameraFit';
import { FakeTrack } from './testing/fakeWebRtc';
import { connectedPair, join, joined, meshConnected, member, pc, resetMesh } from './testing/mesh';

// The bandwidth policy (bandwidth.ts) as the mesh applies it: the senders' limits (senderLimits.ts)
// and the camera's capture (cameraFit.ts), through the real PeerManager over FakePeerConnection.

beforeEach(resetMesh);

describe('sender limits', () => {
  it('starts a new link\'s camera small and raises it to the room\'s limits once connected', async () => {
    const a = member('alice', { rampUpMs: 400 });
    const b = member('bob', { rampUpMs: 400 });
    a.manager.handle(joined('alice', []));
    join(b, [a]);
    const videoSender = () => pc(b, 'alice').getSenders().find((s) => s.track?.kind === 'video')!;
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(startLimits(undefined)));
    expect(startLimits(720).scaleResolutionDownBy).toBe(4);
    await meshConnected([a, b]);
    expect(videoSender().encodings[0]).toMatchObject(startLimits(undefined));
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(encodingLimits('camera', 1, false)), { timeout: 2000 });
  });


  it('caps the camera bitrate by room size and lowers it while a screen is shared', async () => {
    const members = ['u1', 'u2', 'u3'].map((id) => member(id));
    members[0].manager.handle(joined('u1', []));
    for (let i = 1; i < members.length; i++) join(members[i], members.slice(0, i));
    await meshConnected(members);
    const videoSender = () =>
      pc(members[0], 'u2').getSenders().find((s) => s.track?.kind === 'video')!;
    const normal = encodingLimits('camera', 2, false);
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(normal));
    members[0].manager.setScreenActive(true);
    const lowered = encodingLimits('camera', 2, true);
    expect(lowered.maxBitrate!).toBeLessThan(normal.maxBitrate!);
    await vi.waitFor(() => expect(videoSender().encodings[0]).toMatchObject(lowered));
  });

  it('sets no limits on any link while one of the page\'s links negotiates, and sets them when it ends', async () => {
    // getParameters/setParameters block the page until WebRTC's signaling thread (one for every
    // link) is done with the description in progress: made meanwhile, they held up the join.
    const members = ['u1', 'u2', 'u3'].map((id) => member(id));
    members[0].manager.handle(joined('u1', []));
    for (let i = 1; i < members.length; i++) join(members[i], members.slice(0, i));
    await meshConnected(members);
    const sender = pc(members[0], 'u2').getSenders().find((s) => s.track?.kind === 'video')!;
    await vi.waitFor(() => expect(sender.encodings[0]).toMatchObject(encodingLimits('camera', 2, false)));
    const busy = pc(members[0], 'u3');
    await busy.setLocalDescription();
    expect(busy.signalingState).toBe('have-local-offer');
    const read = vi.spyOn(sender, 'getParameters');
    members[0].manager.setScreenActive(true);
    expect(read).not.toHaveBeenCalled();
    await busy.setLocalDescription({ type: 'rollback' });
    await vi.waitFor(() => expect(sender.encodings[0]).toMatchObject(encodingLimits('camera', 2, true)));
  });
});

describe('camera capture', () => {
  const asked = (track: FakeTrack) => track.applied.map((c) => `${(c.height as ConstrainULongRange).ideal}@${(c.frameRate as ConstrainDoubleRange).max}`);

  it('is fitted to what its largest copy needs as the room and the share change, and back', async () => {
    const [a, b] = await connectedPair();
    const camera = a.camera.tracks.find((t) => t.kind === 'video')!;
    expect(asked(camera)).toEqual(['720@30']); // one peer: raised from the 360p it was opened at to 720p
    a.manager.setScreenActive(true);
    b.manager.setScreenActive(true);
    await Promise.resolve();
    expect(asked(camera)).toEqual(['720@30', `${SHARE_CAMERA_HEIGHT}@15`]);
    a.manager.setScreenActive(false);
    expect(asked(camera)).toEqual(['720@30', `${SHARE_CAMERA_HEIGHT}@15`, '720@30']);
    a.manager.handle({ type: 'userLeft', payload: { userId: 'bob' } });
    expect(asked(camera)).toHaveLength(3); // alone: nothing new to fit
  });

  it('asks for 16:9 at the policy\'s height and frame rate, and each fit once', () => {
    expect([1, 2, 3, 4, 5].map((n) => cameraCapture(n, false))).toEqual([
      { height: 720, frameRate: 30 },
      { height: 540, frameRate: 30 },
      { height: 360, frameRate: 20 },
      { height: 240, frameRate: 15 },
      { height: 180, frameRate: 15 },
    ]);
    expect(captureConstraints({ height: 180, frameRate: 15 })).toEqual({
      width: { ideal: 320 },
      height: { ideal: 180 },
      frameRate: { ideal: 15, max: 15 },
    });
    const fitted = vi.fn();
    const fit = new CameraFit(fitted);
    const track = new FakeTrack('video');
    fit.fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    fit.fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    fit.fit(track as unknown as MediaStreamTrack, OPENED_FIT);
    expect(asked(track)).toEqual(['180@15', '360@30']);
    track.stop();
    fit.fit(track as unknown as MediaStreamTrack, { height: 240, frameRate: 15 });
    expect(track.applied).toHaveLength(2);
  });

  it('knows what a camera kept from an earlier call was asked, and brings it back', () => {
    const track = new FakeTrack('video');
    new CameraFit(() => {}).fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    new CameraFit(() => {}).fit(track as unknown as MediaStreamTrack, OPENED_FIT); // the next call, alone
    expect(asked(track)).toEqual(['180@15', '360@30']);
  });

  it('waits for a join burst to settle and then applies only the last fit', () => {
    vi.useFakeTimers();
    try {
      const fit = new CameraFit(() => {}, 1000);
      const track = new FakeTrack('video');
      for (const height of [540, 360, 240]) {
        fit.fit(track as unknown as MediaStreamTrack, { height, frameRate: 15 });
        vi.advanceTimersByTime(600); // the next person arrives before the room has settled
      }
      expect(track.applied).toHaveLength(0); // the camera keeps capturing while links connect
      vi.advanceTimersByTime(400);
      expect(asked(track)).toEqual(['240@15']); // one restart, at the size the room ended at
      fit.fit(track as unknown as MediaStreamTrack, OPENED_FIT);
      fit.cancel(); // leaving the call
      vi.advanceTimersByTime(5000);
      expect(asked(track)).toEqual(['240@15']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves a camera that refuses the constraints as it is', async () => {
    const fitted = vi.fn();
    const track = { readyState: 'live', applyConstraints: () => Promise.reject(new Error('OverconstrainedError')) };
    new CameraFit(fitted).fit(track as unknown as MediaStreamTrack, { height: 180, frameRate: 15 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fitted).not.toHaveBeenCalled();
  });
});

describe('bandwidth policy', () => {
  it('gives each copy less as the mesh grows, and keeps screens legible', () => {
    const rates = [1, 2, 3, 5].map((n) => encodingLimits('camera', n, false).maxBitrate!);
    expect([...rates].sort((x, y) => y - x)).toEqual(rates);
    expect(encodingLimits('camera', 5, false).scaleResolutionDownBy).toBeGreaterThan(1);
    expect(encodingLimits('screen', 5, true).scaleResolutionDownBy).toBe(1);
    // Five copies (six people) stay within about 2.5 Mbit/s of camera upload.
    expect(encodingLimits('camera', 5, false).maxBitrate! * 5).toBeLessThanOrEqual(2_500_000);
  });

  it('sends each camera copy at about the height of its tile, and fewer frames in a big room', () => {
    // 2 people side by side, 3–4 in a 2×2 grid, 5–6 in 3×2: every browser encodes about as many
    // pixels in all whatever the room size.
    expect([1, 2, 3, 4, 5].map(cameraHeight)).toEqual([720, 540, 360, 240, 180]);
    for (const peers of [1, 2, 3, 4, 5]) {
      const limits = encodingLimits('camera', peers, false, 720);
      expect(720 / limits.scaleResolutionDownBy!).toBe(cameraHeight(peers));
    }
    expect([1, 2, 3, 4, 5].map((n) => encodingLimits('camera', n, false).maxFramerate)).toEqual([30, 30, 20, 15, 15]);
    // A camera smaller than the tile is sent as it is, never scaled up.
    expect(encodingLimits('camera', 3, false, 240).scaleResolutionDownBy).toBe(1);
    // 1080p cameras come down to the same heights.
    expect(1080 / encodingLimits('camera', 5, false, 1080).scaleResolutionDownBy!).toBe(180);
  });

  it('sends cameras as thumbnails of at most 180 lines while a screen is shared', () => {
    for (const [height, peers] of [[720, 1], [720, 3], [1080, 2], [480, 5]] as const) {
      const limits = encodingLimits('camera', peers, true, height);
      expect(height / limits.scaleResolutionDownBy!, `${height} lines, ${peers} peers`).toBeLessThanOrEqual(SHARE_CAMERA_HEIGHT);
      expect(limits.maxFramerate).toBeLessThanOrEqual(15);
    }
    // Unknown capture height: assumed 720.
    expect(encodingLimits('camera', 1, true).scaleResolutionDownBy).toBe(4);
    // A camera already captured at thumbnail size (cameraFit.ts) is sent as it is.
    expect(encodingLimits('camera', 1, true, 180).scaleResolutionDownBy).toBe(1);
    expect(encodingLimits('camera', 1, true, 240).scaleResolutionDownBy).toBeCloseTo(240 / 180);
  });
});
