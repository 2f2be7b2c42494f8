// Test instrumentation, installed in every participant page before the app's own scripts
// (BrowserContext.add_init_script). It only observes: it records what getDisplayMedia hands the app,
// when videos show their first frame and when buttons are clicked, and reads WebRTC stats through
// the app's `window.__parley.peers` (the DOM contract). It never changes what the app does.
(() => {
  // performance.timeOrigin + performance.now() is wall-clock aligned, so times from different
  // pages (browser contexts) of one browser can be compared.
  const now = () => performance.timeOrigin + performance.now();
  const e2e = { displayStreams: [], screenStops: [], firstFrames: [], clicks: [] };
  window.__e2e = e2e;
  e2e.now = now;

  // Waits that need no polling in the page (a benchmark must not load the page it times): a
  // condition is checked again whenever the probe records something.
  const waiters = [];
  const recorded = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.check()) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  };
  /** Resolves once `check()` is true (checked now and after each record), rejects after `timeoutMs`. */
  e2e.when = (check, timeoutMs) => new Promise((resolve, reject) => {
    if (check()) return resolve();
    const waiter = { check, resolve };
    waiter.timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      reject(new Error(`probe wait: not true after ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.push(waiter);
  });

  const devices = navigator.mediaDevices;
  if (devices && devices.getDisplayMedia) {
    const getDisplayMedia = devices.getDisplayMedia.bind(devices);
    devices.getDisplayMedia = async (...args) => {
      const stream = await getDisplayMedia(...args);
      e2e.displayStreams.push(stream);
      // When the app stops its capture (an app's own stop() fires no 'ended' event).
      for (const track of stream.getTracks()) {
        const stop = track.stop;
        track.stop = function () {
          if (this.readyState === 'live') {
            e2e.screenStops.push({ t: now(), trackId: this.id });
            recorded();
          }
          return stop.call(this);
        };
      }
      return stream;
    };
  }

  /** Which remote user's RTCPeerConnection receives `track`, or null. */
  const peerOfTrack = (track) => {
    const parley = window.__parley;
    if (!parley || !parley.peers) return null;
    for (const [userId, pc] of parley.peers) {
      if (pc.getReceivers().some((receiver) => receiver.track === track)) return [userId, pc];
    }
    return null;
  };

  const videoTrackOf = (video) =>
    (video.srcObject && video.srcObject.getVideoTracks && video.srcObject.getVideoTracks()[0]) || null;

  // Event times are the events' own time stamps (when the browser fired them), not when a
  // listener got to run: the lookups below call into WebRTC and take a while on a busy machine.
  const eventTime = (event) => performance.timeOrigin + event.timeStamp;

  // `loadeddata` fires when a <video> has its first frame (again after each new srcObject). Media
  // events do not bubble, but a capturing listener on the document still sees them: of a <video> in
  // the page. The app starts a remote camera's <video> outside the page, when its stream arrives, and
  // a tile takes it in later (react-ui/src/media/remoteVideos.ts); one that had its first frame
  // before counts as showing it when it enters the page (a MutationObserver: right after the DOM change).
  const shown = new WeakMap(); // <video> -> the track whose first frame was recorded
  const recordFrame = (video, t) => {
    const track = videoTrackOf(video);
    if (track && shown.get(video) === track) return;
    if (track) shown.set(video, track);
    const tile = video.closest('[data-testid="tile"]');
    const peer = track ? peerOfTrack(track) : null;
    e2e.firstFrames.push({
      t,
      trackId: track ? track.id : null,
      from: peer ? peer[0] : null,
      stage: Boolean(video.closest('[data-testid="stage"]')),
      userId: tile ? tile.dataset.userId : null,
      self: tile ? tile.dataset.self === 'true' : false,
    });
    recorded();
  };
  document.addEventListener('loadeddata', (event) => {
    if (event.target instanceof HTMLVideoElement) recordFrame(event.target, eventTime(event));
  }, true);
  new MutationObserver((mutations) => {
    const t = now();
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (!(node instanceof Element)) continue;
        const videos = node instanceof HTMLVideoElement ? [node] : node.querySelectorAll('video');
        for (const video of videos) if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) recordFrame(video, t);
      }
    }
  }).observe(document, { childList: true, subtree: true });

  // A capturing listener on the document runs before React's handler on its root.
  document.addEventListener('click', (event) => {
    const button = event.target.closest ? event.target.closest('button') : null;
    if (!button) return;
    e2e.clicks.push({ t: eventTime(event), name: (button.getAttribute('aria-label') || button.textContent || '').trim() });
    recorded();
  }, true);

  /** Per remote user: connection state, decoded video frames, received audio packets and samples. */
  e2e.peerStats = async () => {
    const out = {};
    const parley = window.__parley;
    if (!parley || !parley.peers) return out;
    for (const [userId, pc] of parley.peers) {
      const s = { connectionState: pc.connectionState, videoStreams: 0, framesDecoded: 0, audioPackets: 0, audioSamples: 0 };
      (await pc.getStats()).forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'video') {
          s.videoStreams += 1;
          s.framesDecoded += r.framesDecoded || 0;
        } else if (r.kind === 'audio') {
          s.audioPackets += r.packetsReceived || 0;
          s.audioSamples += r.totalSamplesReceived || 0;
        }
      });
      out[userId] = s;
    }
    return out;
  };

  /** What the stage shows: its data-sharer-id and its <video> (size, whose track, frames decoded). */
  e2e.stage = async () => {
    const stage = document.querySelector('[data-testid="stage"]');
    if (!stage) return null;
    const out = { sharerId: stage.getAttribute('data-sharer-id'), video: null };
    const video = stage.querySelector('video');
    if (!video) return out;
    const track = videoTrackOf(video);
    const v = { width: video.videoWidth, height: video.videoHeight, trackState: track ? track.readyState : null, from: null, framesDecoded: null };
    if (track) {
      if (e2e.displayStreams.some((stream) => stream.getVideoTracks().includes(track))) v.from = 'self';
      const peer = peerOfTrack(track);
      if (peer) {
        v.from = peer[0];
        v.framesDecoded = 0;
        (await peer[1].getStats(track)).forEach((r) => {
          if (r.type === 'inbound-rtp') v.framesDecoded += r.framesDecoded || 0;
        });
      }
    }
    out.video = v;
    return out;
  };

  /** The latest screen capture the app got: its track's state and settings, or null. */
  e2e.screen = () => {
    const stream = e2e.displayStreams[e2e.displayStreams.length - 1];
    if (!stream) return null;
    const track = stream.getVideoTracks()[0];
    const { width, height } = track.getSettings();
    return { readyState: track.readyState, width, height, count: e2e.displayStreams.length };
  };

  /** Keep the current peer connections, to check later that the same ones are still in use. */
  e2e.savePeers = () => {
    e2e.savedPeers = new Map(window.__parley.peers);
    return [...e2e.savedPeers.keys()];
  };

  /** Decoded video frames per saved peer connection, and whether the app still uses that object. */
  e2e.savedPeerFrames = async () => {
    const out = {};
    for (const [userId, pc] of e2e.savedPeers || []) {
      let frames = 0;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
      });
      out[userId] = { frames, state: pc.connectionState, current: window.__parley.peers.get(userId) === pc };
    }
    return out;
  };
})();
