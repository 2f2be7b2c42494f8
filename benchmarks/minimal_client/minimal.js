// A minimal full-mesh WebRTC client on Parley's signaling (docs/protocol.md). Like Parley's own
// client it shows a camera preview and opens its WebSocket before Join (so both are ready when the
// person clicks), and at Join it sends `join`; the newcomer offers to everyone already in the room.
const q = new URLSearchParams(location.search);
const room = q.get("room"), name = q.get("name") || "Guest", cameraLabel = q.get("camera");
const server = new URL(q.get("server") || location.origin);
const me = crypto.randomUUID();
const peers = new Map();  // userId -> { pc, pending: [candidates before the remote description] }
let stream = null, chain = Promise.resolve();
const ws = new WebSocket(`${server.protocol === "https:" ? "wss" : "ws"}://${server.host}/ws`);
const send = (type, payload) => ws.send(JSON.stringify({ type, payload }));
const button = document.getElementById("join");
window.minimal = { errors: [] };

async function openCamera() {
  // Labels are known only once a device was granted: open the default camera, then the named one.
  let media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  if (cameraLabel && media.getVideoTracks()[0].label !== cameraLabel) {
    const device = (await navigator.mediaDevices.enumerateDevices())
      .find((d) => d.kind === "videoinput" && d.label === cameraLabel);
    media.getVideoTracks().forEach((t) => t.stop());
    const video = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: device.deviceId } } });
    media = new MediaStream([...media.getAudioTracks(), ...video.getVideoTracks()]);
  }
  stream = media;
  document.getElementById("self").srcObject = stream;
}

function peer(userId) {
  let entry = peers.get(userId);
  if (entry) return entry;
  const pc = new RTCPeerConnection({ iceServers: window.minimal.iceServers || [] });
  entry = { pc, pending: [] };
  peers.set(userId, entry);
  stream.getTracks().forEach((t) => pc.addTrack(t, stream));
  pc.onicecandidate = (e) => { if (e.candidate) send("iceCandidate", { candidate: e.candidate.toJSON(), targetId: userId }); };
  const video = document.createElement("video");
  video.autoplay = true; video.playsInline = true; video.muted = true; video.width = 160;
  document.getElementById("remotes").append(video);
  pc.ontrack = (e) => { if (e.track.kind === "video") video.srcObject = e.streams[0]; };
  return entry;
}

async function remoteDescription(entry, sdp) {
  await entry.pc.setRemoteDescription(sdp);
  for (const candidate of entry.pending.splice(0)) await entry.pc.addIceCandidate(candidate);
}

async function handle({ type, payload }) {
  if (type === "joined") {
    window.minimal.iceServers = payload.iceServers;
    await Promise.all(payload.users.map(async ({ userId }) => {
      const { pc } = peer(userId);
      await pc.setLocalDescription(await pc.createOffer());
      send("offer", { sdp: pc.localDescription.toJSON(), targetId: userId });
    }));
  } else if (type === "offer") {
    const entry = peer(payload.senderId);
    await remoteDescription(entry, payload.sdp);
    await entry.pc.setLocalDescription(await entry.pc.createAnswer());
    send("answer", { sdp: entry.pc.localDescription.toJSON(), targetId: payload.senderId });
  } else if (type === "answer") {
    await remoteDescription(peers.get(payload.senderId), payload.sdp);
  } else if (type === "iceCandidate") {
    const entry = peers.get(payload.senderId);
    if (entry.pc.remoteDescription) await entry.pc.addIceCandidate(payload.candidate);
    else entry.pending.push(payload.candidate);
  } else if (type === "userLeft") {
    peers.get(payload.userId)?.pc.close();
    peers.delete(payload.userId);
  } else if (type === "error") {
    window.minimal.errors.push(`${payload.code}: ${payload.message}`);
  }
}

ws.onmessage = (ev) => {
  const message = JSON.parse(ev.data);
  chain = chain.then(() => handle(message)).catch((e) => window.minimal.errors.push(String(e)));
};
const opened = new Promise((resolve) => { ws.onopen = resolve; });
Promise.all([openCamera(), opened]).then(() => { button.disabled = false; },
                                           (e) => window.minimal.errors.push(String(e)));
button.onclick = () => {
  button.disabled = true;
  send("join", { roomId: room, userId: me, displayName: name });
};
