"""What the browser tests share: Debian's headless Chromium driven by Playwright, a
page that records its console errors and requests, and a quiet local HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path, path: str = "",
          handler: type[http.server.SimpleHTTPRequestHandler] = _Quiet) -> Iterator[str]:
    """`directory` served on 127.0.0.1 (a free port) by `handler`; yields its base URL
    with `path` (a sub-folder such as `cx/`) after it."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{path}"
    finally:
        server.shutdown()
        server.server_close()


def build_editions(config: Path, into: Path, as_of: str = "2026-11-23") -> None:
    """`cxplan build` of the team site into `into/team` and of the customer editions
    into `into/customers`."""
    from click.testing import CliRunner

    from cxplan.cli import cli

    for audience, folder in (("team", "team"), ("customer", "customers")):
        result = CliRunner().invoke(
            cli, ["build", "--config", str(config), "--as-of", as_of,
                  "--audience", audience, "--site-dir", str(into / folder)],
            standalone_mode=False)
        assert result.return_value == 0, result.output


@contextmanager
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page with every console error and every request it made recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def other_hosts(self, base_url: str) -> list[str]:
        ours = urlsplit(base_url).netloc
        return [u for u in self.requests
                if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                and urlsplit(u).netloc != ours]
