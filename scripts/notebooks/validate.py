#!/usr/bin/env python3
"""Checks the notebooks and web pages the kit's lessons export, the way a reader's tools will see them.

Optional tooling, like the rest of scripts/: the kit exports each lesson as a Jupyter notebook
(nbformat 4.5, with cell ids) and as a self-contained HTML page (inline CSS, inline <svg>
figures, no scripts, nothing fetched). The Swift tests check what the kit writes; this script
checks the files against the tools that read them: nbformat's own schema, an XML parser for
every figure, and headless Chromium for the layout on a phone-sized screen.

    python3 scripts/notebooks/validate.py DIR [--screenshots OUTDIR] [--chromium PATH] [--width 390]

For every DIR/*.ipynb: the JSON is nbformat 4.5 or later and every cell has its own id (read
from the file itself, since nbformat quietly fills in missing or repeated ids); every
image/svg+xml output is an XML document with an <svg> root in the SVG namespace and comes with a
text/plain alternative; nbformat.read and nbformat.validate accept the notebook.

For every DIR/*.html: no <script>, no on... event attributes, no stylesheet <link>, no src or
href to http(s): or //, every src is a data: URI, a viewport <meta> is there, every inline
<svg>...</svg> is well-formed XML, and every relative link and #anchor leads to a file in DIR
and an id in that page. Then Chromium lays the page out at --width pixels (390: a phone) and at
1280: the page must not scroll sideways at --width, and no figure may end up zero pixels wide.
With --screenshots, it also saves OUTDIR/NAME-390.png and OUTDIR/NAME-1280.png, full length.

Why an iframe: headless Chromium will not make a window narrower than 500 pixels, so a script in
a page loaded at --window-size=390,... sees a 500-pixel viewport (screenshots are laid out at
390 all the same). The measuring copy of each page is therefore loaded into an iframe of the
exact width inside a small harness page; the copy reports its layout with postMessage and the
harness writes the report into its DOM, which `--dump-dom` prints.

Exit status: 0 when every check passed; 1 when one failed; 2 for bad usage (DIR missing, or no
.ipynb or .html in it); 77 when a tool is missing (nbformat, or Chromium) and every check that
could run passed. --require-all turns a missing tool into 1.
"""

import argparse
import html
import html.parser
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
import xml.etree.ElementTree as ElementTree

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_MISSING_TOOL = 77

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
DESKTOP_WIDTH = 1280
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_TIMEOUT_SECONDS = 60
MEASURE_WINDOW_HEIGHT = 800   # also the shortest screenshot: about a phone screen
FALLBACK_SCREENSHOT_HEIGHT = 3000
MAX_SCREENSHOT_HEIGHT = 16000

NBFORMAT_INSTALL = ("python3 -m venv ~/nbvenv && ~/nbvenv/bin/pip install nbformat, "
                    "then run this script with ~/nbvenv/bin/python")
CHROMIUM_INSTALL = "apt-get install chromium (or pass --chromium PATH)"


class Report:
    """Prints each result as it comes and remembers what failed and which tools were missing."""

    def __init__(self):
        self.failures = 0
        self.missing_tools = []

    def fail(self, name, expected, found):
        self.failures += 1
        print(f"FAIL {name}: expected {expected}; found {found}")

    def ok(self, name, details):
        print(f"ok {name}: {details}")

    def missing(self, tool, needed_for, install):
        self.missing_tools.append(tool)
        print(f"MISSING {tool}: needed for {needed_for}. Install: {install}")

    def exit_status(self, require_all):
        if self.failures:
            return EXIT_FAILED
        if self.missing_tools:
            return EXIT_FAILED if require_all else EXIT_MISSING_TOOL
        return EXIT_OK


# SVG, shared by notebooks and pages

def svg_problem(text, require_namespace):
    """What is wrong with one SVG document or fragment, or None when it parses with an <svg> root."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        return f"XML that does not parse ({error})"
    if root.tag == f"{{{SVG_NAMESPACE}}}svg":
        return None
    if root.tag == "svg" and not require_namespace:
        return None
    if root.tag == "svg":
        return f'an <svg> root without xmlns="{SVG_NAMESPACE}"'
    return f"a <{root.tag}> root element"


# Notebooks

def multiline_text(value):
    """Notebook JSON stores text either as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def check_notebook_version(name, notebook, report):
    major, minor = notebook.get("nbformat"), notebook.get("nbformat_minor")
    if major != 4 or not isinstance(minor, int) or minor < 5:
        report.fail(name, "nbformat 4 with nbformat_minor >= 5 (cell ids)",
                    f"nbformat {major}, nbformat_minor {minor}")


