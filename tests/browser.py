"""Headless Chromium for the page tests (test_faktaark, test_pages, test_explorer, test_tabel).

Chromium comes from the Debian package ``chromium`` (.ci/run installs it when missing). One browser
per test process (each pytest-xdist worker that needs one), started on first use and closed at exit
(atexit; and Chromium ends by itself when the pipe closes, should this process end otherwise), driven over the Chrome DevTools Protocol through ``--remote-debugging-pipe``: Chromium reads JSON
commands on its fd 3 and writes replies and events on its fd 4, each message ended by a NUL byte.

Pages are loaded one at a time in one tab (a browser context of its own, cache off; a new tab per
page would start a new renderer process, which costs more than the page): first about:blank, so the
page before is gone, then the page's file:// address, its load event and a short quiet period. What
the page asked of the network is recorded twice: by the DevTools ``Network`` events of the tab, and by
a local proxy that every request of the browser goes through (loopback included), that records the
host and forwards nothing; the hosts it records between the navigation and the end of the quiet period
are the page's (the browser's own services left out). Pages load one at a time, so nothing is mixed up.

>>> sorted(Loaded.__dataclass_fields__)
['console', 'dom', 'pdf', 'requests', 'screenshot']
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BASH = shutil.which("bash")
needs_chromium = pytest.mark.skipif(CHROMIUM is None or BASH is None,
                                    reason="needs chromium (apt-get install -y chromium; .ci/run does)")
# the browser's own background services (time, updates, accounts), not the page's requests
BROWSER_OWN = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com|googleusercontent\.com)$")
# schemes that stay on the machine: the page itself, inline images, the blank tab
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
COMMAND_TIMEOUT = 30  # seconds for one DevTools command
LOAD_TIMEOUT = 60  # seconds for a page to load
QUIET = 0.2  # seconds without a new request (or the load event) before a page counts as settled
QUIET_CAP = 3.0  # the longest wait for that quiet
# events after which the tab (and so this browser) is of no more use
CRASHED = {"Inspector.targetCrashed", "Inspector.detached", "Target.targetCrashed", "Target.detachedFromTarget"}


class BrowserError(RuntimeError):
    """Chromium could not be started, crashed, or did not answer in time."""


class RecordingProxy:
    """A local proxy that records the host of every request sent to it and forwards nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        self.last = 0.0  # time.monotonic() of the last connection
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.last = time.monotonic()
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).decode("latin-1").split("\r\n")[0]
                except OSError:
                    continue
                target = first.split(" ")[1] if " " in first else first
                self.hosts.append(re.sub(r"^[a-z]+://", "", target).split("/")[0].split(":")[0])
                self.last = time.monotonic()

    def close(self):
        self.sock.close()


@dataclass
class Loaded:
    """One page as the browser showed it."""

    dom: str  # document.documentElement.outerHTML after the load event
    console: list[str]  # every console message, page error and browser log entry of the page
    requests: list[str]  # hosts the page asked for (the browser's own services left out)
    screenshot: Path | None
    pdf: Path | None


