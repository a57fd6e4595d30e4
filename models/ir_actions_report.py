# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PDF reports printed with headless Chromium.

Debian's wkhtmltopdf (0.12.6 on an unpatched Qt) fails on multi-document jobs,
ignores ``--header-html``/``--footer-html`` and lays Chinese out badly. When a
Chromium binary is found (or the system parameter ``crm_360.pdf_engine`` says
``chromium``), every report body is printed by Chromium through the DevTools
protocol (``Page.printToPDF``) with Odoo's header and footer as Chromium's
header and footer templates, and the documents are concatenated into one PDF.
"""

import base64
import io
import json
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time

import lxml.html
from lxml import etree

from odoo import api, models
from odoo.exceptions import UserError
from odoo.http import request, root
from odoo.service import security
from odoo.tools.pdf import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfFileReader,
    PdfFileWriter,
    create_string_object,
)

from odoo.addons.base.models.report_paperformat import PAPER_SIZES

try:
    import websocket  # websocket-client, installed by tools/setup.sh
except ImportError:  # pragma: no cover - the setup installs it
    websocket = None

_logger = logging.getLogger(__name__)

PDF_ENGINE_PARAM = "crm_360.pdf_engine"
PDF_ENGINES = ("chromium", "wkhtmltopdf")
CHROMIUM_BINARIES = ("chromium", "chromium-browser", "google-chrome")
# seconds: start of the browser, then each document (load + print)
CHROMIUM_START_TIMEOUT = 30
CHROMIUM_DOCUMENT_TIMEOUT = 120
MM_PER_INCH = 25.4
# An empty page of ours, opened before printing (see enter_origin)
PRINT_ORIGIN_PATH = "/crm_360/static/src/report/print_origin.html"
HEADERS_ID = "minimal_layout_report_headers"
FOOTERS_ID = "minimal_layout_report_footers"

# Simplified Chinese first for zh_CN (Chromium otherwise falls back on the
# Japanese variant of the CJK font), and whole words in table headers.
CJK_CSS = {
    "zh-Hans": (
        'html:lang(zh-Hans) body { font-family: "Lato", "Noto Sans CJK SC", '
        '"Noto Sans SC", "Source Han Sans SC", sans-serif; }\n'
        "html:lang(zh-Hans) .o_serif, html:lang(zh-Hans) .font-serif { font-family: "
        '"Noto Serif CJK SC", "Source Han Serif SC", serif; }\n'
    ),
    "zh-Hant": (
        'html:lang(zh-Hant) body { font-family: "Lato", "Noto Sans CJK TC", '
        '"Noto Sans TC", sans-serif; }\n'
    ),
}
# wkhtmltopdf lays the page out on a wide viewport and shrinks it; Chromium prints
# at the paper's width, where Bootstrap's .container would narrow the body.
BODY_CSS = "body.o_body_pdf.container { max-width: none; width: 100%; }\n"
TEMPLATE_FONT_SIZE = "12px"
CJK_TABLE_CSS = "table th, table td > strong, table td > b { word-break: keep-all; }\n"
TEMPLATE_FONTS = {
    "zh-Hans": '"Lato", "Noto Sans CJK SC", "Noto Sans SC", sans-serif',
    "zh-Hant": '"Lato", "Noto Sans CJK TC", "Noto Sans TC", sans-serif',
}
DEFAULT_TEMPLATE_FONT = '"Lato", "Noto Sans", "DejaVu Sans", sans-serif'

# Wait for a page to be loaded.
WAIT_LOADED_JS = """
new Promise((resolve) => {
    if (document.readyState === 'complete') {
        resolve(true);
    } else {
        window.addEventListener('load', () => resolve(true));
    }
})
"""

# Wait for the stylesheets, images and fonts of the document before printing.
WAIT_READY_JS = """
new Promise((resolve) => {
    const loaded = (el) => new Promise((done) => {
        const link = el.tagName === 'LINK' && el.sheet;
        if (link || (el.tagName === 'IMG' && el.complete)) {
            done();
        } else {
            el.addEventListener('load', done);
            el.addEventListener('error', done);
        }
    });
    // Web fonts load only once the layout uses them: lay the page out, then
    // wait for the fonts it asked for (else the PDF falls back on system fonts).
    const fonts = () => {
        void document.body.offsetHeight;
        return document.fonts.ready;
    };
    const ready = () => Promise.all(
        Array.from(document.querySelectorAll('link[rel=stylesheet], img')).map(loaded)
    ).then(fonts).then(() => resolve(true));
    if (document.readyState === 'complete') {
        ready();
    } else {
        window.addEventListener('load', ready);
    }
})
"""


def _html_lang(lang):
    """BCP 47 language of an Odoo language code (zh_CN -> zh-Hans)."""
    if not lang:
        return ""
    if lang in ("zh_CN", "zh_SG"):
        return "zh-Hans"
    if lang in ("zh_TW", "zh_HK"):
        return "zh-Hant"
    return lang.replace("_", "-").split("@")[0]


def _lift_memory_limit():
    """Chromium's V8 reserves more virtual memory than Odoo's limit_memory_hard
    (an RLIMIT_AS the server sets on itself): without this it dies at start."""
    if os.name == "posix":
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class ChromiumError(Exception):
    """Chromium could not print: turned into a UserError for the user."""


class ChromiumPdfPrinter:
    """One headless Chromium, driven through the DevTools protocol."""

    def __init__(self, binary):
        self.binary = binary
        self.tmp_dir = None
        self.process = None
        self.ws = None
        self.session_id = None
        self.next_id = 0

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self):
        if websocket is None:
            raise ChromiumError("the Python package websocket-client is missing")
        self.tmp_dir = tempfile.mkdtemp(prefix="crm_360_chromium.")
        stderr_path = os.path.join(self.tmp_dir, "stderr.log")
        with open(stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
                [
                    self.binary,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--disable-dev-shm-usage",
                    "--hide-scrollbars",
                    "--remote-debugging-port=0",
                    "--user-data-dir={}".format(os.path.join(self.tmp_dir, "profile")),
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                close_fds=True,
                start_new_session=True,
                # pylint: disable=subprocess-popen-preexec-fn
                preexec_fn=_lift_memory_limit,
            )
        ws_url = None
        deadline = time.monotonic() + CHROMIUM_START_TIMEOUT
        while not ws_url:
            with open(stderr_path, encoding="utf-8", errors="replace") as stderr:
                match = re.search(r"DevTools listening on (ws://\S+)", stderr.read())
            if match:
                ws_url = match.group(1)
            elif self.process.poll() is not None:
                raise ChromiumError(
                    f"Chromium exited with code {self.process.returncode}"
                )
            elif time.monotonic() > deadline:
                raise ChromiumError("Chromium did not start in time")
            else:
                time.sleep(0.1)
        self.ws = websocket.create_connection(
            ws_url, timeout=CHROMIUM_DOCUMENT_TIMEOUT, suppress_origin=True
        )
        target_id = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session_id = self.call(
            "Target.attachToTarget", targetId=target_id, flatten=True
        )["sessionId"]
        self.call("Page.enable", session=True)

    def call(self, method, session=False, timeout=CHROMIUM_DOCUMENT_TIMEOUT, **params):
        """Send one DevTools command and return its result (events are skipped)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session_id
        deadline = time.monotonic() + timeout
        try:
            self.ws.send(json.dumps(message))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ChromiumError(f"{method} timed out")
                self.ws.settimeout(remaining)
                answer = json.loads(self.ws.recv())
                if answer.get("id") == self.next_id:
                    break
        except (websocket.WebSocketException, OSError, ValueError) as error:
            raise ChromiumError(f"{method}: {error}") from error
        if "error" in answer:
            raise ChromiumError(
                "{}: {}".format(method, answer["error"].get("message", answer["error"]))
            )
        return answer.get("result", {})

    def set_cookie(self, name, value, url):
        self.call(
            "Network.setCookie",
            session=True,
            name=name,
            value=value,
            url=url,
            httpOnly=True,
        )

    def enter_origin(self, url):
        """Open ``url`` so that the documents printed next have the server's
        origin: web fonts load only from the page's own origin (CORS), unlike
        stylesheets and images."""
        result = self.call("Page.navigate", session=True, url=url)
        if result.get("errorText"):
            raise ChromiumError(f"{url}: {result['errorText']}")
        self.call(
            "Runtime.evaluate",
            session=True,
            expression=WAIT_LOADED_JS,
            awaitPromise=True,
            returnByValue=True,
        )

    def print_pdf(self, html, options):
        """Load ``html`` in the page and print it; return the PDF bytes."""
        frame_id = self.call("Page.getFrameTree", session=True)["frameTree"]["frame"][
            "id"
        ]
        self.call("Page.setDocumentContent", session=True, frameId=frame_id, html=html)
        result = self.call(
            "Runtime.evaluate",
            session=True,
            expression=WAIT_READY_JS,
            awaitPromise=True,
            returnByValue=True,
        )
        if result.get("exceptionDetails"):
            raise ChromiumError("the document could not be loaded")
        result = self.call("Page.printToPDF", session=True, **options)
        return base64.b64decode(result["data"])

    def close(self):
        """Stop Chromium and its children (its own process group), then remove
        its profile; never raises."""
        if self.ws is not None:
            try:
                self.call("Browser.close", timeout=5)
            except ChromiumError:
                _logger.debug("Browser.close failed", exc_info=True)
            try:
                self.ws.close()
            except Exception:  # noqa: BLE001 - closing a dead socket
                _logger.debug("closing the DevTools socket failed", exc_info=True)
            self.ws = None
        if self.process is not None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    _logger.warning("Chromium (pid %s) did not stop", self.process.pid)
            try:
                # renderers and zygotes left behind by the browser process
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                _logger.debug("Chromium's process group is already gone")
            self.process = None
        if self.tmp_dir:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
            self.tmp_dir = None


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _crm_360_chromium_bin(self):
        for name in CHROMIUM_BINARIES:
            path = shutil.which(name)
            if path:
                return path
        return None

    @api.model
    def _crm_360_pdf_engine(self):
        """``chromium`` or ``wkhtmltopdf``: the system parameter when valid and
        possible, else Chromium when it is installed."""
        wanted = (
            self.env["ir.config_parameter"].sudo().get_param(PDF_ENGINE_PARAM) or ""
        )
        wanted = wanted.strip().lower()
        if wanted == "wkhtmltopdf":
            return "wkhtmltopdf"
        if wanted and wanted not in PDF_ENGINES:
            _logger.warning(
                "Unknown value %r of %s, using the default PDF engine",
                wanted,
                PDF_ENGINE_PARAM,
            )
        # Without websocket-client (not in Odoo's own requirements) Chromium
        # cannot be driven: Odoo's engine then prints as before.
        if websocket is not None and self._crm_360_chromium_bin():
            return "chromium"
        return "wkhtmltopdf"

    @api.model
    def get_wkhtmltopdf_state(self):
        if self._crm_360_pdf_engine() == "chromium":
            return "ok"
        return super().get_wkhtmltopdf_state()

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        if self._crm_360_pdf_engine() != "chromium":
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        paperformat = (
            self._get_report(report_ref).get_paperformat()
            if report_ref
            else self.get_paperformat()
        )
        return self._crm_360_run_chromium(
            bodies,
            paperformat,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args or {},
        )

    # ------------------------------------------------------------------
    # Chromium
    # ------------------------------------------------------------------

    @api.model
    def _crm_360_print_options(self, paperformat, landscape, args):
        """Page.printToPDF parameters of a paperformat (mm -> inches)."""
        if landscape is None and args.get("data-report-landscape"):
            landscape = args["data-report-landscape"]
        width, height = 210.0, 297.0
        margins = {"top": 40.0, "bottom": 20.0, "left": 7.0, "right": 7.0}
        if paperformat:
            if paperformat.format == "custom":
                width = paperformat.page_width or width
                height = paperformat.page_height or height
            elif paperformat.format:
                size = next(
                    (ps for ps in PAPER_SIZES if ps["key"] == paperformat.format), None
                )
                if size:
                    width, height = size["width"], size["height"]
            margins = {
                "top": paperformat.margin_top,
                "bottom": paperformat.margin_bottom,
                "left": paperformat.margin_left,
                "right": paperformat.margin_right,
            }
            if not landscape and paperformat.orientation == "Landscape":
                landscape = True
        for side in ("top", "bottom"):
            value = args.get(f"data-report-margin-{side}")
            if value:
                try:
                    margins[side] = float(value)
                except ValueError:
                    _logger.debug("ignored data-report-margin-%s=%r", side, value)
        return {
            "landscape": bool(landscape),
            "paperWidth": width / MM_PER_INCH,
            "paperHeight": height / MM_PER_INCH,
            "marginTop": max(margins["top"], 0) / MM_PER_INCH,
            "marginBottom": max(margins["bottom"], 0) / MM_PER_INCH,
            "marginLeft": max(margins["left"], 0) / MM_PER_INCH,
            "marginRight": max(margins["right"], 0) / MM_PER_INCH,
            "printBackground": True,
            "preferCSSPageSize": False,
            "transferMode": "ReturnAsBase64",
        }

    @api.model
    def _crm_360_report_css(self):
        """CSS of the report bundle, inlined in header and footer templates
        (Chromium loads nothing for them)."""
        try:
            bundle = (
                self.env["ir.qweb"]
                .sudo()
                ._get_asset_bundle("web.report_assets_common", js=False)
            )
            css = bundle.css()
            text = css.raw.decode() if css else ""
        except Exception:  # noqa: BLE001 - a header without style still prints
            _logger.warning("report CSS not available for headers", exc_info=True)
            return ""
        # web fonts and images cannot load in a template: drop them
        text = re.sub(r"@font-face\s*{[^}]*}", "", text)
        return text.replace("</style", "<\\/style")

    @api.model
    def _crm_360_template(self, html, index, node_id, css, lang, margins):
        """Chromium header/footer template of document ``index``."""
        if not html:
            return "<span></span>"
        tree = lxml.html.fromstring(html)
        container = tree.xpath(f"//*[@id={node_id!r}]")
        children = container[0].getchildren() if container else []
        if not children:
            return "<span></span>"
        node = children[index] if index < len(children) else children[-1]
        for span in node.xpath(".//*[contains(concat(' ', @class, ' '), ' page ')]"):
            span.set("class", "pageNumber")
        for span in node.xpath(".//*[contains(concat(' ', @class, ' '), ' topage ')]"):
            span.set("class", "totalPages")
        body = etree.tostring(node, encoding="unicode", method="html")
        # Odoo's margins in CSS (paperformat css_margins) come with the body classes
        body_node = tree.find("body")
        classes = [
            klass
            for klass in (
                body_node.get("class", "") if body_node is not None else ""
            ).split()
            if klass not in ("container", "overflow-hidden")
        ]
        padding = ""
        if margins["left"] or margins["right"]:
            padding = f"padding: 0 {margins['right']:.2f}mm 0 {margins['left']:.2f}mm; "
        font = TEMPLATE_FONTS.get(lang, DEFAULT_TEMPLATE_FONT).replace('"', "'")
        return (
            f'<div lang="{lang or "en"}" class="{" ".join(classes)}" '
            f'style="width: 100%; box-sizing: border-box; {padding}'
            f"font-size: {TEMPLATE_FONT_SIZE}; font-family: {font}; "
            '-webkit-print-color-adjust: exact; print-color-adjust: exact;">'
            f"<style>{css}\n"
            f"html, body {{ font-size: {TEMPLATE_FONT_SIZE}; }}\n"
            ".header img, .footer img { max-height: 12mm; }\n"
            ".pageNumber, .totalPages { font-size: inherit; }</style>"
            f"{body}</div>"
        )

    @api.model
    def _crm_360_prepare_body(self, body):
        """Language and CJK fonts of one report body."""
        tree = lxml.html.fromstring(body)
        article = tree.xpath("//*[@data-oe-lang]")
        lang = _html_lang(
            (article and article[0].get("data-oe-lang"))
            or self.env.context.get("lang")
            or self.env.user.lang
        )
        html_node = tree if tree.tag == "html" else tree.getroottree().getroot()
        if lang:
            html_node.set("lang", lang)
        head = html_node.find("head")
        if head is None:
            head = etree.Element("head")
            html_node.insert(0, head)
        style = etree.SubElement(head, "style")
        style.text = BODY_CSS
        if lang in CJK_CSS:
            style.text += CJK_CSS[lang] + CJK_TABLE_CSS
        html = "<!DOCTYPE html>\n" + lxml.html.tostring(html_node, encoding="unicode")
        return html, lang

    @api.model
    def _crm_360_run_chromium(
        self, bodies, paperformat, header, footer, landscape, specific_paperformat_args
    ):
        binary = self._crm_360_chromium_bin()
        if not binary:
            raise UserError(
                self.env._(
                    "Chromium is not installed on the server, so the PDF cannot be "
                    "printed. Ask your administrator to install it or to set the "
                    "system parameter %(param)s to wkhtmltopdf.",
                    param=PDF_ENGINE_PARAM,
                )
            )
        options = self._crm_360_print_options(
            paperformat, landscape, specific_paperformat_args
        )
        margins = {
            side: options[f"margin{side.title()}"] * MM_PER_INCH
            for side in ("left", "right")
        }
        css = self._crm_360_report_css() if header or footer else ""
        temp_session = None
        writer = PdfFileWriter()
        starts = []
        page_count = 0
        try:
            with ChromiumPdfPrinter(binary) as printer:
                if request and request.db:
                    # the user's session, so that the report's links resolve
                    temp_session = root.session_store.new()
                    temp_session.update(
                        {**request.session, "debug": "", "_trace_disable": True}
                    )
                    if temp_session.uid:
                        temp_session.session_token = security.compute_session_token(
                            temp_session, self.env
                        )
                    root.session_store.save(temp_session)
                    printer.set_cookie(
                        "session_id", temp_session.sid, self._get_report_url()
                    )
                try:
                    printer.enter_origin(self._get_report_url() + PRINT_ORIGIN_PATH)
                except ChromiumError as error:
                    # the server is not reachable: no web fonts, the rest prints
                    _logger.info("printing without the server's origin: %s", error)
                for index, body in enumerate(bodies):
                    html, lang = self._crm_360_prepare_body(body)
                    doc_options = dict(options)
                    header_template = self._crm_360_template(
                        header,
                        index,
                        "minimal_layout_report_headers",
                        css,
                        lang,
                        margins,
                    )
                    footer_template = self._crm_360_template(
                        footer,
                        index,
                        "minimal_layout_report_footers",
                        css,
                        lang,
                        margins,
                    )
                    doc_options.update(
                        displayHeaderFooter=bool(header or footer),
                        headerTemplate=header_template,
                        footerTemplate=footer_template,
                    )
                    pdf = printer.print_pdf(html, doc_options)
                    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
                    starts.append(page_count)
                    for page in range(reader.getNumPages()):
                        writer.addPage(reader.getPage(page))
                        page_count += 1
        except ChromiumError as error:
            _logger.warning("Chromium could not print the report: %s", error)
            raise UserError(
                self.env._(
                    "The PDF could not be printed by Chromium (%(error)s). Try again "
                    "with fewer records, or ask your administrator to check the "
                    "server's Chromium.",
                    error=str(error),
                )
            ) from error
        except OSError as error:
            _logger.warning("Chromium could not be started: %s", error)
            raise UserError(
                self.env._(
                    "The PDF could not be printed: Chromium could not be started "
                    "(%(error)s).",
                    error=str(error),
                )
            ) from error
        finally:
            if temp_session:
                root.session_store.delete(temp_session)
        if len(starts) > 1:
            self._crm_360_add_outlines(writer, starts)
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    @api.model
    def _crm_360_add_outlines(self, writer, starts):
        """One top-level outline per document, in the shape Odoo reads to split a
        multi-record PDF into one attachment per record (named destinations in
        the catalog's /Dests whose first item is the first page's index), as
        wkhtmltopdf's outlines are read in _render_qweb_pdf_prepare_streams."""
        dests = DictionaryObject()
        outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
        outlines_ref = writer._add_object(outlines)
        items = []
        for index, start in enumerate(starts):
            name = NameObject(f"/crm_360_document_{index + 1}")
            dests[name] = ArrayObject([NumberObject(start), NameObject("/Fit")])
            item = DictionaryObject(
                {
                    NameObject("/Title"): create_string_object(
                        self.env._("Document %(number)s", number=index + 1)
                    ),
                    NameObject("/Parent"): outlines_ref,
                    NameObject("/Dest"): name,
                }
            )
            items.append((item, writer._add_object(item)))
        for index in range(len(items) - 1):
            items[index][0][NameObject("/Next")] = items[index + 1][1]
            items[index + 1][0][NameObject("/Prev")] = items[index][1]
        outlines[NameObject("/First")] = items[0][1]
        outlines[NameObject("/Last")] = items[-1][1]
        outlines[NameObject("/Count")] = NumberObject(len(items))
        writer._root_object[NameObject("/Outlines")] = outlines_ref
        writer._root_object[NameObject("/Dests")] = writer._add_object(dests)