def check_cell_ids(name, cells, report):
    seen = set()
    for number, cell in enumerate(cells, 1):
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not cell_id:
            report.fail(name, f"cell {number} to have an id", "none")
        elif cell_id in seen:
            report.fail(name, f"cell {number} to have its own id", f"id {cell_id!r} again")
        seen.add(cell_id)


def check_outputs(name, cells, report):
    """Checks every SVG output; returns how many there are."""
    figures = 0
    for number, cell in enumerate(cells, 1):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" not in data:
                continue
            figures += 1
            problem = svg_problem(multiline_text(data["image/svg+xml"]), require_namespace=True)
            if problem:
                report.fail(name, f"cell {number}'s image/svg+xml to be an <svg> document", problem)
            if "text/plain" not in data:
                report.fail(name, f"cell {number}'s figure to have a text/plain alternative",
                            "only " + ", ".join(sorted(data)))
    return figures


def check_with_nbformat(name, path, nbformat, report):
    """nbformat's own reading and schema validation (with its repair warnings kept quiet: the
    id checks above already report what it would repair)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            notebook = nbformat.read(str(path), as_version=4)
            nbformat.validate(notebook)
        except nbformat.ValidationError as error:
            report.fail(name, "nbformat.validate to accept the notebook", error.message)
        except Exception as error:  # nbformat.read raises several kinds (JSON, reader, version)
            report.fail(name, "nbformat.read to read the notebook", f"{type(error).__name__}: {error}")


def check_notebook(path, nbformat, report):
    name = path.name
    failures_before = report.failures
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        report.fail(name, "a UTF-8 JSON notebook", f"{type(error).__name__}: {error}")
        return
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        report.fail(name, "a JSON object with a list of cells", type(notebook).__name__)
        return
    cells = [cell for cell in notebook["cells"] if isinstance(cell, dict)]
    check_notebook_version(name, notebook, report)
    check_cell_ids(name, cells, report)
    figures = check_outputs(name, cells, report)
    if nbformat is not None:
        check_with_nbformat(name, path, nbformat, report)
    if report.failures == failures_before:
        schema = "" if nbformat is not None else " (schema not checked: no nbformat)"
        report.ok(name, f"{len(cells)} cells, {figures} figures{schema}")


def import_nbformat():
    try:
        import nbformat
    except ImportError:
        return None
    return nbformat


# Pages: what can be seen in the HTML text

def url_kind(value):
    """One of: remote, data, fragment, relative, script, file, other (mailto: and the like)."""
    value = value.strip()
    scheme = urllib.parse.urlsplit(value).scheme.lower()
    if scheme in ("http", "https") or value.startswith("//"):
        return "remote"
    if scheme in ("data", "javascript", "file"):
        return {"data": "data", "javascript": "script", "file": "file"}[scheme]
    if scheme:
        return "other"
    return "fragment" if value.startswith("#") else "relative"


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]*)""", re.IGNORECASE)


