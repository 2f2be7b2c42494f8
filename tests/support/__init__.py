"""What the tests and the benchmarks both need to run Parley for real, written once.

Imported as the package `support`, with `tests/` on `sys.path`: pytest puts it there
(`pythonpath = tests` in setup.cfg), and a script run on its own (a benchmark, a browser driver
started inside a network namespace) inserts it once: `sys.path.insert(0, str(REPO / "tests"))`.

- `support.processes`: `free_port`, `ServerProcess` (any server subprocess on a loopback port, ready
  once `GET /healthz` answers), `ParleyServer` (`python -m tornado_app`), `http_json`.
- `support.redis_server`: `RedisServer`, a real redis-server on a free port.
- `support.clients`: `Response`, `SignalingClient` and `RawWebSocket`, what the fixtures of
  tests/conftest.py hand a test (`fetch_json`, `ws_connect`, `raw_ws_connect`).
- `support.netns`: `TwoMachines`, a two-machine LAN in network namespaces.
- `support.chromium`: Debian's Chromium under Playwright with fake media devices.
- `support.xvfb`: `Xvfb`, a virtual X display.
- `support.polling`: `wait_for` and `eventually`, polling a condition until a deadline.
- `support.meeting`: `Call` and `Participant`, people in the web client following its DOM contract.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The test build of the web client (`npm run build:test`): the production one has no `window.__parley`.
TEST_UI_DIR = REPO / "react-ui" / "dist-test"