class Chromium:
    """One headless Chromium process and its DevTools pipe."""

    def __init__(self):
        self.proxy = RecordingProxy()
        self.folder = Path(tempfile.mkdtemp(prefix="danmark-chromium-"))
        self.log = self.folder / "stderr.txt"
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self.dead: str | None = None
        self.session: str | None = None  # the tab's DevTools session
        self.cond = threading.Condition()
        # Chromium reads commands on its fd 3 and writes replies on its fd 4; its ends of the two pipes
        # are moved to fds >= 10 here so that bash's redirections below cannot clash with 3 and 4
        to_browser, browser_in = os.pipe()
        browser_out, from_browser = os.pipe()
        to_browser, from_browser = (_above_9(fd) for fd in (to_browser, from_browser))
        self.args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe",
            f"--user-data-dir={self.folder / 'profile'}", f"--proxy-server=http://127.0.0.1:{self.proxy.port}",
            "--proxy-bypass-list=<-loopback>", "about:blank"]
        try:
            # bash puts the pipe's ends on fds 3 and 4 (whatever numbers they have here) and execs Chromium
            script = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
            with open(self.log, "wb") as err:
                self.process = subprocess.Popen(
                    [BASH, "-c", script, *self.args], pass_fds=(to_browser, from_browser),
                    stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True)
        finally:
            os.close(to_browser)
            os.close(from_browser)
        self.write_fd, self.read_fd = browser_in, browser_out
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.version = self.call("Browser.getVersion")["product"]
        except BrowserError as error:
            self.close()
            raise BrowserError(f"Chromium ({CHROMIUM}) did not start: {error}") from None

    # ------------------------------------------------------------ the pipe

    def _read(self):
        buffer = b""
        while True:
            try:
                chunk = os.read(self.read_fd, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                code = self.process.poll()
                with self.cond:
                    self.dead = f"Chromium closed its DevTools pipe (exit code {code})"
                    self.cond.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self.cond:
                for raw in messages:
                    message = json.loads(raw)
                    message["_t"] = time.monotonic()  # when it came
                    if "id" in message:
                        self.replies[message["id"]] = message
                    else:
                        self.events.append(message)
                        if message["method"] in CRASHED:
                            self.dead = f"the tab crashed or was closed ({message['method']})"
                self.cond.notify_all()

    def stderr_tail(self, n=2000) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(line for line in lines if "dbus" not in line)[-n:]  # no system bus in a container

    def _fail(self, what: str):
        raise BrowserError(f"{what}; {self.dead or 'Chromium is running'}; its log ends:\n{self.stderr_tail()}")

    def wait_for(self, predicate, timeout: float, what: str):
        """The first truthy ``predicate()`` (called under the lock), or BrowserError after *timeout* s."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = predicate()
                if found:
                    return found
                if self.dead:
                    self._fail(what)
                left = deadline - time.monotonic()
                if left <= 0:
                    self._fail(f"no answer in {timeout:g} s: {what}")
                self.cond.wait(left)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = COMMAND_TIMEOUT) -> dict:
        """Send one DevTools command and return its result (BrowserError on an error or no answer)."""
        with self.cond:
            if self.dead:
                self._fail(method)
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.write_fd, data):]
        except OSError as error:
            self.dead = self.dead or f"writing to Chromium failed: {error}"
            self._fail(method)
        reply = self.wait_for(lambda: self.replies.pop(ident, None), timeout, method)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply["result"]

    def events_of(self, session: str, start: int = 0) -> list[dict]:
        with self.cond:
            return [e for e in self.events[start:] if e.get("sessionId") == session]

    # ------------------------------------------------------------ a page

    def tab(self) -> str:
        """The session of the one tab every page is loaded in (made on first use)."""
        if self.session is None:
            context = self.call("Target.createBrowserContext", {
                "proxyServer": f"http://127.0.0.1:{self.proxy.port}", "proxyBypassList": "<-loopback>"})
            target = self.call("Target.createTarget", {"url": "about:blank", **context})["targetId"]
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network", "Inspector"):
                self.call(f"{domain}.enable", session=session)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
            self.call("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)  # every load asks
            self.session = session
        return self.session

    def navigate(self, url: str, timeout: float) -> int:
        """Go to *url* and wait for its load event; the index of the first event of the navigation."""
        session = self.tab()
        with self.cond:
            start = len(self.events)
        navigation = self.call("Page.navigate", {"url": url}, session=session, timeout=timeout)
        if navigation.get("errorText"):
            raise BrowserError(f"{url}: {navigation['errorText']}")

        def loaded():
            return any(e["method"] == "Page.lifecycleEvent" and e["params"]["name"] == "load"
                       and e["params"]["loaderId"] == navigation.get("loaderId") and e.get("sessionId") == session
                       for e in self.events[start:])

        self.wait_for(loaded, timeout, f"the load event of {url}")
        return start

    def load(self, page: Path, *, width: int, height: int, screenshot: Path | None, pdf: Path | None,
             timeout: float) -> Loaded:
        url = page.resolve().as_uri()
        session = self.tab()
        self.navigate("about:blank", timeout)  # the page before is gone, its timers with it
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
        proxied = len(self.proxy.hosts)
        start = self.navigate(url, timeout)
        loaded_at = time.monotonic()
        dom = self.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                                             "returnByValue": True}, session=session)["result"]["value"]
        if screenshot is not None:
            shot = self.call("Page.captureScreenshot", {"format": "png"}, session=session, timeout=timeout)
            Path(screenshot).write_bytes(base64.b64decode(shot["data"]))
        if pdf is not None:
            printed = self.call("Page.printToPDF", {
                "displayHeaderFooter": False, "printBackground": True, "preferCSSPageSize": True},
                session=session, timeout=timeout)
            Path(pdf).write_bytes(base64.b64decode(printed["data"]))
        self._settle(session, start, loaded_at)
        events = self.events_of(session, start)
        hosts = [h for h in self.proxy.hosts[proxied:] if not BROWSER_OWN.search(h)]
        for e in events:
            if e["method"] == "Network.requestWillBeSent":
                address = urlsplit(e["params"]["request"]["url"])
                if address.scheme not in LOCAL_SCHEMES:
                    hosts.append(address.hostname or address.geturl())
        with self.cond:
            del self.events[:]  # this page's are read: the list does not grow with the session
        return Loaded(dom=dom, console=[m for e in events if (m := _console(e))], requests=hosts,
                      screenshot=screenshot, pdf=pdf)

    def _settle(self, session: str, start: int, loaded_at: float):
        """Wait until QUIET seconds have passed since the load event and the last request the tab or the
        proxy saw (at most QUIET_CAP seconds)."""
        deadline = time.monotonic() + QUIET_CAP
        while True:
            last = max([loaded_at, self.proxy.last] + [e["_t"] for e in self.events_of(session, start)
                                                       if e["method"].startswith("Network.")])
            wait = min(last + QUIET, deadline) - time.monotonic()
            if wait <= 0:
                return
            time.sleep(wait)

    # ------------------------------------------------------------ the end

    def close(self):
        """Browser.close and the pipe closed (either ends Chromium), then the process group killed if
        Chromium has not exited 5 s later."""
        if self.process.poll() is None and not self.dead:
            try:
                self.call("Browser.close", timeout=5)
            except BrowserError:
                pass
        os.close(self.write_fd)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        try:
            os.close(self.read_fd)  # after the exit: the reader thread sees the end of the pipe first
        except OSError:
            pass
        self.proxy.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _above_9(fd: int) -> int:
    """A copy of *fd* numbered 10 or more (not inherited), the original closed."""
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _console(event: dict) -> str | None:
    """A console message, page error or browser log entry as one line (None for other events)."""
    method, p = event["method"], event["params"]
    if method == "Runtime.consoleAPICalled":
        words = [str(a.get("value", a.get("description", a.get("type")))) for a in p.get("args", [])]
        return f"console.{p['type']}: {' '.join(words)}"
    if method == "Runtime.exceptionThrown":
        d = p["exceptionDetails"]
        return f"page error: {d.get('exception', {}).get('description') or d.get('text')} ({d.get('url', '')}:{d.get('lineNumber')})"
    if method == "Log.entryAdded":
        e = p["entry"]
        return f"log {e['level']} ({e['source']}): {e['text']} {e.get('url', '')}".strip()
    return None


_browser: Chromium | None = None
_lock = threading.Lock()


def _close():
    global _browser
    if _browser is not None:
        _browser.close()
        _browser = None


atexit.register(_close)


def load(page: Path, *, width: int = 1000, height: int = 1400, screenshot: Path | None = None,
         pdf: Path | None = None, timeout: float = LOAD_TIMEOUT) -> Loaded:
    """Load *page* from file:// in this process's headless Chromium, started on first use.

    ``width`` x ``height`` is the viewport (and the screenshot's size, a PNG written to *screenshot*);
    *pdf* gets the page printed (its CSS page size, no header or footer). A browser that crashed is
    started again; one that crashes or does not answer during this load raises BrowserError, which
    fails the test.
    """
    global _browser
    with _lock:
        if _browser is not None and (_browser.dead or _browser.process.poll() is not None):
            _close()  # crashed since the last page: start a new one
        if _browser is None:
            _browser = Chromium()
        try:
            return _browser.load(Path(page), width=width, height=height, screenshot=screenshot, pdf=pdf,
                                 timeout=timeout)
        except BrowserError:
            _close()  # in an unknown state: the next page gets a new browser
            raise


def assert_not_blank(png: Path) -> None:
    """A screenshot with text and figures on it, not an empty page."""
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert (pixels < 200).mean() > 0.02 and pixels.std() > 10