class PageParser(html.parser.HTMLParser):
    """Collects, from one page, what must not be there, its links and its ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []   # (expected, found)
        self.links = []      # (line, href) for relative and #fragment links
        self.ids = set()
        self.has_viewport = False
        self.in_style = False

    def problem(self, expected, found):
        self.problems.append((expected, f"{found} (line {self.getpos()[0]})"))

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "script":
            self.problem("no <script>", "<script>")
        if tag == "style":
            self.in_style = True
        if tag == "link" and "stylesheet" in attributes.get("rel", "").lower().split():
            href = attributes.get("href", "")
            self.problem("inline CSS, no stylesheet <link>", f'<link rel="stylesheet" href="{href}">')
        if tag == "meta" and attributes.get("name", "").lower() == "viewport":
            self.has_viewport = "width=device-width" in attributes.get("content", "").replace(" ", "")
        for key, value in attributes.items():
            self.check_attribute(tag, key, value)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.check_css(data, "<style>")

    def check_attribute(self, tag, key, value):
        if key in ("id", "name") and value:
            self.ids.add(value)
        if key.startswith("on"):
            self.problem("no scripts", f"<{tag} {key}=...>")
        elif key == "style":
            self.check_css(value, f"<{tag} style>")
        elif key in ("src", "poster", "data", "srcset") or (tag == "image" and key in ("href", "xlink:href")):
            self.check_embedded(tag, key, value)
        elif key in ("href", "xlink:href", "action", "formaction"):
            self.check_link(tag, key, value)

    def check_embedded(self, tag, key, value):
        """What a page shows must be inside it: a data: URI."""
        candidates = re.split(r",\s+", value) if key == "srcset" else [value]
        for candidate in candidates:
            url = candidate.split()[0] if candidate.split() else ""
            if url_kind(url) != "data":
                self.problem(f"<{tag} {key}> to be a data: URI", shorten(url))

    def check_link(self, tag, key, value):
        kind = url_kind(value)
        if kind in ("remote", "file"):
            self.problem(f"no <{tag} {key}> leaving the site", shorten(value))
        elif kind == "script":
            self.problem("no scripts", f"<{tag} {key}={shorten(value)}>")
        elif kind in ("relative", "fragment"):
            self.links.append((self.getpos()[0], value))

    def check_css(self, css, where):
        if re.search(r"@import\b", css, re.IGNORECASE):
            self.problem("no @import in CSS", f"@import in {where}")
        for url in CSS_URL.findall(css):
            if url and url_kind(url) not in ("data", "fragment"):
                self.problem(f"CSS url() in {where} to be a data: URI", shorten(url))


def shorten(text, limit=80):
    return text if len(text) <= limit else text[:limit] + "..."


SVG_TAG = re.compile(r"<(/?)svg\b[^>]*?(/?)>", re.IGNORECASE)


def inline_svgs(text):
    """The outermost <svg ...>...</svg> substrings of a page, each with its first line, plus
    any problems with the nesting itself."""
    figures, problems = [], []
    depth, start = 0, 0
    for match in SVG_TAG.finditer(text):
        closing, self_closing = match.group(1) == "/", match.group(2) == "/"
        if closing and depth == 0:
            problems.append(("every </svg> to close an <svg>", f"a stray </svg> (line {line_of(text, match.start())})"))
        elif closing:
            depth -= 1
            if depth == 0:
                figures.append((line_of(text, start), text[start:match.end()]))
        elif self_closing:
            if depth == 0:
                figures.append((line_of(text, match.start()), match.group(0)))
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    if depth:
        problems.append(("every <svg> to be closed", f"an <svg> from line {line_of(text, start)} left open"))
    return figures, problems


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


class Page:
    """What the static checks learned about one page, for the link checks and the browser."""

    def __init__(self, path):
        self.path = path
        self.name = path.name
        self.figures = 0
        self.ids = set()
        self.links = []


def check_page_text(path, report):
    """The checks that need only the page's text; returns a Page (None when it is not readable)."""
    page = Page(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        report.fail(page.name, "a UTF-8 page", str(error))
        return None
    parser = PageParser()
    parser.feed(text)
    parser.close()
    for expected, found in parser.problems:
        report.fail(page.name, expected, found)
    if not parser.has_viewport:
        report.fail(page.name, '<meta name="viewport" content="width=device-width, ...">'
                    " (phones lay the page out 980 px wide without it)", "none")
    figures, nesting_problems = inline_svgs(text)
    for expected, found in nesting_problems:
        report.fail(page.name, expected, found)
    for line, svg in figures:
        problem = svg_problem(svg, require_namespace=False)
        if problem:
            report.fail(page.name, f"the <svg> at line {line} to be well-formed XML", problem)
    page.figures = len(figures)
    page.ids = parser.ids
    page.links = parser.links
    return page


def check_links(page, pages_by_name, directory, report):
    """Relative links must lead to a file in the site; #anchors to an id in their page."""
    site = directory.resolve()
    for line, href in page.links:
        split = urllib.parse.urlsplit(href)
        target_path = urllib.parse.unquote(split.path)
        fragment = urllib.parse.unquote(split.fragment)
        if target_path:
            target = (page.path.parent / target_path).resolve()
            if site not in target.parents and target != site:
                report.fail(page.name, f"the link {href!r} (line {line}) to stay in {directory}", f"it leads to {target}")
                continue
            if not target.exists():
                report.fail(page.name, f"the link {href!r} (line {line}) to lead to a file", f"no {target_path} in {directory}")
                continue
            linked = pages_by_name.get(target.name) if target.parent == site else None
        else:
            linked = page
        if fragment and linked is not None and fragment not in linked.ids:
            report.fail(page.name, f"the link {href!r} (line {line}) to lead to an id in {linked.name}", f"no id {fragment!r}")


# Pages: what Chromium shows

MEASURE_SCRIPT = """
<script>
/* Added by scripts/notebooks/validate.py to a temporary copy of the page: once the page has
   loaded, it reports its layout to the harness page that holds it in an iframe. */
window.addEventListener('load', function () {
  var width = window.innerWidth;
  var all = Array.prototype.slice.call(document.querySelectorAll('svg'));
  var figures = all.filter(function (svg) { return !svg.parentElement.closest('svg'); });
  var broken = figures.filter(function (svg) { return svg.getBoundingClientRect().width === 0; });
  var elements = Array.prototype.slice.call(document.body.querySelectorAll('*'));
  var wide = elements.filter(function (element) { return element.getBoundingClientRect().right > width + 0.5; })[0];
  function describe(element) {
    if (!element) { return ''; }
    var name = element.tagName.toLowerCase();
    if (element.id) { name += '#' + element.id; }
    if (typeof element.className === 'string' && element.className) { name += '.' + element.className.trim().split(/\\s+/).join('.'); }
    return name + ', ' + Math.round(element.getBoundingClientRect().width) + ' px wide';
  }
  parent.postMessage({
    width: width,
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    figures: figures.length,
    brokenFigures: broken.length,
    widest: describe(wide)
  }, '*');
});
</script>
"""

HARNESS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"></head>
<body style="margin:0; white-space:nowrap">
<pre id="validate-result">{{}}</pre>
{iframes}
<script>
var reports = {{}};
window.addEventListener('message', function (event) {{
  reports[event.data.width] = event.data;
  document.getElementById('validate-result').textContent = JSON.stringify(reports);
}});
</script>
</body></html>
"""

HARNESS_IFRAME = '<iframe src="{src}" style="border:0; vertical-align:top; width:{width}px; height:{height}px"></iframe>'
HARNESS_RESULT = re.compile(r'<pre id="validate-result">(.*?)</pre>', re.DOTALL)
CONTENT_SECURITY_POLICY = re.compile(r"""<meta[^>]*http-equiv\s*=\s*["']?content-security-policy[^>]*>""", re.IGNORECASE)


def measuring_copy(text):
    """The page with MEASURE_SCRIPT before </body>, and without a Content-Security-Policy
    <meta> (a page without scripts may well forbid them, and the measuring script must run)."""
    text = CONTENT_SECURITY_POLICY.sub("", text)
    end = text.lower().rfind("</body>")
    if end < 0:
        return text + MEASURE_SCRIPT
    return text[:end] + MEASURE_SCRIPT + text[end:]


class ChromiumError(Exception):
    pass


class Chromium:
    """Runs headless Chromium one call at a time, each with a fresh profile and a time limit."""

    def __init__(self, path, work_directory):
        self.path = path
        self.work_directory = work_directory
        self.headless_flag = None
        self.version = ""
        self.calls = 0

    def start(self):
        """Finds the headless flag this Chromium understands: "--headless=new" (Chromium 109 and
        later; from 132 on plain --headless means the same), else plain --headless."""
        self.version = self.run_plain(["--version"]).strip()
        probe = self.work_directory / "probe.html"
        probe.write_text("<!doctype html><p>validate-probe</p>", encoding="utf-8")
        last_error = ""
        for flag in ("--headless=new", "--headless"):
            self.headless_flag = flag
            try:
                if "validate-probe" in self.dump_dom(probe, 500, 500):
                    return
            except ChromiumError as error:
                last_error = str(error)
        self.headless_flag = None
        raise ChromiumError(f"{self.path} did not load a page with --headless=new or --headless: {last_error}")

    def run_plain(self, arguments):
        return self.run(arguments, with_profile=False)

    def run(self, arguments, with_profile=True):
        """Chromium's stdout. Its own session, so a timeout can end all of its processes."""
        command = [self.path] + arguments
        if with_profile:
            self.calls += 1
            profile = self.work_directory / f"profile-{self.calls}"
            command = [self.path, self.headless_flag, "--disable-gpu", "--no-sandbox",
                       "--hide-scrollbars", f"--user-data-dir={profile}"] + arguments
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, start_new_session=True, text=True,
                                   errors="replace")
        try:
            stdout, stderr = process.communicate(timeout=CHROMIUM_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ChromiumError(f"no answer within {CHROMIUM_TIMEOUT_SECONDS} s (stopped it)")
        if process.returncode != 0:
            raise ChromiumError(f"exit status {process.returncode}: {last_lines(stderr)}")
        return stdout

    def dump_dom(self, path, width, height):
        return self.run([f"--window-size={width},{height}", "--virtual-time-budget=2000",
                         "--dump-dom", path.resolve().as_uri()])

    def screenshot(self, path, width, height, out_path):
        self.run([f"--window-size={width},{height}", f"--screenshot={out_path}", path.resolve().as_uri()])
        if not out_path.exists() or out_path.stat().st_size == 0:
            raise ChromiumError(f"no {out_path.name} written")


def last_lines(text, count=3):
    """Chromium's stderr without the noise it makes on every run (D-Bus, the launcher)."""
    lines = [line for line in text.splitlines()
             if line.strip() and "dbus" not in line and "unexpected operator" not in line]
    return " | ".join(lines[-count:]) or "nothing on stderr"


def find_chromium(option):
    """The Chromium to use: --chromium (a path or a name), else the first of CHROMIUM_NAMES on PATH."""
    if option:
        return shutil.which(option) or (option if os.access(option, os.X_OK) and os.path.isfile(option) else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def measure(page, chromium, width):
    """The layout reports of the page at `width` and at DESKTOP_WIDTH, keyed by width."""
    folder = chromium.work_directory / "pages"
    folder.mkdir(exist_ok=True)
    copy = folder / page.name
    copy.write_text(measuring_copy(page.path.read_text(encoding="utf-8")), encoding="utf-8")
    widths = sorted({width, DESKTOP_WIDTH})
    iframes = "\n".join(HARNESS_IFRAME.format(src=urllib.parse.quote(page.name), width=w, height=MEASURE_WINDOW_HEIGHT)
                        for w in widths)
    harness = folder / f"harness-{page.name}"
    harness.write_text(HARNESS_PAGE.format(iframes=iframes), encoding="utf-8")
    dom = chromium.dump_dom(harness, sum(widths) + 40, MEASURE_WINDOW_HEIGHT + 100)
    found = HARNESS_RESULT.search(dom)
    reports = json.loads(html.unescape(found.group(1))) if found else {}
    return {int(key): value for key, value in reports.items()}


def check_layout(page, reports, width, report):
    """The page must not scroll sideways at `width`, and no figure may be zero pixels wide."""
    narrow = reports.get(width)
    if narrow is None:
        report.fail(page.name, f"a layout report from the page at {width} px", "none (did the page load?)")
        return False
    passed = True
    if narrow["scrollWidth"] > width:
        widest = f" (first element past the edge: {narrow['widest']})" if narrow["widest"] else ""
        report.fail(page.name, f"no horizontal scrolling at {width} px",
                    f"scroll width {narrow['scrollWidth']} px{widest}")
        passed = False
    for measured in reports.values():
        if measured["brokenFigures"]:
            report.fail(page.name, f"every figure wider than 0 px at {measured['width']} px",
                        f"{measured['brokenFigures']} of {measured['figures']} zero pixels wide")
            passed = False
    return passed


def screenshot_height(reports, width):
    measured = reports.get(width)
    if measured is None:
        return FALLBACK_SCREENSHOT_HEIGHT
    return max(MEASURE_WINDOW_HEIGHT, min(measured["scrollHeight"], MAX_SCREENSHOT_HEIGHT))


def take_screenshots(page, chromium, reports, width, out_directory, report):
    """Full-length screenshots at `width` and DESKTOP_WIDTH; returns their names and sizes."""
    taken = []
    for w in sorted({width, DESKTOP_WIDTH}):
        out_path = out_directory / f"{page.path.stem}-{w}.png"
        height = screenshot_height(reports, w)
        try:
            chromium.screenshot(page.path, w, height, out_path)
        except ChromiumError as error:
            report.fail(page.name, f"a {w}-px screenshot", str(error))
            continue
        cut = " cut" if reports.get(w, {}).get("scrollHeight", 0) > MAX_SCREENSHOT_HEIGHT else ""
        taken.append(f"{out_path.name} ({w}x{height}{cut})")
    return taken


def check_page_in_browser(page, chromium, width, out_directory, report):
    """Returns a description for the page's ok line, or None when a check failed."""
    try:
        reports = measure(page, chromium, width)
    except ChromiumError as error:
        report.fail(page.name, f"chromium to lay the page out at {width} px", str(error))
        return None
    passed = check_layout(page, reports, width, report)
    details = ""
    if width in reports:
        details = f", scroll width {reports[width]['scrollWidth']} px at {width} px"
    if out_directory is not None:
        taken = take_screenshots(page, chromium, reports, width, out_directory, report)
        passed = passed and len(taken) == len({width, DESKTOP_WIDTH})
        details += ", screenshots " + ", ".join(taken)
    return details if passed else None


# The run

def parse_arguments(arguments):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", metavar="DIR", type=pathlib.Path,
                        help="the folder the lessons were exported to (*.ipynb, *.html)")
    parser.add_argument("--screenshots", metavar="OUTDIR", type=pathlib.Path,
                        help="save NAME-WIDTH.png and NAME-1280.png of every page here")
    parser.add_argument("--chromium", metavar="PATH",
                        help=f"the browser to use (default: the first of {', '.join(CHROMIUM_NAMES)} on PATH)")
    parser.add_argument("--width", type=int, default=390,
                        help="the phone width in CSS pixels the pages must fit (default 390)")
    parser.add_argument("--require-all", action="store_true",
                        help="fail (exit 1) rather than exit 77 when nbformat or Chromium is missing")
    return parser.parse_args(arguments)


def usage_error(message):
    print(f"validate.py: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_checks(arguments, chromium_path, work_directory, report):
    directory = arguments.directory
    notebooks = sorted(directory.glob("*.ipynb"))
    pages = sorted(directory.glob("*.html"))

    nbformat = import_nbformat()
    if notebooks and nbformat is None:
        report.missing("nbformat", "the notebook schema check (python module)", NBFORMAT_INSTALL)
    chromium = None
    if pages and chromium_path is None:
        report.missing("chromium", "the layout checks and screenshots", CHROMIUM_INSTALL)
    elif pages:
        chromium = Chromium(chromium_path, work_directory)
        try:
            chromium.start()
            print(f"using {chromium.version} ({chromium_path}, {chromium.headless_flag})")
        except ChromiumError as error:
            report.missing("chromium", "the layout checks and screenshots", f"a Chromium that runs headless: {error}")
            chromium = None

    for path in notebooks:
        check_notebook(path, nbformat, report)

    checked_pages = [page for page in (check_page_text(path, report) for path in pages) if page]
    pages_by_name = {page.name: page for page in checked_pages}
    for page in checked_pages:
        failures_before = report.failures
        check_links(page, pages_by_name, directory, report)
        details = ""
        if chromium is not None:
            started = time.monotonic()
            details = check_page_in_browser(page, chromium, arguments.width, arguments.screenshots, report)
            details = None if details is None else details + f" ({time.monotonic() - started:.1f} s)"
        else:
            details = " (not laid out: no chromium)"
        if details is not None and report.failures == failures_before:
            report.ok(page.name, f"{page.figures} figures{details}")
    return len(notebooks), len(pages)


def main(argv):
    arguments = parse_arguments(argv)
    if not arguments.directory.is_dir():
        return usage_error(f"{arguments.directory} is not a folder")
    if not list(arguments.directory.glob("*.ipynb")) and not list(arguments.directory.glob("*.html")):
        return usage_error(f"no .ipynb or .html files in {arguments.directory}: export the lessons first")
    if arguments.width < 100:
        return usage_error(f"--width {arguments.width} is too narrow to mean anything")
    chromium_path = find_chromium(arguments.chromium)
    if arguments.chromium and chromium_path is None:
        return usage_error(f"--chromium {arguments.chromium}: not an executable file")
    if arguments.screenshots is not None:
        arguments.screenshots.mkdir(parents=True, exist_ok=True)

    report = Report()
    work_directory = pathlib.Path(tempfile.mkdtemp(prefix="validate-notebooks-"))
    try:
        notebook_count, page_count = run_checks(arguments, chromium_path, work_directory, report)
    finally:
        shutil.rmtree(work_directory, ignore_errors=True)

    status = report.exit_status(arguments.require_all)
    summary = f"{notebook_count} notebooks, {page_count} pages: "
    summary += f"{report.failures} failures" if report.failures else "no failures"
    if report.missing_tools:
        summary += f"; not checked for want of {', '.join(report.missing_tools)}"
    print(f"summary: {summary} (exit {status})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
