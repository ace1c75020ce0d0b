"""`cxplan serve`: the per-account build, served with live reload, that never hangs.

The preview is the same one-site-per-account build `cxplan build` makes, into a
temporary folder, so a save rebuilds only the account that changed (and the
portfolio). MkDocs' live-reload server serves that folder and watches the inputs.

A plan saved with an error does not stop the server (MkDocs' own `serve` waits,
"stuck until build errors are resolved", while the browser spins): the last good
site stays served, and every page it serves carries a panel with the problems,
file:line:col, message and hint, its headings in the page's language, until the
file is fixed; each save reloads the browser, so the panel appears and goes by itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.livereload import LiveReloadServer, _timestamp

from cxplan import i18n
from cxplan.diagnostics import Diagnostic, Severity

log = logging.getLogger("mkdocs.cxplan.serve")

_LANG = re.compile(rb'<html[^>]*\slang="([A-Za-z-]+)"')
_BODY = re.compile(rb"<body[^>]*>")


def problems_panel(problems: Sequence[Diagnostic], language: str) -> str:
    """The panel shown on every page while the plans have errors."""
    items = []
    for d in (d.in_language(language) for d in problems):
        hint = (Markup('<br><small>{label} {hint}</small>').format(
            label=i18n.text(language, "publish.serve.hint"), hint=d.hint) if d.hint else "")
        items.append(Markup(
            '<li><code>{path}:{line}:{column}</code> <strong>{severity}[{code}]</strong> '
            '{message}{hint}</li>').format(
            path=d.path, line=d.line, column=d.column, severity=str(d.severity), code=d.code,
            message=d.message, hint=hint))
    return str(Markup(
        '<div id="cxplan-problems" role="alert" style="position:fixed;z-index:1000;left:0;'
        'right:0;bottom:0;max-height:50vh;overflow:auto;padding:.8rem 1.2rem;'
        'background:#fff4f4;color:#611;border-top:3px solid #c62828;'
        'font:14px/1.45 system-ui,sans-serif">'
        '<strong>{title}</strong> {lead}<ul style="margin:.4rem 0 0 1.2rem">{items}</ul></div>'
    ).format(title=i18n.text(language, "publish.serve.title"),
             lead=i18n.text(language, "publish.serve.lead"), items=Markup("").join(items)))


def write_editions_index(site: Path, editions: Sequence[tuple[str, str]], language: str) -> None:
    """The preview's home page of a customer build: a link to each account's edition
    (`<id>/`). A customer build has no page at its root (each edition is shared on its
    own), so the preview would answer 404 there; this page is written into the
    preview's temporary folder only, never into a `cxplan build` output."""
    items = Markup("").join(
        Markup('<li><a href="{id}/">{name}</a></li>').format(id=plan_id, name=name)
        for plan_id, name in editions)
    title = i18n.text(language, "publish.serve.editions_title")
    (site / "index.html").write_text(str(Markup(
        '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><title>{title}</title></head>'
        '<body style="font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem;'
        'padding:0 1rem"><h1>{title}</h1><p>{lead}</p><ul>{items}</ul></body></html>\n'
    ).format(lang=language, title=title, lead=i18n.text(language, "publish.serve.editions_lead"),
             items=items)), encoding="utf-8")


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server with the problems panel injected into each page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[Diagnostic] = []
        self._lock = threading.Lock()

    def show_now(self) -> None:
        """Serve what is built so far and reload the browsers, before the rebuild ends:
        the saved plan's pages first, the portfolio when it follows. (MkDocs holds
        every page request while a build runs, and reloads once at its end.)"""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch = _timestamp()
            self._epoch_cond.notify_all()

    def set_problems(self, problems: Sequence[Diagnostic]) -> None:
        with self._lock:
            self.problems = list(problems)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        with self._lock:
            problems = list(self.problems)
        if not problems:
            return content
        lang = _LANG.search(content)
        language = lang.group(1).decode().split("-")[0] if lang else i18n.DEFAULT_LANGUAGE
        panel = problems_panel(problems, language).encode()
        body = _BODY.search(content)
        at = body.end() if body else 0
        return content[:at] + panel + content[at:]


def serve(
    *,
    check: Callable[[], tuple[list[Diagnostic], Any]],
    build: Callable[[Any, Path], None],
    watch: Sequence[Path],
    host: str,
    port: int,
    build_first: Callable[[Path], bool] | None = None,
) -> None:
    """Serve until interrupted. `check()` gives (diagnostics, checked workspace or
    None when there are errors); `build(checked, site_dir)` builds the site there;
    `build_first(site_dir)`, if given, puts the pages of what changed in place before
    the whole workspace is checked and built (True when it did: they are shown
    before `check` and `build` finish)."""
    _stop_on_sigterm()
    folder = Path(tempfile.mkdtemp(prefix="cxplan-serve-"))
    try:
        _serve_from(folder, check=check, build=build, watch=watch, host=host, port=port,
                    build_first=build_first)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stop_on_sigterm() -> None:
    """End on SIGTERM as on Ctrl-C. SIGTERM is how `kill`, systemd, Docker and CI
    stop a process; without this the preview's folder (a whole built site, hundreds
    of megabytes for a large portfolio) stayed behind in the temporary directory."""
    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def _serve_from(
    folder: Path,
    *,
    check: Callable[[], tuple[list[Diagnostic], Any]],
    build: Callable[[Any, Path], None],
    watch: Sequence[Path],
    host: str,
    port: int,
    build_first: Callable[[Path], bool] | None,
) -> None:
    site = folder / "site"
    _diagnostics, checked = check()
    if checked is None:
        raise RuntimeError("serve needs a valid workspace to start")
    build(checked, site)

    def rebuild() -> None:
        started = dt.datetime.now()
        try:
            if build_first is not None and build_first(site):
                server.set_problems([])
                server.show_now()
        except Exception as exc:  # the full check and build below say what is wrong
            log.error("cxplan: %s", exc)
        diagnostics, checked = check()
        errors = [d for d in diagnostics if d.severity == Severity.ERROR]
        if checked is None:
            server.set_problems(errors)
            log.warning("cxplan: %d error(s); serving the last good site", len(errors))
            return
        try:
            build(checked, site)
        except Exception as exc:  # the build's own message; the last good site stays
            server.set_problems([Diagnostic("mkdocs.yml", 1, 1, Severity.ERROR, "build",
                                            str(exc).splitlines()[0] if str(exc) else "")])
            log.error("cxplan: %s", exc)
            return
        server.set_problems([])
        server.show_now()
        log.info("cxplan: rebuilt in %.1f s", (dt.datetime.now() - started).total_seconds())

    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(site))
    for path in watch:
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
