"""The review pack as a PDF, printed by headless Chromium (the browser's own print).

Chromium is found as `CXPLAN_CHROMIUM` or on the PATH (`chromium`, `chromium-browser`,
`google-chrome`); Debian's `chromium` package is what the set-up scripts install. The
pack's Markdown becomes sanitised HTML (`md_to_safe_html`) on an A4 page with the
print rules of the site's stylesheet: nothing of the page is fetched from anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from markupsafe import escape

from cxplan.render.text import md_to_safe_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT = 120

PRINT_CSS = """
@page { size: A4; margin: 15mm 12mm; }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1 { font-size: 18pt; } h3 { font-size: 13pt; margin-top: 1.2em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; }
tr, img, svg, li { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
"""


class PdfError(Exception):
    """No PDF could be made; the message says why and what to install."""


def find_chromium() -> str | None:
    named = os.environ.get("CXPLAN_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def review_html(markdown_text: str, title: str, language: str) -> str:
    body = md_to_safe_html(markdown_text)
    return (f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")


def review_pdf(markdown_text: str, title: str, language: str) -> bytes:
    browser = find_chromium()
    if browser is None:
        raise PdfError("no Chromium to print with: install it (Debian: apt-get install "
                       "chromium) or set CXPLAN_CHROMIUM to its path")
    with tempfile.TemporaryDirectory(prefix="cxplan-review-") as folder:
        page = Path(folder) / "review.html"
        out = Path(folder) / "review.pdf"
        page.write_text(review_html(markdown_text, title, language), encoding="utf-8")
        command = [browser, "--headless", "--disable-gpu", "--no-pdf-header-footer",
                   "--disable-background-networking", "--no-first-run",
                   f"--user-data-dir={folder}/profile", f"--print-to-pdf={out}",
                   page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses its sandbox as root
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PdfError(f"Chromium could not run: {exc}") from None
        if not out.is_file():
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise PdfError(f"Chromium made no PDF: {reason[0]}")
        return out.read_bytes()
