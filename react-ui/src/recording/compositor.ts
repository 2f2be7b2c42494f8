/**
 * The recording's picture and sound, made in the page: every video of the scene drawn into one
 * canvas where layout.ts says (its `captureStream` is the recording's video), and every audio track
 * mixed by Web Audio into one (the recording's sound). Browser I/O only; the decisions are in
 * layout.ts and scene.ts.
 */
import { fitInside, recordingLayout, type Rect } from './layout';
import type { Scene, SceneTile } from './scene';

const BACKGROUND = '#0f1115';
const TILE_BACKGROUND = '#232733';
const NAME_FONT = '600 18px system-ui, sans-serif';

/** Draws scenes into a canvas of `width`x`height`. */
export class Compositor {
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  /** One muted, unseen <video> per stream drawn (the tiles' own elements belong to React). */
  private readonly videos = new Map<MediaStream, HTMLVideoElement>();

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
    const ctx = this.context;
    this.keepVideos([scene.stage, ...scene.tiles.map((t) => (t.videoOff ? null : t.stream))]);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.width, this.height);
    const layout = recordingLayout(scene.tiles.length, scene.stage !== null, this.width, this.height);
    if (layout.stage && scene.stage) {
      ctx.fillStyle = '#000';
      fill(ctx, layout.stage);
      this.drawVideo(scene.stage, layout.stage, 'contain');
    }
    scene.tiles.forEach((tile, i) => this.drawTile(tile, layout.tiles[i]));
  }

  /** Stops every video element (the recording ended). */
  close(): void {
    this.keepVideos([]);
  }

  private drawTile(tile: SceneTile, rect: Rect | undefined): void {
    if (!rect) return;
    const ctx = this.context;
    ctx.fillStyle = TILE_BACKGROUND;
    fill(ctx, rect);
    if (!tile.videoOff && tile.stream) this.drawVideo(tile.stream, rect, 'cover');
    else drawInitial(ctx, tile.name, rect);
    drawName(ctx, tile.name, rect);
  }

  private drawVideo(stream: MediaStream, rect: Rect, fit: 'contain' | 'cover'): void {
    const video = this.videos.get(stream);
    if (!video || video.readyState < 2 || !video.videoWidth || !video.videoHeight) return;
    const aspect = video.videoWidth / video.videoHeight;
    if (fit === 'contain') {
      const at = fitInside(aspect, rect);
      this.context.drawImage(video, at.x, at.y, at.width, at.height);
      return;
    }
    // Cover, as the tiles on screen do: the middle of the picture, cut to the tile's shape.
    const target = rect.width / rect.height;
    let sw = video.videoWidth;
    let sh = video.videoHeight;
    if (aspect > target) sw = sh * target;
    else sh = sw / target;
    const sx = (video.videoWidth - sw) / 2;
    const sy = (video.videoHeight - sh) / 2;
    this.context.drawImage(video, sx, sy, sw, sh, rect.x, rect.y, rect.width, rect.height);
  }

  /** Makes a playing <video> for each of `streams` and lets go of the others. */
  private keepVideos(streams: ReadonlyArray<MediaStream | null>): void {
    const wanted = new Set(streams.filter((s): s is MediaStream => s !== null));
    for (const [stream, video] of this.videos) {
      if (wanted.has(stream)) continue;
      video.pause();
      video.srcObject = null;
      this.videos.delete(stream);
    }
    for (const stream of wanted) {
      if (this.videos.has(stream)) continue;
      const video = document.createElement('video');
      video.muted = true; // the sound is in the mix; this element only feeds pictures
      video.playsInline = true;
      video.srcObject = stream;
      void video.play()?.catch(() => undefined);
      this.videos.set(stream, video);
    }
  }
}

function fill(ctx: CanvasRenderingContext2D, rect: Rect): void {
  ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
}

function drawInitial(ctx: CanvasRenderingContext2D, name: string, rect: Rect): void {
  const size = Math.max(12, Math.round(Math.min(rect.width, rect.height) / 3));
  ctx.fillStyle = '#9aa3b5';
  ctx.font = `600 ${size}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(([...name.trim()][0] ?? '?').toUpperCase(), rect.x + rect.width / 2, rect.y + rect.height / 2);
}

function drawName(ctx: CanvasRenderingContext2D, name: string, rect: Rect): void {
  ctx.font = NAME_FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const padding = 6;
  const maxWidth = Math.max(0, rect.width - 4 * padding);
  const width = Math.min(maxWidth, ctx.measureText(name).width);
  const height = 26;
  const x = rect.x + padding;
  const y = rect.y + rect.height - height - padding;
  if (rect.height < height + 2 * padding) return;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x, y, width + 2 * padding, height);
  ctx.fillStyle = '#fff';
  ctx.fillText(name, x + padding, y + height / 2, maxWidth);
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
