"""The sealed team site (`cxplan build --seal-with-env VAR`), for hosts that cannot
restrict who reads them: no file of the site holds the plan's text (every file walked,
compressed ones opened), and in a real browser (Debian's Chromium, the site served on
127.0.0.1 under a sub-path, unknown addresses answered with its 404.html as GitHub Pages
or nginx's `error_page` do) a wrong password is told and keeps it locked, the right one
opens the page a deep link pointed at, the overview, Material's search and a .csv
download."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from browser_helpers import Watched, _Quiet, chromium, serve
from click.testing import CliRunner
from cryptography.exceptions import InvalidTag
from mkdocs.__main__ import cli as mkdocs_cli
from playwright.sync_api import Browser, Route
from site_helpers import EXAMPLES, MKDOCS_YML, make_workspace

from cxplan import i18n
from cxplan.cli import cli
from cxplan.publish import sealed
from cxplan.publish.accounts import MANIFEST

VARIABLE = "CXPLAN_TEST_SITE_PASSWORD"
PASSWORD = "correct horse battery staple"
PLAN = "northwind-logistics"
SUBPATH = "cx"


def canaries() -> dict[str, str]:
    """Distinctive texts of the example plans, read from the plans themselves."""
    found: dict[str, str] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        stem = path.stem
        found[f"{stem}: plan title"] = data["plan"]["title"]
        found[f"{stem}: stakeholder"] = data["stakeholders"][0]["name"]
        found[f"{stem}: KPI"] = data["kpis"][0]["name"]
        title = data["actions"][0]["title"]
        found[f"{stem}: action"] = re.split(r"[^\w ,.-]", title)[0].strip()
    found["customer name"] = "Northwind"
    return found


def benchmark_action() -> str:
    data = yaml.safe_load((EXAMPLES / f"{PLAN}.yaml").read_text(encoding="utf-8"))
    (title,) = [a["title"] for a in data["actions"] if "benchmark" in a["title"]]
    return str(title)


def build(workspace: Path, out: Path, *extra: str, env: dict[str, str] | None = None
          ) -> tuple[int, str]:
    result = CliRunner(env={VARIABLE: PASSWORD} if env is None else env).invoke(
        cli, ["build", "--config", str(workspace / "mkdocs.yml"), "--as-of", "2026-11-23",
              "--site-dir", str(out), *extra], standalone_mode=False)
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.output


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workspace sealed at www/cx/."""
    workspace = make_workspace(tmp_path_factory.mktemp("sealed") / "ws")
    www = workspace.parent / "www"
    code, output = build(workspace, www / SUBPATH, "--seal-with-env", VARIABLE)
    assert code == 0, output
    return www


