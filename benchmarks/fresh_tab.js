// Init script of benchmarks/fresh_tab.py, the same for Parley's client and the minimal one: it only
// observes. It keeps every RTCPeerConnection the page makes, stamps the Join click (the click
// event's own time stamp), and from then on polls getStats every 50 ms, noting per connection when
// its first remote video frame was decoded (framesDecoded > 0), and per page when a <video> first
// presented a frame of a received video track (requestVideoFrameCallback: what the person sees).
//
// Where the time goes: it also stamps, per page, the signaling socket's open, the `join` sent and
// the first `joined` received (WebSocket wrapped), and per connection its creation, the first call
// (and end) of createOffer/createAnswer/setLocalDescription/setRemoteDescription/addIceCandidate,
// its first local ICE candidate, iceConnectionState and connectionState 'connected'. `phases()`
// gives them relative to the click, for the connection that decoded first (the person's figure);
// `links()` gives every connection's stamps (with the page's own user id), for the per-link table
// that follows both sides of each offer and answer.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const probe = {
    click: null, pcs: [], firsts: new Map(), timer: null, page: {}, marks: new Map(),
    // Per remote user id, the first `offer`/`answer`/`iceCandidate` sent to and received from them.
    sent: new Map(), received: new Map(),
    descriptions: new Map(), // a received description's SDP -> its sender: which connection is whose
    longTasks: [],
    self: null, // the page's user id, from its `join`
    shown: null, // when the first frame of a received video track was presented in a <video>
    hooked: new WeakSet(), // the <video> elements watched for it
  };
  window.__freshTab = probe;
  const once = (record, key, at = now()) => {
    if (!(key in record)) record[key] = at;
  };
  const noteWire = (map, data) => {
    const { type, payload } = JSON.parse(data);
    const peer = payload.targetId ?? payload.senderId;
    if (!map.has(peer)) map.set(peer, {});
    once(map.get(peer), type);
  };
  // The main thread's long tasks (over 50 ms): what a page's own work holds up.
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task timing in this browser
  }

  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      const socket = { opened: null };
      this.addEventListener('open', () => { socket.opened = now(); });
      this.addEventListener('message', (event) => {
        let type = null;
        try {
          type = JSON.parse(event.data).type;
        } catch {
          return;
        }
        if (type === 'offer' || type === 'answer') {
          const { payload } = JSON.parse(event.data);
          probe.descriptions.set(payload.sdp.sdp, payload.senderId);
        }
        if (type === 'joined') once(probe.page, 'joined');
        else if (type === 'offer' || type === 'answer' || type === 'iceCandidate') noteWire(probe.received, event.data);
      });
      this.__socket = socket;
    }

    send(data) {
      let type = null;
      try {
        const message = JSON.parse(data);
        type = message.type;
        if (type === 'join') probe.self = message.payload.userId;
      } catch {
        // not ours to read
      }
      if (type === 'join') {
        once(probe.page, 'ws open');
        if (this.__socket.opened !== null) probe.page['ws open'] = this.__socket.opened;
        once(probe.page, 'join sent');
      } else if (type === 'offer' || type === 'answer' || type === 'iceCandidate') {
        noteWire(probe.sent, data);
      }
      return super.send(data);
    }
  };

  const Native = window.RTCPeerConnection;
  const timed = (name) => function (...args) {
    const marks = probe.marks.get(this);
    if (marks) once(marks, `${name}`);
    if (marks && name === 'setRemoteDescription' && args[0] && probe.descriptions.has(args[0].sdp)) {
      marks.remote = probe.descriptions.get(args[0].sdp);
    }
    const result = Native.prototype[name].apply(this, args);
    if (marks && result && typeof result.then === 'function') {
      result.then(() => once(marks, `${name} done`), () => {});
    }
    return result;
  };
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      const marks = { created: now() };
      probe.marks.set(this, marks);
      probe.pcs.push(this);
      this.addEventListener('icecandidate', (event) => { if (event.candidate) once(marks, 'local candidate'); });
      this.addEventListener('iceconnectionstatechange', () => {
        if (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed') once(marks, 'ice connected');
      });
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected') once(marks, 'connected');
      });
    }
  };
  for (const name of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
    window.RTCPeerConnection.prototype[name] = timed(name);
  }

  // The first frame of a received video track that a <video> presented (requestVideoFrameCallback):
  // what the person sees, after the page has attached the track and the compositor drawn it.
  const received = () => {
    const tracks = new Set();
    for (const pc of probe.pcs) {
      if (pc.signalingState !== 'closed') for (const receiver of pc.getReceivers()) tracks.add(receiver.track);
    }
    return tracks;
  };
  const watchVideos = () => {
    for (const video of document.querySelectorAll('video')) {
      if (probe.hooked.has(video) || typeof video.requestVideoFrameCallback !== 'function') continue;
      probe.hooked.add(video);
      const onFrame = () => {
        if (probe.shown !== null) return;
        const tracks = video.srcObject?.getVideoTracks?.() ?? [];
        const mine = received();
        if (tracks.some((track) => mine.has(track))) probe.shown = now();
        else video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
  };

  const poll = async () => {
    if (probe.shown === null) watchVideos();
    for (const pc of [...probe.pcs]) {
      // A connection closed (a client's throwaway warm-up one, a peer who left) shows nothing.
      if (probe.firsts.has(pc) || pc.signalingState === 'closed') continue;
      let stats;
      try {
        stats = await pc.getStats();
      } catch {
        continue;
      }
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0 && !probe.firsts.has(pc)) {
          probe.firsts.set(pc, now());
        }
      });
    }
  };
  document.addEventListener('click', (event) => {
    const button = event.target.closest ? event.target.closest('button') : null;
    if (!button || button.textContent.trim() !== 'Join' || probe.click !== null) return;
    probe.click = performance.timeOrigin + event.timeStamp;
    probe.timer = setInterval(() => { void poll(); }, 50);
  }, true);
  /**
   * Resolves with [click, first-frame times] once `count` connections decoded video and a received
   * frame was shown (or at the deadline).
   */
  probe.result = (count, timeoutMs) => new Promise((resolve) => {
    const deadline = now() + timeoutMs;
    const check = () => {
      if ((probe.firsts.size >= count && probe.shown !== null) || now() > deadline) {
        clearInterval(probe.timer);
        resolve([probe.click, [...probe.firsts.values()]]);
      } else {
        setTimeout(check, 50);
      }
    };
    check();
  });
  /**
   * Each stamp in ms after the click: the page's, then those of the connection that decoded first
   * ('first frame' its decoded frame), and 'calls made' (connections made after the click).
   */
  probe.phases = () => {
    if (probe.click === null) return {};
    const out = {};
    for (const [key, at] of Object.entries(probe.page)) out[key] = at - probe.click;
    let first = null;
    for (const [pc, at] of probe.firsts) if (first === null || at < probe.firsts.get(first)) first = pc;
    if (first !== null) {
      const marks = probe.marks.get(first);
      for (const [key, at] of Object.entries(marks)) if (key !== 'remote') out[`pc ${key}`] = at - probe.click;
      const frame = probe.firsts.get(first);
      out['first frame'] = frame - probe.click;
      if (probe.shown !== null) out['first shown'] = probe.shown - probe.click;
      const sent = probe.sent.get(marks.remote) ?? {};
      const received = probe.received.get(marks.remote) ?? {};
      for (const [key, at] of Object.entries(sent)) out[`pc ${key} sent`] = at - probe.click;
      for (const [key, at] of Object.entries(received)) out[`pc ${key} received`] = at - probe.click;
      out['pc role'] = 'offer' in sent ? 'offerer' : 'answerer';
      // Long tasks (their part between the click and the first frame), in the page's own clock.
      const from = probe.click - performance.timeOrigin;
      const to = frame - performance.timeOrigin;
      out['long tasks'] = probe.longTasks.reduce(
        (sum, [start, duration]) => sum + Math.max(0, Math.min(start + duration, to) - Math.max(start, from)), 0);
      out['longest task'] = probe.longTasks.reduce(
        (max, [start, duration]) => (start + duration > from && start < to ? Math.max(max, duration) : max), 0);
    }
    const calls = probe.pcs.filter((pc) => probe.marks.get(pc).created >= probe.click);
    out['calls made'] = calls.length;
    if (calls.length) out['last call made'] = Math.max(...calls.map((pc) => probe.marks.get(pc).created)) - probe.click;
    return out;
  };
  /**
   * Every connection that got a remote description, as epoch ms: its stamps, its first decoded
   * frame, and the `offer`/`answer`/`iceCandidate` first sent to and received from its remote.
   */
  probe.links = () => ({
    self: probe.self,
    pcs: probe.pcs.filter((pc) => probe.marks.get(pc).remote !== undefined).map((pc) => {
      const marks = probe.marks.get(pc);
      return { ...marks, first: probe.firsts.get(pc) ?? null, sent: probe.sent.get(marks.remote) ?? {},
        received: probe.received.get(marks.remote) ?? {} };
    }),
  });
})();
