/**
 * The recording's picture and sound, made in the page: every video of the scene drawn into one
 * canvas where layout.ts says (its `captureStream` is the recording's video), and every audio track
 * mixed by Web Audio into one (the recording's sound). This compositor draws on the main thread: it
 * is the fallback where the worker's (offThreadCompositor.ts) cannot run. Browser I/O only; the
 * decisions are in layout.ts and scene.ts, the drawing in paint.ts.
 */
import { paint, type PaintScene } from './paint';
import type { Scene } from './scene';

/** The frame content of `scene` (paint.ts), and the video tracks it names by id. */
export function paintSceneOf(scene: Scene): { paint: PaintScene; tracks: Map<string, MediaStreamTrack> } {
  const tracks = new Map<string, MediaStreamTrack>();
  const source = (stream: MediaStream | null): string | null => {
    const track = stream?.getVideoTracks()[0];
    if (!track) return null;
    tracks.set(track.id, track);
    return track.id;
  };
  const stage = source(scene.stage);
  const tiles = scene.tiles.map((tile) => ({ name: tile.name, source: tile.videoOff ? null : source(tile.stream) }));
  return { paint: { stage, tiles }, tracks };
}

/** Draws scenes into a canvas of `width`x`height`. */
export class Compositor {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  /** One muted, unseen <video> per video track drawn (the tiles' own elements belong to React). */
  private readonly videos = new Map<string, HTMLVideoElement>();

  constructor(readonly width: number, readonly height: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('no 2D canvas');
    this.context = context;
  }

  /** Draws one frame of `scene`. */
  draw(scene: Scene): void {
    const { paint: content, tracks } = paintSceneOf(scene);
    this.keepVideos(tracks);
    paint(this.context, this.width, this.height, content, (source) => {
      const video = this.videos.get(source);
      if (!video || video.readyState < 2) return null;
      return { image: video, width: video.videoWidth, height: video.videoHeight };
    });
  }

  /** Stops every video element (the recording ended). */
  close(): void {
    this.keepVideos(new Map());
  }

  /** Makes a playing <video> for each of `tracks` and lets go of the others. */
  private keepVideos(tracks: ReadonlyMap<string, MediaStreamTrack>): void {
    for (const [id, video] of this.videos) {
      if (tracks.has(id)) continue;
      video.pause();
      video.srcObject = null;
      this.videos.delete(id);
    }
    for (const [id, track] of tracks) {
      if (this.videos.has(id)) continue;
      const video = document.createElement('video');
      video.muted = true; // the sound is in the mix; this element only feeds pictures
      video.playsInline = true;
      video.srcObject = new MediaStream([track]);
      void video.play()?.catch(() => undefined);
      this.videos.set(id, video);
    }
  }
}

/** Everyone's sound mixed into one track. */
export class AudioMixer {
  private readonly context: AudioContext;
  private readonly destination: MediaStreamAudioDestinationNode;
  private readonly sources = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();

  constructor() {
    this.context = new AudioContext();
    this.destination = this.context.createMediaStreamDestination();
    // Made in the Record click, so the browser lets it run; resume() covers a context born suspended.
    void this.context.resume().catch(() => undefined);
  }

  /** The mixed track. */
  get track(): MediaStreamTrack {
    return this.destination.stream.getAudioTracks()[0];
  }

  /** Mixes exactly `tracks` from now on (the people who came, minus those who left). */
  sync(tracks: readonly MediaStreamTrack[]): void {
    const wanted = new Set(tracks.filter((t) => t.readyState === 'live'));
    for (const [track, node] of this.sources) {
      if (wanted.has(track)) continue;
      node.disconnect();
      this.sources.delete(track);
    }
    for (const track of wanted) {
      if (this.sources.has(track)) continue;
      const node = this.context.createMediaStreamSource(new MediaStream([track]));
      node.connect(this.destination);
      this.sources.set(track, node);
    }
  }

  /** Stops mixing. */
  close(): void {
    this.sync([]);
    this.track.stop();
    void this.context.close().catch(() => undefined);
  }
}
