"""Where things are on the call page, measured in real Chromium at a laptop's and a phone's size.

At 1440x700 and at 390x844 (portrait, and 844x390 landscape): tiles never overlap and stay inside
the window; three people's tiles keep a 16:9 box and their rows are centred (one column on a phone
in portrait); a shared screen is shown whole (the video's picture, its intrinsic aspect ratio
fitted into the element, lies inside the stage) and the stage names the presenter; with two people
our own picture is a small thumbnail. Share screen asks before taking the stage from someone else,
and the header fits a 360 px phone while the status line shows. Each state is saved as a
screenshot under `test-artifacts/screenshots/` (git-ignored; CI keeps it as an artifact).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import expect

from support.screenshots import SIZES, save

pytestmark = pytest.mark.e2e

SLACK = 1.0  # CSS px: sub-pixel layout rounding, nothing a person could see

# Every tile's box, the tile area's, the stage's, the shared screen's picture and the window, in CSS px.
GEOMETRY = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  const tiles = [...document.querySelectorAll('[data-testid="tile"]')].map((t) =>
    ({ id: t.dataset.userId, self: t.dataset.self === 'true', ...box(t) }));
  const stage = document.querySelector('[data-testid="stage"]');
  const video = stage && !stage.hidden ? stage.querySelector('video') : null;
  let picture = null;
  if (video && video.videoWidth > 0) {
    // object-fit decides where the picture goes inside the element: contain fits it in, cover fills.
    const e = box(video);
    const fit = getComputedStyle(video).objectFit;
    const scale = (fit === 'cover' ? Math.max : Math.min)(e.w / video.videoWidth, e.h / video.videoHeight);
    const w = video.videoWidth * scale, h = video.videoHeight * scale;
    picture = { x: e.x + (e.w - w) / 2, y: e.y + (e.h - h) / 2, w, h };
  }
  return { tiles, area: box(document.querySelector('.tiles')), stage: video ? box(stage) : null, picture,
           window: { w: document.documentElement.clientWidth, h: document.documentElement.clientHeight } };
}"""


def inside(inner: dict, outer: dict) -> bool:
    """`inner` lies wholly inside `outer`."""
    return (inner["x"] >= outer["x"] - SLACK and inner["y"] >= outer["y"] - SLACK
            and inner["x"] + inner["w"] <= outer["x"] + outer["w"] + SLACK
            and inner["y"] + inner["h"] <= outer["y"] + outer["h"] + SLACK)


def intersect(a: dict, b: dict) -> bool:
    """The two boxes share more than a sliver."""
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > SLACK
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > SLACK)


def fmt(b: dict | None) -> str:
    return "none" if b is None else f"{b['w']:.0f}x{b['h']:.0f} at ({b['x']:.0f},{b['y']:.0f})"


def at_size(person: Participant, size: str, state: str) -> dict[str, Any]:
    """Resize `person`'s window, wait for the layout to settle there, save a screenshot; the geometry."""
    person.page.set_viewport_size(SIZES[size])
    # Settled: the tiles were sized for the tile area's present size (data-fitted-to, where the page
    # sizes them), and the geometry is the same on two animation frames in a row.
    person.page.wait_for_function(
        f"""async () => {{ const area = document.querySelector('.tiles'); const r = area.getBoundingClientRect();
             const fitted = area.dataset.fittedTo;
             if (fitted !== undefined && fitted !== `${{Math.round(r.width)}}x${{Math.round(r.height)}}`) return false;
             const g = ({GEOMETRY}); const a = JSON.stringify(g());
             await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
             return a === JSON.stringify(g()); }}""", polling=100)
    save(person.page, f"{state}-{size}")
    return person.page.evaluate(GEOMETRY)


def layout_problems(geometry: dict[str, Any], size: str) -> list[str]:
    """Overlapping tiles and tiles outside the window, in words."""
    problems = []
    tiles, window = geometry["tiles"], {"x": 0, "y": 0, **geometry["window"]}
    for i, a in enumerate(tiles):
        if not inside(a, window):
            problems.append(f"{size}: tile {a['id']} {fmt(a)} is not inside the {window['w']}x{window['h']} window")
        for b in tiles[i + 1:]:
            if intersect(a, b):
                problems.append(f"{size}: tiles {a['id']} {fmt(a)} and {b['id']} {fmt(b)} overlap")
    return problems


def three_people(call: Call) -> list[Participant]:
    people = call.join_all("Ann", "Bob", "Cleo", own_cameras=True)
    people[0].wait_media_from(people[1:])
    return people


def test_three_people_tiles_are_16_9_centred_and_one_column_on_a_phone(call: Call) -> None:
    ann, _, _ = three_people(call)
    problems = []
    for size in SIZES:
        g = at_size(ann, size, "three-people")
        problems += layout_problems(g, size)
        tiles, area = g["tiles"], g["area"]
        for t in tiles:
            if abs(t["w"] / t["h"] - 16 / 9) > 0.05:
                problems.append(f"{size}: tile {t['id']} is {fmt(t)}, not near 16:9 (the picture is cropped)")
        # Centred: each row's tiles (same top) sit in the middle of the tile area.
        middle = area["x"] + area["w"] / 2
        for top in sorted({round(t["y"]) for t in tiles}):
            row = [t for t in tiles if abs(t["y"] - top) <= SLACK]
            centre = (min(t["x"] for t in row) + max(t["x"] + t["w"] for t in row)) / 2
            if abs(centre - middle) > 2:
                problems.append(f"{size}: the row at y={top} is centred at x={centre:.0f}, the area at {middle:.0f}")
        # The phone in portrait: one column (every tile at the same left edge).
        if size == "phone" and len({round(t["x"]) for t in tiles}) != 1:
            problems.append(f"phone: tiles not in one column: {[fmt(t) for t in tiles]}")
    assert not problems, "\n".join(problems)


