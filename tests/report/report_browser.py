#!/usr/bin/env python3
"""Open the report sink's page in headless Chromium and check it through the
Chrome DevTools Protocol (CDP), with the standard library only.

Chromium runs with --remote-debugging-pipe: CDP messages are NUL-terminated
JSON on its file descriptors 3 (it reads) and 4 (it writes).  All its
traffic goes to --proxy-server, a socket of ours that answers 403 and
records every connection attempt, and no host name resolves: together with
CDP's Network.requestWillBeSent this proves the page asks for nothing.

  report_browser.py check PAGE.html WORKDIR   the checks (exit 1 on a failure)
  report_browser.py screenshot PAGE.html OUT.png [HEIGHT]
                                              a 1280 px wide screenshot of the top
"""
import base64
import fcntl
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

CHROMIUM = os.environ.get("HZ_CHROMIUM", "/usr/bin/chromium")
WIDTH = 1280
# The hosts Chromium itself calls in the background (component updater,
# network time, sign-in): "CONNECT host:443" or "GET http://host/...".
BROWSER_SERVICES = re.compile(r"^[A-Z]+ (http://)?([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com|"
                              r"gvt1\.com|googleusercontent\.com)[:/]")


class Proxy:
    """A proxy that forwards nothing: it records what was asked and says 403."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.seen = []
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
            except OSError:
                first = "(nothing read)"
            with self.lock:
                self.seen.append(first)
            try:
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def take(self):
        """What reached the proxy since the last call, less the browser's own
        service traffic (BROWSER_SERVICES), which no flag fully silences:
        Chromium's updater and sign-in call Google hosts by themselves, with
        or without a page.  CDP's record holds every request the page makes,
        Google hosts included."""
        with self.lock:
            seen, self.seen = self.seen, []
        return [s for s in seen if not BROWSER_SERVICES.search(s)]


class Browser:
    def __init__(self, proxy, workdir):
        self.profile = tempfile.mkdtemp(prefix="chromium-", dir=workdir)
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Chromium wants its end of the pipes at 3 and 4 exactly: move
            # them above both first, so one dup2 never clobbers the other.
            # Every other descriptor of ours is close-on-exec (PEP 446).
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 20)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 20)
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.close(r)
            os.close(w)

        args = [CHROMIUM, "--headless", "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--proxy-server=http://127.0.0.1:%d" % proxy.port, "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-gpu", "--mute-audio",
                "--hide-scrollbars", "--no-pings", "--disable-breakpad", "--disable-domain-reliability",
                "--disable-client-side-phishing-detection", "--safebrowsing-disable-auto-update",
                "--disable-field-trial-config", "--no-service-autorun", "--password-store=basic",
                "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
                "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,SignInProfileCreation,"
                "AccountConsistency,DialMediaRouteProvider,NetworkTimeServiceQuerying",
                "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        env = dict(os.environ, HOME=self.profile)
        self.proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe (did it start?)")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True, timeout=20):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, timeout=20):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                del self.events[i]
                return e
        while True:
            e = self._read_message(deadline)
            if e.get("method") == method:
                return e
            self.events.append(e)

    def open_tab(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Network.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def load(self, path):
        """Navigate to the file; the URLs of every request it made but itself."""
        url = "file://" + os.path.abspath(path)
        self.events = []
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        time.sleep(0.4)  # a late request (a lazy image) would still show
        self.send("Runtime.evaluate", {"expression": "1"})  # drains the events meanwhile
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent" and e["params"]["request"]["url"] != url]

    def evaluate(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError("page script failed: %s" % r["exceptionDetails"])
        return r["result"]["value"]

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)


A4_PX = 794  # 210 mm at 96 px per inch

# Under print media: the page's width, and the blocks that could still break across pages.
PRINT_LAYOUT = r"""
(() => {
  const blocks = [...document.querySelectorAll('.report-section, svg, table')];
  return {width: document.documentElement.scrollWidth, blocks: blocks.length,
          splittable: blocks.filter(e => getComputedStyle(e).breakInside !== 'avoid')
                            .map(e => e.tagName + '#' + (e.id || e.closest('section').id))};
})()
"""

# What the page shows, read from its DOM (the numbers as printed: text).
READ_PAGE = r"""
(() => {
  const num = t => { const s = (t || '').replace(/[^0-9-]/g, ''); return s === '' ? 0 : parseInt(s, 10); };
  const out = {figures: {}, hosts: [], matrix: null};
  document.querySelectorAll('#headline .figure').forEach(f => {
    out.figures[f.querySelector('.figure-label').textContent] = f.querySelector('.figure-value').textContent;
  });
  out.services = {};
  document.querySelectorAll('#services .figure, #offices .figure').forEach(f => {
    out.services[f.querySelector('.figure-label').textContent] = f.querySelector('.figure-value').textContent;
  });
  out.offices = [...document.querySelectorAll('#top-offices table tbody tr')].slice(0, 3).map(tr =>
      [...tr.cells].map(c => c.textContent));
  out.share_of = id => [...document.querySelectorAll('#' + id + ' table tbody tr')].map(tr =>
      [...tr.cells].map(c => c.textContent));
  out.pre_level = out.share_of('pre-departure-level');
  out.post_region = out.share_of('post-arrival-region');
  delete out.share_of;
  document.querySelectorAll('#top-hosts table tbody tr').forEach(tr => {
    out.hosts.push([tr.cells[0].textContent, tr.cells[1].textContent]);
  });
  const m = document.querySelector('#flows table.matrix');
  if (m) {
    out.matrix = {
      rows: [...m.tBodies[0].rows].map(tr => ({
        cells: [...tr.querySelectorAll('td.cell')].map(td => num(td.textContent)),
        total: num(tr.querySelector('td.row-total .n').textContent)})),
      col_totals: [...m.querySelectorAll('tfoot td.col-total .n')].map(e => num(e.textContent)),
      grand: num(m.querySelector('tfoot td.grand-total .n').textContent)};
  }
  out.lang = document.documentElement.lang;
  out.scripts = document.querySelectorAll('script').length;
  out.external = [...document.querySelectorAll('[src], link[href], [href]')]
      .map(e => e.getAttribute('src') || e.getAttribute('href')).filter(u => !u.startsWith('#'));
  out.svgs = [...document.querySelectorAll('svg')].map(s => ({
      role: s.getAttribute('role'), label: s.getAttribute('aria-labelledby'),
      titled: !!s.querySelector(':scope > title'),
      marks: s.querySelectorAll('g.bar, g.m-cell').length,
      marks_titled: s.querySelectorAll('g.bar > title, g.m-cell > title').length,
      table: !!s.closest('section').querySelector('table')}));
  out.headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => h.tagName);
  out.width = document.documentElement.scrollWidth;
  out.sources = [...document.querySelectorAll('#data-sources tbody tr')].map(tr =>
      [tr.cells[0].textContent, num(tr.cells[4].textContent), tr.cells[5].textContent]);
  return out;
})()
"""


def matrix_problems(m, total):
    """Why the heat map's numbers do not add up (empty when they do)."""
    why = []
    if not m:
        return ["no matrix table in section #flows"]
    cells = [c for r in m["rows"] for c in r["cells"]]
    if sum(cells) != m["grand"]:
        why.append("the cells add up to %d, the grand total reads %d" % (sum(cells), m["grand"]))
    if m["grand"] != total:
        why.append("the grand total reads %d, the headline total %d" % (m["grand"], total))
    for i, r in enumerate(m["rows"]):
        if sum(r["cells"]) != r["total"]:
            why.append("row %d: cells add up to %d, its total reads %d" % (i + 1, sum(r["cells"]), r["total"]))
    for j, t in enumerate(m["col_totals"]):
        s = sum(r["cells"][j] for r in m["rows"])
        if s != t:
            why.append("column %d: cells add up to %d, its total reads %d" % (j + 1, s, t))
    return why


