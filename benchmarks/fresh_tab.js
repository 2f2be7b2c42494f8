// Init script of benchmarks/fresh_tab.py, the same for Parley's client and the minimal one: it only
// observes. It keeps every RTCPeerConnection the page makes, stamps the Join click (the click
// event's own time stamp), and from then on polls getStats every 50 ms, noting per connection when
// its first remote video frame was decoded (framesDecoded > 0).
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const probe = { click: null, pcs: [], firsts: new Map(), timer: null };
  window.__freshTab = probe;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      probe.pcs.push(this);
    }
  };
  const poll = async () => {
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
  /** Resolves with [click, first-frame times] once `count` connections decoded video (or at the deadline). */
  probe.result = (count, timeoutMs) => new Promise((resolve) => {
    const deadline = now() + timeoutMs;
    const check = () => {
      if (probe.firsts.size >= count || now() > deadline) {
        clearInterval(probe.timer);
        resolve([probe.click, [...probe.firsts.values()]]);
      } else {
        setTimeout(check, 50);
      }
    };
    check();
  });
})();