def test_a_shared_screen_is_whole_named_and_no_tile_overlaps(call: Call) -> None:
    ann, _, cleo = three_people(call)
    cleo.button("Share screen").click()
    ann.wait_stage_shows(cleo)
    problems = []
    for size in SIZES:
        g = at_size(ann, size, "share")
        problems += layout_problems(g, size)
        if g["picture"] is None or not inside(g["picture"], g["stage"]):
            problems.append(f"{size}: the shared screen's picture {fmt(g['picture'])} is cut: the stage is {fmt(g['stage'])}")
        window = {"x": 0, "y": 0, **g["window"]}
        if g["stage"] is None or not inside(g["stage"], window):
            problems.append(f"{size}: the stage {fmt(g['stage'])} is not inside the window")
        for t in g["tiles"]:
            if g["stage"] and intersect(t, g["stage"]):
                problems.append(f"{size}: tile {t['id']} {fmt(t)} covers the stage {fmt(g['stage'])}")
    assert not problems, "\n".join(problems)

    # The stage names the presenter, and the participant list says it too.
    expect(ann.stage.get_by_test_id("presenter")).to_have_text("Cleo is presenting")
    ann.page.set_viewport_size(SIZES["laptop"])
    ann.button("Participants (3)").click()
    expect(ann.page.locator(".panel").get_by_test_id("presenter")).to_have_text("Cleo is presenting")
    expect(cleo.stage.get_by_test_id("presenter")).to_have_count(0)  # the presenter is told "You are sharing"


def test_with_two_people_the_self_view_is_a_small_thumbnail(call: Call) -> None:
    ann, bob = call.join_all("Ann", "Bob", own_cameras=True)
    ann.wait_media_from([bob])
    problems = []
    for size in ("laptop", "phone"):
        g = at_size(ann, size, "two-people")
        window = {"x": 0, "y": 0, **g["window"]}
        me = next(t for t in g["tiles"] if t["self"])
        other = next(t for t in g["tiles"] if not t["self"])
        if me["w"] * me["h"] >= other["w"] * other["h"] / 4:
            problems.append(f"{size}: the self-view {fmt(me)} is not under a quarter of Bob's {fmt(other)}")
        for t in (me, other):
            if not inside(t, window):
                problems.append(f"{size}: tile {fmt(t)} is not inside the window")
    assert not problems, "\n".join(problems)


def test_share_screen_asks_before_taking_over(call: Call) -> None:
    ann, bob = call.join_all("Ann", "Bob")
    ann.button("Share screen").click()
    bob.wait_stage_shows(ann)

    # Cancel: Ann keeps the stage.
    bob.button("Share screen").click()
    dialog = bob.page.get_by_role("alertdialog", name="Ann is presenting. Share instead?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    bob.page.keyboard.press("m")  # behind the question no shortcut acts
    expect(bob.button("Mute")).to_be_visible()
    save(bob.page, "takeover-question-laptop")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(bob.button("Share screen")).to_be_focused()
    expect(ann.button("Stop sharing")).to_be_visible()
    expect(bob.stage).to_have_attribute("data-sharer-id", ann.user_id)

    # Share instead: Bob takes the stage (the server's rule: the last start wins).
    bob.button("Share screen").click()
    dialog.get_by_role("button", name="Share instead").click()
    ann.wait_stage_shows(bob)
    expect(bob.button("Stop sharing")).to_be_visible()
    expect(ann.button("Share screen")).to_be_visible()

    # Nobody else presenting (Bob stops): Share screen starts at once, no question.
    bob.button("Stop sharing").click()
    expect(ann.stage).to_have_attribute("data-sharer-id", "")
    ann.button("Share screen").click()
    bob.wait_stage_shows(ann)
    expect(ann.page.get_by_role("alertdialog")).to_have_count(0)


def test_the_header_fits_a_360_px_phone_while_reconnecting(start_server: Callable[..., ServerProcess],
                                                            make_call: Callable[..., Call]) -> None:
    server = start_server()
    ann = make_call(server).join("Ann")
    page = ann.page
    page.set_viewport_size({"width": 360, "height": 740})
    server.stop()
    status = page.locator(".call__header .call__status")
    expect(status).not_to_have_text("")
    copy = ann.button("Copy invite link")
    save(page, "reconnecting-header-phone-360")
    fit = page.evaluate("""() => {
      const header = document.querySelector('.call__header');
      const button = [...header.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Copy invite link'
                                                                       || b.textContent.trim() === 'Copy invite link');
      const line = parseFloat(getComputedStyle(button).lineHeight) || 20;
      const label = button.querySelector('span') ?? button;
      const items = [...header.querySelectorAll('h1, button, [role=status]')].map((el) => {
        const r = el.getBoundingClientRect(); return { what: el.textContent.trim(), left: r.left, right: r.right };
      });
      return { lines: label.getBoundingClientRect().height / line, items, width: document.documentElement.clientWidth };
    }""")
    expect(copy).to_be_visible()
    assert fit["lines"] < 1.5, f"'Copy invite link' takes {fit['lines']:.1f} lines at 360 px"
    outside = [i for i in fit["items"] if i["left"] < -SLACK or i["right"] > fit["width"] + SLACK]
    assert not outside, f"header items outside the {fit['width']} px window: {outside}"