def png_width(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">I", data[16:20])[0]


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, what, ok, detail=""):
        self.n += 1
        if not ok:
            self.failed += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, what, "" if ok else ": " + str(detail)))
        sys.stdout.flush()


def run_checks(page, workdir):
    t = Checks()
    with open(page, encoding="utf-8") as f:
        html = f.read()
    # The faults the checks must catch, on doctored copies of the page.
    with_img = html.replace("<body>\n", '<body>\n<img src="http://example.invalid/x.png" alt="">\n', 1)
    no_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", with_img, count=1)
    changed = re.sub(r'(<td class="num cell"><span class="n">)([0-9,]+)(</span>)',
                     lambda m: m.group(1) + "{:,}".format(int(m.group(2).replace(",", "")) + 1) + m.group(3),
                     html, count=1)
    doctored = {}
    for name, text in (("fetching.html", no_policy), ("blocked.html", with_img), ("changed.html", changed)):
        doctored[name] = os.path.join(workdir, name)
        with open(doctored[name], "w", encoding="utf-8") as f:
            f.write(text)
    t.check("the doctored copies differ from the page", no_policy != html and changed != html)

    proxy = Proxy()
    browser = Browser(proxy, workdir)
    try:
        browser.open_tab()
        requests = browser.load(page)
        time.sleep(0.2)
        connections = proxy.take()
        t.check("the page made no request (CDP Network.requestWillBeSent)", not requests, requests)
        t.check("no connection reached the proxy", not connections, connections)
        p = browser.evaluate(READ_PAGE)
        total_text = p["figures"].get("Total returns")
        t.check("headline total reads 49,795", total_text == "49,795", p["figures"])
        t.check("headline AVRR reads 43,428",
                p["figures"].get("Assisted voluntary return and reintegration (AVRR)") == "43,428", p["figures"])
        t.check("headline VHR reads 6,367",
                p["figures"].get("Voluntary humanitarian return (VHR)") == "6,367", p["figures"])
        t.check("first host row reads Niger (the) and 10,573",
                p["hosts"][:1] == [["Niger (the)", "10,573"]], p["hosts"][:1])
        t.check("ten host rows", len(p["hosts"]) == 10, len(p["hosts"]))
        # Chapter 3, the reintegration services (docs/services-figures.md).
        sv = p["services"]
        t.check("services headline reads 113,331, pre-departure 28,689",
                sv.get("Reintegration services") == "113,331" and
                sv.get("Pre-departure services in host countries") == "28,689", sv)
        t.check("country offices read 121, 48 of them in host countries",
                sv.get("Country offices") == "121" and
                sv.get("Offices in host countries (pre-departure)") == "48", sv)
        t.check("top three countries: Germany 15.0%, Nigeria 12.0%, Guinea 8.0%",
                [(r[0], r[-1]) for r in p["offices"]] ==
                [("Germany", "15.0%"), ("Nigeria", "12.0%"), ("Guinea", "8.0%")], p["offices"])
        t.check("pre-departure services: 98.6% individual",
                ["individual", "98.6%"] in [[r[0], r[-1]] for r in p["pre_level"]], p["pre_level"])
        t.check("post-arrival services: 61.0% by offices in West and Central Africa",
                ["West and Central Africa", "61.0%"] in [[r[0], r[-1]] for r in p["post_region"]],
                p["post_region"])
        why = matrix_problems(p["matrix"], 49795)
        t.check("matrix cells add up to the row, column and grand totals, and to 49,795", not why, why)
        t.check("lang attribute", p["lang"] == "en", p["lang"])
        t.check("no script element", p["scripts"] == 0, p["scripts"])
        t.check("no src or href that leaves the page", not p["external"], p["external"])
        svgs = p["svgs"]
        t.check("every chart is an SVG with role=img, a title and aria-labelledby",
                len(svgs) >= 5 and all(s["role"] == "img" and s["label"] and s["titled"] for s in svgs), svgs)
        t.check("every bar and cell has its <title>", all(s["marks"] == s["marks_titled"] > 0 for s in svgs), svgs)
        t.check("a table beside every chart", all(s["table"] for s in svgs), svgs)
        t.check("headings in order: one h1, then h2",
                p["headings"][:1] == ["H1"] and set(p["headings"][1:]) == {"H2"}, p["headings"])
        t.check("fits 1280 px without a horizontal scroll bar", p["width"] <= WIDTH, p["width"])
        t.check("data sources listed with a SHA-256 each",
                len(p["sources"]) >= 6 and all(re.fullmatch("[0-9a-f]{64}", s[2]) for s in p["sources"]),
                p["sources"])
        with open(os.path.join(workdir, "sources.json"), "w") as f:
            json.dump(p["sources"], f)
        shot = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(os.path.join(workdir, "screenshot.png"), "wb") as f:
            f.write(shot)
        t.check("a screenshot: a PNG 1280 px wide", png_width(shot) == WIDTH, png_width(shot))
        # Print: under the print style sheet, at the width of an A4 page (210 mm at 96 px per
        # inch), nothing runs off the page, and no section, chart or table may be split
        # across pages.
        browser.send("Emulation.setEmulatedMedia", {"media": "print"})
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": A4_PX, "height": 1123, "deviceScaleFactor": 1, "mobile": False})
        printed = browser.evaluate(PRINT_LAYOUT)
        t.check("printed at A4 width (%d px), nothing runs off the page" % A4_PX,
                printed["width"] <= A4_PX, printed["width"])
        t.check("... and no section, chart or table is split across pages (break-inside: avoid)",
                printed["blocks"] > 0 and not printed["splittable"], printed)
        browser.send("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(browser.send("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True},
            timeout=60)["data"])
        with open(os.path.join(workdir, "page.pdf"), "wb") as f:
            f.write(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        t.check("printed to an A4 PDF", pdf[:5] == b"%PDF-" and pages >= 1, (pdf[:8], pages))
        a4 = re.search(rb"/MediaBox\s*\[\s*0 0 59[4-6](\.\d+)? 84[12](\.\d+)?\s*\]", pdf)
        t.check("... whose pages are A4 (595 x 842 pt)", a4 is not None)

        # Fault injection: the checks above are not blind.
        requests = browser.load(doctored["fetching.html"])
        time.sleep(0.3)
        connections = proxy.take()
        t.check("fault: an <img> to http://example.invalid is seen by CDP",
                any("example.invalid" in u for u in requests), requests)
        t.check("fault: ... and its connection by the proxy",
                any("example.invalid" in c for c in connections), connections)
        requests = browser.load(doctored["blocked.html"])
        time.sleep(0.3)
        connections = proxy.take()
        t.check("the page's Content-Security-Policy blocks the same <img>: no connection", not connections,
                connections)
        browser.load(doctored["changed.html"])
        p = browser.evaluate(READ_PAGE)
        t.check("fault: a cell changed by one fails the sum check", matrix_problems(p["matrix"], 49795) != [])
    finally:
        browser.close()
    print("1..%d" % t.n)
    return 1 if t.failed else 0


def screenshot(page, out, height):
    proxy = Proxy()
    with tempfile.TemporaryDirectory() as work:
        browser = Browser(proxy, work)
        try:
            browser.open_tab()
            browser.load(page)
            shot = base64.b64decode(browser.send("Page.captureScreenshot", {
                "format": "png", "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
                "captureBeyondViewport": True})["data"])
        finally:
            browser.close()
    with open(out, "wb") as f:
        f.write(shot)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(run_checks(sys.argv[2], sys.argv[3]))
    if len(sys.argv) in (4, 5) and sys.argv[1] == "screenshot":
        sys.exit(screenshot(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 1500))
    sys.exit(__doc__)
