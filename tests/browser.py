"""Headless Chromium for the page tests (tests/test_faktaark.py, tests/test_pages.py).

Chromium comes from the Debian package ``chromium`` (.ci/run installs it when missing). Each run
gets a fresh profile and a local proxy that records every request the page makes and forwards
none, so a test can tell that nothing left the machine.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install -y chromium; .ci/run does)")
# the browser's own background services (time, updates, accounts), not the page's requests
BROWSER_OWN = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com|googleusercontent\.com)$")


class RecordingProxy:
    """A local proxy that records the host of every request sent to it and forwards nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).decode("latin-1").split("\r\n")[0]
                except OSError:
                    continue
                target = first.split(" ")[1] if " " in first else first
                self.hosts.append(re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0])

    def close(self):
        self.sock.close()


def chromium(tmp_path: Path, page: Path, *args) -> subprocess.CompletedProcess:
    """Load *page* from file:// in headless Chromium with *args* (``--dump-dom``, ``--screenshot=...``).

    The result has ``page_requests``: the hosts the page asked the (recording) proxy for,
    the browser's own services left out.
    """
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    proxy = RecordingProxy()
    try:
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy.port}",
             "--enable-logging=stderr", "--v=0", *args, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        proxy.close()
    run.page_requests = [h for h in proxy.hosts if not BROWSER_OWN.search(h)]
    return run


def console_messages(run: subprocess.CompletedProcess) -> list[str]:
    """The page's console messages (errors included) in a Chromium run's log."""
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


def assert_not_blank(png: Path) -> None:
    """A screenshot with text and figures on it, not an empty page."""
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert (pixels < 200).mean() > 0.02 and pixels.std() > 10
