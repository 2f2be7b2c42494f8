/**
 * A live read-only `Map` of peer connections by user id, read from the peer manager's records (the
 * `connections` of a PeerManager and `window.__parley.peers` in test builds). No React.
 */

/** Reads `peers` (a live map of records) as a map of their connections. */
export class ConnectionsView<P> implements ReadonlyMap<string, RTCPeerConnection> {
  private readonly peers: ReadonlyMap<string, P>;
  private readonly pcOf: (peer: P) => RTCPeerConnection;

  constructor(peers: ReadonlyMap<string, P>, pcOf: (peer: P) => RTCPeerConnection) {
    this.peers = peers;
    this.pcOf = pcOf;
  }

  get size(): number {
    return this.peers.size;
  }

  get(userId: string): RTCPeerConnection | undefined {
    const peer = this.peers.get(userId);
    return peer === undefined ? undefined : this.pcOf(peer);
  }

  has(userId: string): boolean {
    return this.peers.has(userId);
  }

  keys(): MapIterator<string> {
    return this.peers.keys();
  }

  values(): MapIterator<RTCPeerConnection> {
    return this.snapshot().values();
  }

  entries(): MapIterator<[string, RTCPeerConnection]> {
    return this.snapshot().entries();
  }

  forEach(callback: (pc: RTCPeerConnection, userId: string, map: ReadonlyMap<string, RTCPeerConnection>) => void): void {
    for (const [userId, pc] of this.snapshot()) callback(pc, userId, this);
  }

  [Symbol.iterator](): MapIterator<[string, RTCPeerConnection]> {
    return this.entries();
  }

  /** The connections as they are now (meshes are small: at most a few entries). */
  private snapshot(): Map<string, RTCPeerConnection> {
    return new Map([...this.peers].map(([userId, peer]) => [userId, this.pcOf(peer)]));
  }
}