def every_file(site: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            yield path, data
            if data[:2] == b"\x1f\x8b":
                # A sealed file is random bytes: one in 65,536 starts as gzip does.
                try:
                    unpacked = gzip.decompress(data)
                except gzip.BadGzipFile:
                    continue
                yield path, unpacked


def test_no_file_of_the_sealed_site_holds_the_plans_text(www: Path) -> None:
    site = www / SUBPATH
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    stored = {n for n in names if n.startswith("sealed/")}
    assert names - stored == {"index.html", "404.html", "cxplan-seal.json", "cxplan-sw.js"}
    assert all(re.fullmatch(r"sealed/[0-9a-f]{64}", n) for n in stored)
    assert len(stored) > 200
    texts = canaries()
    for path, data in every_file(site):
        low = data.lower()
        for what, text in texts.items():
            assert text.lower().encode("utf-8") not in low, (what, path)
        assert PLAN.encode() not in low and PASSWORD.encode() not in low, path
    seal = sealed.read_seal(site)
    assert seal["kdf"] == {"name": "PBKDF2", "hash": "SHA-256", "iterations": 600_000}


def test_the_sealed_files_are_the_site_under_the_right_password(www: Path) -> None:
    """The same files opened with the keys the unlock page derives: the whole site is
    there (pages, search index, sitemap, calendar, spreadsheet, pictures), each file
    under its own path only, and another password opens none of them."""
    site = www / SUBPATH
    keys = sealed.keys_of(site, PASSWORD)
    html = "text/html; charset=utf-8"
    wanted = {
        "index.html": html,
        f"plans/{PLAN}/index.html": html,
        f"plans/{PLAN}/kpis/index.html": html,
        f"plans/{PLAN}/search/search_index.json": "application/json",
        f"plans/{PLAN}/{PLAN}.csv": "text/csv; charset=utf-8",
        f"plans/{PLAN}/{PLAN}.ics": "text/calendar; charset=utf-8",
        "sitemap.xml.gz": "application/gzip",
        "assets/images/favicon.png": "image/png",
    }
    opened: dict[str, bytes] = {}
    for path, kind in wanted.items():
        data = (site / "sealed" / sealed.sealed_name(keys, path)).read_bytes()
        got, body = sealed.open_file(keys, path, data)
        assert got == kind, path
        opened[path] = body
    # What the first test looked for is there, once opened: its absence meant something.
    plain = b"".join(opened.values())
    for what, text in canaries().items():
        if what.startswith(PLAN):
            assert text.encode("utf-8") in plain, what
    assert json.loads(opened[f"plans/{PLAN}/search/search_index.json"])["docs"]
    assert gzip.decompress(opened["sitemap.xml.gz"]).startswith(b"<?xml")
    data = (site / "sealed" / sealed.sealed_name(keys, "index.html")).read_bytes()
    with pytest.raises(InvalidTag):
        sealed.open_file(keys, "404.html", data)  # a file cannot pass for another
    with pytest.raises(InvalidTag):
        sealed.open_file(sealed.keys_of(site, PASSWORD + "!"), "index.html", data)


def test_a_sealed_build_needs_its_password_from_the_environment(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    out = tmp_path / "out"
    code, output = build(workspace, out, "--seal-with-env", VARIABLE, env={})
    assert code == 1 and f"environment variable {VARIABLE} is not set" in output
    code, output = build(workspace, out, "--seal-with-env", VARIABLE,
                         env={VARIABLE: "short"})
    assert code == 1 and "5 characters; a sealed site needs at least 12" in output
    code, output = build(workspace, out, "--seal-with-env", VARIABLE, "--audience",
                         "customer")
    assert code == 1 and "team site only" in output
    assert not out.exists()
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))
    code, output = build(workspace, workspace / "docs", "--seal-with-env", VARIABLE)
    assert code == 1 and "is the docs folder" in output and "nothing was written" in output
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before
    # The workspace option says the same as the command-line option.
    yml = (workspace / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - cxplan\n", f"  - cxplan:\n      seal_password_env: {VARIABLE}\n")
    (workspace / "mkdocs.yml").write_text(yml, encoding="utf-8")
    code, output = build(workspace, out, env={})
    assert code == 1 and f"environment variable {VARIABLE} is not set" in output
    assert "Traceback" not in output
    # The option is the team site's: customer editions are still built, in clear.
    code, output = build(workspace, tmp_path / "editions", "--audience", "customer",
                         "--plan", PLAN, env={})
    assert code == 0, output
    assert "Northwind" in (tmp_path / "editions" / PLAN / "index.html").read_text("utf-8")
    # ... and MkDocs' own command line refuses to publish that workspace in clear.
    for command in ("build", "gh-deploy"):
        result = CliRunner().invoke(mkdocs_cli, [command, "-f", str(workspace / "mkdocs.yml"),
                                                 "-d", str(out)])
        assert result.exit_code == 1, result.output
        assert f"mkdocs {command} would publish this site in clear" in result.output
        assert not out.exists()


class _SiteHost(_Quiet):
    """A static host that answers an unknown address with the site's 404.html, as
    GitHub Pages, GitLab Pages and nginx's `error_page 404` do."""

    site: Path = Path()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        path = unquote(urlsplit(self.path).path)
        if code != 404 or not path.startswith(f"/{SUBPATH}/"):
            super().send_error(code, message, explain)
            return
        body = (self.site / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def hosting(www: Path) -> Iterator[str]:
    """`www` served on 127.0.0.1 (a secure context for the service worker); yields the
    sealed site's address, `/cx/`."""
    handler_class = type("Host", (_SiteHost,), {"site": www / SUBPATH})
    with serve(www, f"{SUBPATH}/", handler_class) as address:
        yield address


@pytest.fixture(scope="module")
def base_url(www: Path) -> Iterator[str]:
    with hosting(www) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_the_browser_opens_the_sealed_site_with_its_password_only(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    page = watched.page
    labels = i18n.labels("en")
    texts = canaries()
    # A deep link, first visit: the host's 404.html is the unlock page.
    response = page.goto(base_url + f"plans/{PLAN}/actions/", wait_until="networkidle")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == labels["seal.title"]
    page.fill("#cx-password", "not the password at all")
    page.click("#cx-submit")
    page.wait_for_function(
        "t => document.getElementById('cx-message').textContent === t", arg=labels["seal.wrong"],
        timeout=30_000)
    body = page.content()
    assert all(text not in body for text in texts.values())
    assert page.evaluate("navigator.serviceWorker.controller") is None
    # The right password: the page the link pointed at, in clear.
    page.fill("#cx-password", PASSWORD)
    with page.expect_navigation(timeout=30_000):
        page.click("#cx-submit")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == f"/{SUBPATH}/plans/{PLAN}/actions/"
    assert page.locator("article h1").first.inner_text() == "Actions: Northwind Logistics"
    action = benchmark_action()
    assert action in page.locator("article").inner_text()
    # The overview, and its downloads fetched as its links lead: in clear, typed.
    page.goto(base_url + f"plans/{PLAN}/", wait_until="networkidle")
    assert page.locator("article h1").first.inner_text() == texts[f"{PLAN}: plan title"]
    assert texts[f"{PLAN}: stakeholder"] in page.locator("article").inner_text()
    fetched = {}
    for suffix in (".csv", ".ics"):
        href = page.locator(f'article a[href$="{suffix}"]').first.get_attribute("href")
        fetched[suffix] = page.evaluate(
            "async (u) => { const r = await fetch(u); return [r.status, r.headers.get("
            "'content-type'), await r.text()]; }", href)
    assert fetched[".csv"][0] == 200 and fetched[".csv"][1].startswith("text/csv")
    assert action in fetched[".csv"][2]
    assert fetched[".ics"][0] == 200 and fetched[".ics"][1].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in fetched[".ics"][2]
    favicon = page.evaluate(
        "async () => { const r = await fetch(document.querySelector('link[rel=icon]').href);"
        " return [r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength];"
        " }")
    assert favicon[0] == 200 and favicon[1] == "image/png" and favicon[2] > 0
    # Material's search, over the sealed search index.
    page.locator("input.md-search__input").click()
    page.keyboard.type("benchmark")
    result = page.locator('.md-search-result__item a[href*="actions/"]')
    result.first.wait_for(timeout=20_000)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result').innerText.includes('benchmark')",
        timeout=20_000)
    assert "price benchmark" in page.locator(".md-search-result").inner_text()
    # Nothing was asked of another host, and every request stayed inside the site.
    assert watched.other_hosts(base_url) == []
    assert all(urlsplit(u).path.startswith(f"/{SUBPATH}/") for u in watched.requests)
    # Expected 404s: the deep link's first answer, the unlock page's look for the
    # site's root (folder by folder up from the link) and the browser's /favicon.ico.
    errors = [e for e in watched.errors if "status of 404" not in e]
    assert errors == []
    context.close()


def unlock(watched: Watched, password: str) -> None:
    """Enter `password` on the unlock page and wait for the page it opens."""
    page = watched.page
    page.fill("#cx-password", password)
    with page.expect_navigation(timeout=30_000):
        page.click("#cx-submit")
    page.wait_for_load_state("networkidle")


def test_sealing_again_with_a_new_password_locks_the_old_one_out(
    browser: Browser, tmp_path: Path
) -> None:
    """Rotation is a rebuild: a browser that held the old keys finds the site locked
    again, the old password is wrong, the new one opens it. Also: the home page's
    unlock, an address without its final slash, and a download by a click."""
    plan = (EXAMPLES / f"{PLAN}.yaml").read_text(encoding="utf-8")
    workspace = make_workspace(tmp_path / "ws", plans={f"{PLAN}.yaml": plan})
    www = tmp_path / "www"
    code, output = build(workspace, www / SUBPATH, "--seal-with-env", VARIABLE)
    assert code == 0, output
    labels = i18n.labels("en")
    texts = canaries()
    with hosting(www) as base:
        context = browser.new_context(accept_downloads=True)
        watched = Watched(context.new_page())
        page = watched.page
        response = page.goto(base, wait_until="networkidle")
        assert response is not None and response.status == 200
        assert page.locator("h1").inner_text() == labels["seal.title"]
        unlock(watched, PASSWORD)
        assert page.locator("#cx-password").count() == 0
        assert "Northwind Logistics" in page.locator("article").inner_text()
        page.goto(base + f"plans/{PLAN}/kpis", wait_until="networkidle")
        assert urlsplit(page.url).path == f"/{SUBPATH}/plans/{PLAN}/kpis/"
        assert texts[f"{PLAN}: KPI"] in page.locator("article").inner_text()
        page.goto(base + f"plans/{PLAN}/", wait_until="networkidle")
        with page.expect_download() as download:
            page.locator('article a[href$=".csv"]').first.click()
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        assert benchmark_action() in saved
        # Rotation: sealed again with another password (written decomposed in the
        # environment, typed composed in the browser: both sides take its NFC form).
        new = "une phrase de passe différente"
        code, output = build(workspace, www / SUBPATH, "--seal-with-env", VARIABLE,
                             env={VARIABLE: unicodedata.normalize("NFD", new)})
        assert code == 0, output
        page.goto(base + f"plans/{PLAN}/", wait_until="networkidle")
        assert page.locator("h1").inner_text() == labels["seal.title"]
        assert texts[f"{PLAN}: stakeholder"] not in page.content()
        page.fill("#cx-password", PASSWORD)
        page.click("#cx-submit")
        page.wait_for_function(
            "t => document.getElementById('cx-message').textContent === t",
            arg=labels["seal.wrong"], timeout=30_000)
        unlock(watched, new)
        assert page.locator("article h1").first.inner_text() == texts[f"{PLAN}: plan title"]
        assert watched.other_hosts(base) == []
        context.close()


def test_without_a_secure_context_the_unlock_page_says_why(browser: Browser, www: Path
                                                          ) -> None:
    """Served over plain http from a host that is not this machine, a browser has no
    service workers: the unlock page says what it needs instead of failing silently."""
    context = browser.new_context()

    def answer(route: Route) -> None:
        path = urlsplit(route.request.url).path.lstrip("/")
        file = www / (path + "index.html" if path.endswith("/") or not path else path)
        if file.is_file():
            route.fulfill(status=200, body=file.read_bytes(),
                          content_type=sealed.content_type(file.name))
        else:
            route.fulfill(status=404, body="")

    context.route("http://plans.example.test/**", answer)
    page = context.new_page()
    page.goto(f"http://plans.example.test/{SUBPATH}/", wait_until="load")
    assert page.evaluate("window.isSecureContext") is False
    page.wait_for_function("() => document.getElementById('cx-message').textContent !== ''")
    assert page.locator("#cx-message").inner_text() == i18n.labels("en")["seal.insecure"]
    assert page.locator("#cx-password").is_disabled()
    context.close()


def test_the_unlock_page_follows_the_site_language(tmp_path: Path) -> None:
    plan = (EXAMPLES / f"{PLAN}.yaml").read_text(encoding="utf-8")
    yml = MKDOCS_YML.replace("language: en", "language: es")
    workspace = make_workspace(tmp_path / "ws", plans={f"{PLAN}.yaml": plan}, mkdocs_yml=yml)
    code, output = build(workspace, tmp_path / "out", "--seal-with-env", VARIABLE)
    assert code == 0, output
    for name in ("index.html", "404.html"):
        page = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert page == sealed.unlock_page("es") and '<html lang="es">' in page
    assert i18n.labels("es")["seal.title"] in page


@pytest.mark.parametrize("language", ["es", "pt"])
def test_the_unlock_page_speaks_the_sites_language(language: str) -> None:
    page = sealed.unlock_page(language)
    labels = i18n.labels(language)
    assert f'<html lang="{language}">' in page
    for key in ("seal.title", "seal.password", "seal.unlock"):
        assert labels[key] in page
    texts = json.loads(re.search(r'id="cx-texts" type="application/json">(.*?)</script>',
                                 page, re.S).group(1))  # type: ignore[union-attr]
    assert texts["wrong"] == labels["seal.wrong"]


def test_the_scaffolded_workflow_can_seal_the_team_site(tmp_path: Path) -> None:
    """The CI recipe of `cxplan init` hands the build the password from the repository's
    secrets (read only when mkdocs.yml asks for a sealed site) and says how to opt in."""
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")], standalone_mode=False)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "ws" / ".github/workflows/cxplan.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("run") == "cxplan build"]
    assert step["env"] == {"CXPLAN_SITE_PASSWORD": "${{ secrets.CXPLAN_SITE_PASSWORD }}"}
    assert "seal_password_env: CXPLAN_SITE_PASSWORD" in text


def test_stitched_shards_are_sealed_into_the_same_site(tmp_path: Path) -> None:
    """With `seal_password_env` in mkdocs.yml, shards are built in clear (they are not
    sites) and `cxplan stitch` seals the whole: every file of a plain build, byte for
    byte, under its own sealed name, and nothing else."""
    workspace = make_workspace(tmp_path / "ws")
    plain = tmp_path / "plain"
    code, output = build(workspace, plain)
    assert code == 0, output
    yml = (workspace / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - cxplan\n", f"  - cxplan:\n      seal_password_env: {VARIABLE}\n")
    (workspace / "mkdocs.yml").write_text(yml, encoding="utf-8")
    code, output = build(workspace, tmp_path / "no", "--shard", "1/2", "--seal-with-env",
                         VARIABLE)
    assert code == 1 and "cannot be split into shards" in output
    for k in (1, 2):
        code, output = build(workspace, tmp_path / f"shard-{k}", "--shard", f"{k}/2")
        assert code == 0, output
    out = tmp_path / "out"
    result = CliRunner(env={VARIABLE: PASSWORD}).invoke(
        cli, ["stitch", str(tmp_path / "shard-1"), str(tmp_path / "shard-2"), "--config",
              str(workspace / "mkdocs.yml"), "--as-of", "2026-11-23", "--site-dir", str(out)],
        standalone_mode=False)
    assert result.return_value == 0, result.output
    keys = sealed.keys_of(out, PASSWORD)
    files = sorted(p for p in plain.rglob("*") if p.is_file())
    assert len(list((out / "sealed").iterdir())) == len(files)
    for path in files:
        name = path.relative_to(plain).as_posix()
        data = (out / "sealed" / sealed.sealed_name(keys, name)).read_bytes()
        opened = sealed.open_file(keys, name, data)[1]
        if name == MANIFEST:  # its fingerprints hash mkdocs.yml, which changed
            assert json.loads(opened)["plans"].keys() == json.loads(path.read_bytes())[
                "plans"].keys()
        else:
            assert opened == path.read_bytes(), name
