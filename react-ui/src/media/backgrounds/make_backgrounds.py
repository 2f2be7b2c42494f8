"""Draws the bundled background images (background replacement, issue 15) as 640x360 JPEGs.

Run from this folder: `python3 make_backgrounds.py` (needs Debian's ffmpeg for the JPEG encoding).
Plain gradients and soft shapes, so that the files stay small and carry no one's photograph.
"""

import math
import subprocess

W, H = 640, 360


def mix(a, b, t):
    """The colour a fraction `t` of the way from `a` to `b`."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def over(base, colour, alpha):
    """`colour` over `base` with opacity `alpha` (0..1)."""
    return mix(base, colour, max(0.0, min(1.0, alpha)))


def soft(distance, width):
    """1 inside a shape (distance < 0), 0 outside, with a soft edge `width` pixels wide."""
    return max(0.0, min(1.0, 0.5 - distance / width))


def sunset(x, y):
    c = mix((255, 184, 112), (122, 59, 143), y / H)
    c = over(c, (255, 233, 184), 0.85 * soft(math.hypot(x - 460, y - 200) - 60, 14))
    ridge = 290 - 40 * math.sin(x / 95) - 18 * math.sin(x / 37)
    return over(c, (74, 36, 102), 0.9 * soft(ridge - y, 5))


def lagoon(x, y):
    c = mix((159, 227, 240), (29, 95, 138), y / H)
    for cx, cy, rx, ry in ((160, 110, 130, 28), (470, 80, 95, 20)):
        c = over(c, (255, 255, 255), 0.35 * soft(math.hypot((x - cx) / rx, (y - cy) / ry) - 1, 0.35))
    wave = 245 + 10 * math.sin(x / 40) + 6 * math.sin(x / 17)
    return over(c, (20, 72, 110), 0.85 * soft(wave - y, 4))


def meadow(x, y):
    c = mix((217, 242, 196), (63, 125, 58), y / H)
    c = over(c, (155, 201, 122), 0.85 * soft(math.hypot((x - 150) / 330, (y - 340) / 120) - 1, 0.05))
    return over(c, (106, 161, 84), 0.9 * soft(math.hypot((x - 520) / 300, (y - 370) / 140) - 1, 0.05))


for name, draw in (("sunset", sunset), ("lagoon", lagoon), ("meadow", meadow)):
    pixels = bytes(v for y in range(H) for x in range(W) for v in draw(x, y))
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}",
                    "-i", "-", "-frames:v", "1", "-q:v", "4", f"{name}.jpg"], input=pixels, check=True)
