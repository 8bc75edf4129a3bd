"""report.html in headless Chromium, opened from disk (file://), no network.

Two ways in: the plain ``--dump-dom`` / ``--screenshot`` switches, and the DevTools
protocol over ``--remote-debugging-pipe`` (fds 3/4, no websocket library needed) to
click, read the live DOM and catch any JavaScript dialog an injection would raise.
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest

from pipeline.report import build_report
try:
    from test_report import XSS_CLOSE, XSS_IMG, XSS_SCRIPT, make_output, parse
except ImportError:  # tests/ collected as a package
    from tests.test_report import XSS_CLOSE, XSS_IMG, XSS_SCRIPT, make_output, parse

pytestmark = pytest.mark.browser


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not found (apt-get install chromium); browser tests skipped")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
         "--disable-dev-shm-usage"]
TIMEOUT = 60  # seconds; a hung browser fails the test instead of hanging CI


@pytest.fixture(scope="module")
def report_url(tmp_path_factory) -> str:
    path = build_report(make_output(tmp_path_factory.mktemp("browser") / "out"))
    return path.as_uri()


def _run(args: list[str], tmp: Path) -> str:
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _rows(dom: str) -> list[str]:
    return [a["data-id"] for t, a in parse(dom).tags if t == "tr" and "data-id" in a]


@needs_chromium
@pytest.mark.parametrize("suffix", ["?q=hypno", "#q=Hypno", "?q=kota%20kupang%20anc"])
def test_url_query_filters_the_table(report_url, tmp_path, suffix):
    dom = _run(["--dump-dom", report_url + suffix], tmp_path)
    assert _rows(dom) == (["i000000000004"] if "anc" in suffix else ["i000000000005"])
    assert "Showing 1–1 of 1 (filtered from 6)" in dom


@needs_chromium
def test_unfiltered_table_and_hostile_text(report_url, tmp_path):
    dom = _run(["--dump-dom", report_url], tmp_path)
    assert len(_rows(dom)) == 6 and "Showing 1–6 of 6" in dom
    tags = parse(dom)
    assert not [t for t, a in tags.tags if t in ("img", "iframe")]
    assert not [(t, k) for t, a in tags.tags for k in a if k.startswith("on")]
    text = "".join(tags.text)
    assert XSS_IMG in text and XSS_CLOSE in text  # shown as text in the rendered table


@needs_chromium
def test_screenshot(report_url, tmp_path):
    shot = tmp_path / "report.png"
    _run([f"--screenshot={shot}", "--window-size=1400,1000", report_url], tmp_path)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1400, 1000)
    assert len(png) > 30_000  # a blank page compresses to a few kB; the report has charts and text


# -- DevTools protocol over a pipe -----------------------------------------------------------

class Browser:
    """Just enough of the DevTools protocol: one page, commands, events, dialogs."""

    def __init__(self, tmp: Path):
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def child_fds():  # the browser reads commands on fd 3 and writes replies on fd 4
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, "--remote-debugging-pipe",
                                      f"--user-data-dir={tmp / 'cdp-profile'}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=child_fds, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf, self._id, self.events, self.session = b"", 0, [], None
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1, mobile=False)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise TimeoutError("no answer from the browser")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise ConnectionError("browser closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        data = json.loads(msg)
        if data.get("method") == "Page.javascriptDialogOpening":
            self.events.append(data)  # answer it, or the page would block forever
            self.send("Page.handleJavaScriptDialog", accept=True)
        elif "method" in data:
            self.events.append(data)
        return data

    def send(self, method: str, **params) -> int:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        return self._id

    def call(self, method: str, **params) -> dict:
        want, deadline = self.send(method, **params), time.monotonic() + TIMEOUT
        while True:
            data = self._read(deadline)
            if data.get("id") == want:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})

    def goto(self, url: str) -> None:
        self.events.clear()
        if not self.call("Page.navigate", url=url).get("loaderId"):
            return  # same-document (fragment) navigation: no load event follows
        deadline = time.monotonic() + TIMEOUT
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            self._read(deadline)

    def js(self, expression: str):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def dialogs(self) -> list[dict]:
        return [e for e in self.events if e["method"] == "Page.javascriptDialogOpening"]

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - closing is best effort; kill below
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)


@pytest.fixture()
def browser(tmp_path):
    b = Browser(tmp_path)
    yield b
    b.close()


@needs_chromium
def test_no_injection_runs_and_text_is_visible(browser, report_url):
    browser.goto(report_url)
    browser.js("new Promise(r => setTimeout(r, 300))")  # let any injected onerror fire
    assert browser.dialogs() == []
    assert browser.js("document.querySelectorAll('img, iframe, [onerror], [onmouseover]').length") == 0
    visible = browser.js("document.body.innerText")
    assert XSS_IMG in visible and XSS_SCRIPT in visible
    # open the hostile innovation: its evidence and alias are shown as text, and the
    # javascript: URL of its article is not a link
    browser.js("document.querySelector('tr[data-id=\"i000000000003\"]').click()")
    panel = browser.js("document.getElementById('detail').hidden ? null : document.getElementById('detail').innerText")
    assert panel and XSS_CLOSE in panel and "in/evil.html" in panel
    hrefs = browser.js("[...document.querySelectorAll('#detail a')].map(a => a.href)")
    assert hrefs == []
    assert browser.dialogs() == []


@needs_chromium
def test_detail_panel_sorting_and_search(browser, report_url):
    browser.goto(report_url + "#id=i000000000001")
    panel = browser.js("document.getElementById('detailbody').innerText")
    assert "JEMPOL PINK" in panel and "Top 20" in panel and "Dinas Dukcapil Belu membawa" in panel
    assert browser.js("[...document.querySelectorAll('#detail a')].map(a => a.href)") == [
        "https://berita.example.id/belu-kipp"]
    assert browser.js("document.querySelector('#detail a').rel") == "noopener noreferrer nofollow"
    first = "document.querySelector('#rows tr td b').textContent"
    browser.js("document.querySelector('th[data-key=name] button').click()")
    assert browser.js(first) == "<img src=x onerror=alert(1)>"  # "<" sorts first, ascending
    browser.js("document.querySelector('th[data-key=name] button').click()")
    assert browser.js(first) == "SIMBARA"
    assert browser.js("document.querySelector('th[data-key=name]').getAttribute('aria-sort')") == "descending"
    # typing in the box filters (after the debounce); a chart bar click searches its province
    browser.js("const q = document.getElementById('q'); q.value = 'kementerian'; "
               "q.dispatchEvent(new Event('input')); new Promise(r => setTimeout(r, 400))")
    assert browser.js("[...document.querySelectorAll('#rows tr')].map(t => t.dataset.id)") == ["i000000000002"]
    browser.js("document.querySelector('[data-q=\"Sumatera Barat\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert browser.js("document.getElementById('q').value") == "Sumatera Barat"
    assert browser.js("[...document.querySelectorAll('#rows tr')].map(t => t.dataset.id)") == ["i000000000006"]
    # the sector and digital-share bars filter the registry too
    ids = "[...document.querySelectorAll('#rows tr')].map(t => t.dataset.id).sort()"
    browser.js("document.querySelector('#by-sector [data-q=\"sektor:kesehatan\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert browser.js("document.getElementById('q').value") == "sektor:kesehatan"
    assert browser.js(ids) == ["i000000000003", "i000000000004", "i000000000005"]
    browser.js("document.querySelector('#by-digital [data-q=\"digital:ya\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert browser.js(ids) == ["i000000000002", "i000000000006"]
    assert browser.js("document.querySelector('tr[data-id=\"i000000000002\"] td.sector').innerText").split() == [
        "keuangan", "digital"]
    browser.js("document.querySelector('#by-digital [data-q=\"digital:tidak\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert browser.js(ids) == ["i000000000001", "i000000000004"]
    shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_codebook_is_shown_with_every_column(browser, report_url):
    """The codebook section renders in the browser: one open block per public table, a row per
    column of the column spec, the sector and digital extras among them."""
    from pipeline.store import describe
    browser.goto(report_url)
    tables = {t["table"]: t for t in describe.codebook()}
    shown = browser.js("[...document.querySelectorAll('details.codebook')].map(d => [d.id, d.open, "
                       "[...d.querySelectorAll('tbody tr td:first-child code')].map(c => c.textContent)])")
    by_id = {i: (is_open, cols) for i, is_open, cols in shown}
    for name in ("articles", "mentions", "registry", "replications"):
        is_open, cols = by_id[f"codebook-{name}"]
        assert is_open and cols == [c["name"] for c in tables[name]["columns"]]
    assert {"sector", "digital", "level"} <= set(by_id["codebook-registry"][1])
    text = browser.js("document.getElementById('codebook-mentions').innerText")
    assert "extra" in text and "How derived" in text
