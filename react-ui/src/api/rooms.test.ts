import { describe, expect, it, vi } from 'vitest';
import { describeRoomError, parseMeetingInput, preflightJoin } from './rooms';

describe('parseMeetingInput', () => {
  it.each([
    ['https://meet.lan:8080/r/AbC_12-x?name=Ann', 'AbC_12-x'],
    ['http://192.168.1.4/r/room1', 'room1'],
    ['/r/room1#x', 'room1'],
    ['  room1  ', 'room1'],
  ])('finds the room in %s', (input, room) => {
    expect(parseMeetingInput(input)).toBe(room);
  });

  it.each(['', 'hello world', 'https://meet.lan/other/page', 'a'.repeat(65)])('rejects %j', (input) => {
    expect(parseMeetingInput(input)).toBeNull();
  });
});

describe('preflightJoin', () => {
  it('says clearly that a room does not exist or is full', async () => {
    const answer = (status: number, body: unknown) =>
      vi.fn(async () => new Response(JSON.stringify(body), { status }));
    const missing = await preflightJoin('x', answer(404, { code: 'roomNotFound', message: 'no' }));
    const full = await preflightJoin('x', answer(409, { code: 'roomFull', message: 'full' }));
    expect(missing.ok || describeRoomError(missing.error)).toMatch(/doesn't exist/);
    expect(full.ok || describeRoomError(full.error)).toMatch(/full/);
  });

  it('says clearly that a join needs the media server and it is away (sfuUnavailable)', () => {
    const said = describeRoomError({ code: 'sfuUnavailable', message: 'the media server is unavailable (Janus gone)' });
    expect(said).toBe('This meeting has too many people to run without its media server, and the media server is not available right now. Try again in a moment.');
  });

  it('posts the room id and returns the answer', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify({ roomId: 'r', maxRoomSize: 6 }), { status: 200 }));
    const result = await preflightJoin('r', fetchImpl);
    expect(result).toEqual({ ok: true, value: { roomId: 'r', maxRoomSize: 6 } });
    expect(fetchImpl).toHaveBeenCalledWith('/joinRoom', expect.objectContaining({ method: 'POST', body: '{"roomId":"r"}' }));
  });

  it('reports an unreachable server', async () => {
    const result = await preflightJoin('r', vi.fn(async () => Promise.reject(new TypeError('fetch failed'))));
    expect(result.ok).toBe(false);
    expect(result.ok || result.error.code).toBe('network');
  });
});
