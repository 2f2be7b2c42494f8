import { describe, expect, it, vi } from 'vitest';
import { FakeStream, FakeTrack } from '../rtc/testing/fakeMedia';
import { classifyMediaError, describeMediaProblem, getLocalMedia } from './localMedia';

const fail = (name: string) => Promise.reject(Object.assign(new Error(name), { name }));

/** A getUserMedia that answers per kind asked for. */
function devices(answers: { both?: string; audio?: string; video?: string }) {
  return {
    getUserMedia: vi.fn(async (c: MediaStreamConstraints) => {
      if (c.audio && c.video) return answers.both ? fail(answers.both) : (new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]) as unknown as MediaStream);
      if (c.audio) return answers.audio ? fail(answers.audio) : (new FakeStream([new FakeTrack('audio')]) as unknown as MediaStream);
      return answers.video ? fail(answers.video) : (new FakeStream([new FakeTrack('video')]) as unknown as MediaStream);
    }),
  };
}

describe('getLocalMedia', () => {
  it('asks once for camera and microphone together', async () => {
    const d = devices({});
    const result = await getLocalMedia({}, d);
    expect(result.audioProblem).toBeNull();
    expect(result.videoProblem).toBeNull();
    expect(result.stream?.getTracks()).toHaveLength(2);
    expect(d.getUserMedia).toHaveBeenCalledTimes(1);
  });

  it('keeps the microphone when the camera is in use by another app', async () => {
    const result = await getLocalMedia({}, devices({ both: 'NotReadableError', video: 'NotReadableError' }));
    expect(result.videoProblem).toBe('inUse');
    expect(result.audioProblem).toBeNull();
    expect(result.stream?.getTracks().map((t) => t.kind)).toEqual(['audio']);
    expect(describeMediaProblem('inUse', 'camera')).toMatch(/in use by another app/);
  });

  it('does not ask again after a denial, and says the person can still join', async () => {
    const d = devices({ both: 'NotAllowedError' });
    const result = await getLocalMedia({}, d);
    expect(result).toEqual({ stream: null, audioProblem: 'denied', videoProblem: 'denied' });
    expect(d.getUserMedia).toHaveBeenCalledTimes(1);
    expect(describeMediaProblem('denied', 'camera and microphone')).toMatch(/still join/);
  });

  it('asks for the chosen devices exactly', async () => {
    const d = devices({});
    await getLocalMedia({ audioDeviceId: 'mic2', videoDeviceId: 'cam3' }, d);
    const constraints = d.getUserMedia.mock.calls[0][0] as { audio: MediaTrackConstraints; video: MediaTrackConstraints };
    expect(constraints.audio.deviceId).toEqual({ exact: 'mic2' });
    expect(constraints.video.deviceId).toEqual({ exact: 'cam3' });
  });

  it('asks for a remembered device only as a preference, per kind', async () => {
    const d = devices({});
    await getLocalMedia({ audioDeviceId: 'mic2', videoDeviceId: 'cam3', exact: { audio: false, video: true } }, d);
    const constraints = d.getUserMedia.mock.calls[0][0] as { audio: MediaTrackConstraints; video: MediaTrackConstraints };
    expect(constraints.audio.deviceId).toEqual({ ideal: 'mic2' });
    expect(constraints.video.deviceId).toEqual({ exact: 'cam3' });
  });

  it('reports an insecure page (no mediaDevices) instead of failing', async () => {
    expect(await getLocalMedia({}, undefined)).toMatchObject({ stream: null, audioProblem: 'insecure' });
  });

  it.each([
    ['NotAllowedError', 'denied'],
    ['NotReadableError', 'inUse'],
    ['NotFoundError', 'notFound'],
    ['TypeError', 'other'],
  ])('classifies %s as %s', (name, problem) => {
    expect(classifyMediaError({ name })).toBe(problem);
  });
});
