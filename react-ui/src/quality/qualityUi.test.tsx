// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionDetailsPanel } from './ConnectionDetailsPanel';
import { QualityMonitor } from './qualityMonitor';
import { StatsConnection } from './testing';
import { TileQuality } from './TileQuality';

afterEach(cleanup);

const people = [
  { userId: 'ann', displayName: 'Ann' },
  { userId: 'bob', displayName: 'Bob' },
];
const nameOf = (id: string) => people.find((p) => p.userId === id)?.displayName ?? id;

async function callWith(loss: Record<string, number>) {
  const connections = { ann: new StatsConnection(), bob: new StatsConnection() };
  const monitor = new QualityMonitor({
    connections: new Map(Object.entries(connections)) as unknown as ReadonlyMap<string, RTCPeerConnection>,
    cameraOn: () => true,
    setLowered: () => undefined,
  });
  const read = async (l: Record<string, number>) => {
    for (const [id, pc] of Object.entries(connections)) pc.step(100, l[id] ?? 0);
    await act(() => monitor.poll());
  };
  return { monitor, read: () => read(loss) };
}

describe('TileQuality', () => {
  it('shows nothing before the first read, then the level with the reason as tooltip and description', async () => {
    const { monitor, read } = await callWith({ bob: 0.08 });
    render(
      <>
        <TileQuality monitor={monitor} userId="ann" displayName="Ann" self={false} nameOf={nameOf} />
        <TileQuality monitor={monitor} userId="bob" displayName="Bob" self={false} nameOf={nameOf} />
      </>,
    );
    expect(screen.queryByTestId('quality-indicator')).toBeNull();
    await read();
    await read();
    const good = screen.getByRole('img', { name: 'Connection good' });
    expect(good.getAttribute('title')).toBe('Ann: good connection');
    const poor = screen.getByRole('img', { name: 'Connection poor' });
    expect(poor.dataset.quality).toBe('poor');
    expect(poor.getAttribute('title')).toBe('Bob: 8% packet loss');
    expect(document.getElementById(poor.getAttribute('aria-describedby')!)?.textContent).toBe('Bob: 8% packet loss');
  });

  it('on our own tile, names the connection we send worst to', async () => {
    const { monitor, read } = await callWith({ bob: 0.15 });
    render(<TileQuality monitor={monitor} userId="me" displayName="Me" self nameOf={nameOf} />);
    await read();
    await read();
    const own = screen.getByRole('img', { name: 'Connection poor' });
    expect(own.getAttribute('title')).toBe('Your video to Bob: 15% packet loss');
  });
});

describe('ConnectionDetailsPanel', () => {
  it('lists each connection with its codec, bitrate, loss, RTT and candidate types', async () => {
    const { monitor, read } = await callWith({ bob: 0.15 });
    render(<ConnectionDetailsPanel monitor={monitor} people={people} />);
    expect(screen.getByRole('heading', { name: 'Connection details' })).toBeTruthy();
    expect(screen.getByText('No connections yet.')).toBeTruthy();
    await read();
    await read();
    const bob = screen.getByRole('table', { name: 'Bob' });
    const row = (name: string) => within(bob).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(row('Codec').textContent).toBe('CodecVP8VP8');
    expect(row('Packet loss').textContent).toBe('Packet loss15%15%');
    expect(row('Quality').textContent).toBe('QualityConnection poorConnection poor');
    // 85 packets of 1000 bytes in 2 s
    expect(row('Bitrate').textContent).toBe('Bitrate340 kbit/s400 kbit/s');
    expect(row('Round-trip time').textContent).toBe('Round-trip time30 ms');
    expect(row('Candidate type').textContent).toBe('Candidate typehost (yours) / srflx (theirs)');
    expect(row('Resolution').textContent).toBe('Resolution640×360–');
    expect(screen.getByRole('table', { name: 'Ann' })).toBeTruthy();
  });
});
