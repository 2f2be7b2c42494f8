// The script of peer.html, in a file of its own: Parley's Content-Security-Policy allows no inline
// script (script-src 'self').
const q = new URLSearchParams(location.search);
const me = q.get("user"), room = q.get("room"), policy = q.get("policy") || "all";
const state = { joined: null, pcState: "new", errors: [], localCandidates: [] };
let pc = null, stream = null, other = null, chain = Promise.resolve();
const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
const send = (type, payload) => ws.send(JSON.stringify({ type, payload }));

function makePeer() {
  pc = new RTCPeerConnection({ iceServers: state.joined.iceServers, iceTransportPolicy: policy });
  stream.getTracks().forEach((t) => pc.addTrack(t, stream));
  pc.onicecandidate = (e) => {
    if (!e.candidate) return;
    state.localCandidates.push(e.candidate.candidate);
    send("iceCandidate", { candidate: e.candidate.toJSON(), targetId: other });
  };
  pc.onicecandidateerror = (e) => state.errors.push(`ice ${e.errorCode} ${e.errorText} ${e.url}`);
  pc.onconnectionstatechange = () => { state.pcState = pc.connectionState; };
  pc.ontrack = (e) => { document.getElementById("remote").srcObject = e.streams[0]; };
}

async function handle({ type, payload }) {
  if (type === "joined") {
    state.joined = payload;
    stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    if (payload.users.length) {
      other = payload.users[0].userId;
      makePeer();
      await pc.setLocalDescription(await pc.createOffer());
      send("offer", { sdp: pc.localDescription.toJSON(), targetId: other });
    }
  } else if (type === "offer") {
    other = payload.senderId;
    makePeer();
    await pc.setRemoteDescription(payload.sdp);
    await pc.setLocalDescription(await pc.createAnswer());
    send("answer", { sdp: pc.localDescription.toJSON(), targetId: other });
  } else if (type === "answer") {
    await pc.setRemoteDescription(payload.sdp);
  } else if (type === "iceCandidate") {
    await pc.addIceCandidate(payload.candidate);
  } else if (type === "error") {
    state.errors.push(`server ${payload.code}: ${payload.message}`);
  }
}

ws.onmessage = (ev) => {
  const message = JSON.parse(ev.data);
  chain = chain.then(() => handle(message)).catch((e) => state.errors.push(String(e)));
};
ws.onopen = () => send("join", { roomId: room, userId: me, displayName: me });

// What the test reads: connection state, the decoded remote video, the selected candidate pair.
window.report = async () => {
  const video = document.getElementById("remote");
  const out = { pcState: state.pcState, width: video.videoWidth, height: video.videoHeight,
                frames: video.getVideoPlaybackQuality().totalVideoFrames, errors: state.errors,
                iceServers: state.joined && state.joined.iceServers,
                localCandidates: state.localCandidates, local: null, remote: null };
  if (pc) {
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type === "transport" && s.selectedCandidatePairId) {
        const pair = stats.get(s.selectedCandidatePairId);
        out.local = stats.get(pair.localCandidateId).candidateType;
        out.remote = stats.get(pair.remoteCandidateId).candidateType;
      }
    });
  }
  return out;
};
