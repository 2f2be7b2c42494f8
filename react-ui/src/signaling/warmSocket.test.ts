import { describe, expect, it } from 'vitest';
import { SignalingClient } from './signalingClient';
import { FakeWebSocket } from './testing/fakeWebSocket';
import { MAX_REWARMS, WarmSocket } from './warmSocket';

const URL = 'ws://parley.test/ws';

function setup() {
  const made: FakeWebSocket[] = [];
  const warm = new WarmSocket(URL, (url) => {
    const socket = new FakeWebSocket(url);
    made.push(socket);
    return socket;
  });
  const client = () =>
    new SignalingClient({ url: URL, roomId: 'room', userId: 'u1', joinFields: () => ({}), createSocket: warm.factory() });
  return { warm, made, client };
}

describe('WarmSocket', () => {
  it('hands its open socket to the signaling client, which joins on it at once', () => {
    const { warm, made, client } = setup();
    warm.warm();
    warm.warm();
    expect(made).toHaveLength(1);
    made[0].serverOpen();
    expect(made[0].sent).toEqual([]);
    client().connect();
    expect(made).toHaveLength(1);
    expect(made[0].sent.map((m) => m.type)).toEqual(['join']);
  });

  it('a socket still opening is taken too, and joins when it opens', () => {
    const { warm, made, client } = setup();
    warm.warm();
    client().connect();
    expect(made).toHaveLength(1);
    made[0].serverOpen();
    expect(made[0].sent.map((m) => m.type)).toEqual(['join']);
  });

  it('a socket the server closed meanwhile is not used; reconnects get new sockets', () => {
    const { warm, made, client } = setup();
    warm.warm();
    made[0].serverOpen();
    made[0].serverClose(1001);
    const signaling = client();
    signaling.connect();
    expect(made).toHaveLength(2);
    made[1].serverOpen();
    expect(made[1].sent.map((m) => m.type)).toEqual(['join']);
  });

  it('replaces a warm socket the server closed (its join time limit), and joins on the new one', () => {
    const { warm, made, client } = setup();
    warm.warm();
    made[0].serverOpen();
    made[0].serverClose(1008, 'no join within the time allowed');
    expect(made).toHaveLength(2);
    made[1].serverOpen();
    client().connect();
    expect(made).toHaveLength(2);
    expect(made[1].sent.map((m) => m.type)).toEqual(['join']);
  });

  it('does not replace a socket that never opened, nor more than MAX_REWARMS times, nor after dispose', () => {
    const { warm, made } = setup();
    warm.warm();
    made[0].serverClose(1006);
    expect(made).toHaveLength(1);
    warm.warm();
    for (let i = 0; i <= MAX_REWARMS + 1; i += 1) {
      made.at(-1)!.serverOpen();
      made.at(-1)!.serverClose(1008);
    }
    expect(made).toHaveLength(2 + MAX_REWARMS);
    const { warm: other, made: others } = setup();
    other.warm();
    others[0].serverOpen();
    other.dispose();
    others[0].serverClose(1000);
    expect(others).toHaveLength(1);
  });

  it('closes an untaken socket on dispose', () => {
    const { warm, made } = setup();
    warm.warm();
    made[0].serverOpen();
    warm.dispose();
    expect(made[0].closedWith).toBe(1000);
  });
});
