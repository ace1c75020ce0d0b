"""One site per account: the customer editions hold one account each (cross-account
leak proof), rebuilds follow the change and equal a build from scratch byte for byte,
shards built by separate processes stitch into the same site, a failed account leaves
the previous site whole, and bad requests write nothing.

Every build here is the real `cxplan build` (strict MkDocs builds of real files)."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner
from conftest import minimal_plan_text
from test_audience_leak import canary_plan

from cxplan.cli import cli

AS_OF = "2027-03-01"
AS_OF_DATE = dt.date.fromisoformat(AS_OF)
MKDOCS_YML = (
    "site_name: Our CX plans\ntheme:\n  name: material\n  font: false\n"
    "plugins:\n  - search\n  - cxplan\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), standalone_mode=False)
    if isinstance(result.exception, click.UsageError):
        return result.exception.exit_code, result.output + result.exception.format_message()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    code = result.return_value if isinstance(result.return_value, int) else result.exit_code
    return code, result.output


def build(workspace: Path, *args: str) -> tuple[int, str]:
    return run("build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF, *args)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of every file, .gz decompressed and folded .ics lines unfolded."""
    for path, raw in snapshot(folder).items():
        if path.endswith(".gz"):
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", "replace")
        if path.endswith(".ics"):
            text = text.replace("\r\n ", "").replace("\r\n\t", "")
        yield path, text


def workspace_with(root: Path, plans: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "plans").mkdir(exist_ok=True)
    for plan_id, text in plans.items():
        (root / "plans" / f"{plan_id}.yaml").write_text(text, encoding="utf-8")
    return root


def small_plan(customer: str, title: str = "Confirm dock windows") -> str:
    return (minimal_plan_text().replace("Acme Industrial", customer)
            .replace("Confirm dock windows", title))


# --- 2. a customer edition is one account ---------------------------------------------

ACCOUNTS = ("a", "b", "c")
VISIBLE = {  # a customer-visible text of the minimal plan -> its canary's name
    "Acme Industrial": "Customer", "Acme CX plan": "Title", "Ana Ruiz": "Ana",
    "Ben Cole": "Ben", "Confirm dock windows": "ActionOne",
    "Monthly review with Finance": "ActionTwo",
    "Deliveries inside the booked dock window": "Promise", "On time in full": "Kpi",
    "name: Tender": "Tender", "name: Delivery": "Delivery", "name: Operations": "Area",
}


def account_plan(account: str) -> str:
    """The leak test's canary plan (every team-only field a `ZQX` canary) made unique
    to one account: team-only canaries `ZQXT<A>...`, customer-visible ones
    `ZQXV<A>...` (the prefix appears nowhere in Material's own files). The plan's
    introduction to the customer (`customer_intro`, Markdown) is a visible canary too."""
    data, _canaries = canary_plan()
    data["plan"]["customer_intro"] = "Welcome to *your* plan: INTROCANARY.\n\nWrite to us."
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    mark = account.upper()
    text = text.replace("ZQX", f"ZQXT{mark}")
    for visible, name in VISIBLE.items():
        if visible.startswith("name: "):
            text = text.replace(visible, f"name: ZQXV{mark}{name}")
        else:
            text = text.replace(visible, f"ZQXV{mark}{name}")
    text = text.replace("INTROCANARY", f"ZQXV{mark}Intro")
    assert f"ZQXV{mark}Customer" in text and f"ZQXV{mark}ActionTwo" in text
    return text


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = workspace_with(tmp_path_factory.mktemp("accounts"),
                          {f"zqxv{a}-plan": account_plan(a) for a in ACCOUNTS})
    (root / "docs" / "index.md").write_text("# Team home ZQXDOChome\n", encoding="utf-8")
    (root / "docs" / "playbook.md").write_text("# Playbook\n\nZQXDOCteam notes\n",
                                               encoding="utf-8")
    (root / "docs" / "welcome.md").write_text(
        "---\naudience: customer\n---\n# Welcome\n\nSharedWelcomeText for every customer.\n",
        encoding="utf-8")
    out = root / "editions"
    code, output = build(root, "--audience", "customer", "--site-dir", str(out))
    assert code == 0, output
    return root, out


def test_a_customer_edition_is_one_self_contained_site_per_plan(
    editions: tuple[Path, Path],
) -> None:
    _, out = editions
    assert sorted(p.name for p in out.iterdir()) == [
        ".cxplan-build.json", "plans", "zqxva-plan", "zqxvb-plan", "zqxvc-plan"]
    for account in ACCOUNTS:
        site = out / f"zqxv{account}-plan"
        for path in ("index.html", "404.html", "sitemap.xml", "sitemap.xml.gz",
                     "search/search_index.json", "actions/index.html",
                     f"zqxv{account}-plan.ics", f"zqxv{account}-plan.csv", "welcome/index.html",
                     "assets/cxplan.css"):
            assert (site / path).is_file(), (account, path)
        home = (site / "index.html").read_text(encoding="utf-8")
        # The home page is the plan's overview; no portfolio, no people, no team docs.
        assert f"ZQXV{account.upper()}Customer" in home
        for absent in ("people", "plans", "playbook"):
            assert not (site / absent).exists(), absent
    # `plans/` holds only redirects of the old single-site addresses.
    redirects = [p for p in (out / "plans").rglob("*") if p.is_file()]
    assert redirects and all('http-equiv="refresh"' in p.read_text("utf-8") for p in redirects)


def test_no_file_of_an_edition_holds_another_account_or_a_team_only_canary(
    editions: tuple[Path, Path],
) -> None:
    _, out = editions
    for account in ACCOUNTS:
        site = out / f"zqxv{account}-plan"
        files = dict(texts(site))
        kinds = {Path(p).suffix for p in files} | {p for p in files if p == "404.html"}
        assert {".html", ".json", ".gz", ".xml", ".ics", ".csv", ".css", "404.html"} <= kinds
        assert any("<svg" in t for t in files.values())
        others = "".join(o.upper() for o in ACCOUNTS if o != account)
        forbidden = re.compile(rf"ZQXV[{others}]|ZQXT|ZQXDOC", re.IGNORECASE)
        leaks = [(path, m.group()) for path, text in files.items()
                 for m in forbidden.finditer(text)]
        assert leaks == []
        # ... and the account's own customer-visible texts did reach it (the proof can
        # fail): in the pages, the search index and the downloads.
        mine = f"ZQXV{account.upper()}"
        for path in ("index.html", "search/search_index.json", f"zqxv{account}-plan.ics",
                     f"zqxv{account}-plan.csv", "actions/index.html"):
            assert mine in files[path], path
        assert "SharedWelcomeText" in files["welcome/index.html"]
        # The introduction opens the account's own home page (and no other edition's:
        # `ZQXV` of another account is forbidden above).
        assert f"<em>your</em> plan: {mine}Intro." in files["index.html"]


def test_the_team_site_has_every_account_and_the_docs(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = editions
    site = tmp_path / "team"
    code, output = build(root, "--site-dir", str(site))
    assert code == 0, output
    everything = "\n".join(t for _, t in texts(site))
    for account in ACCOUNTS:
        assert f"ZQXT{account.upper()}" in everything and f"ZQXV{account.upper()}" in everything
    assert "ZQXDOCteam" in (site / "playbook" / "index.html").read_text("utf-8")
    # Each plan is its own site under plans/<id>/, with a way back to the portfolio.
    plan = site / "plans" / "zqxva-plan"
    assert (plan / "search" / "search_index.json").is_file()
    actions = (plan / "actions" / "index.html").read_text("utf-8")
    assert 'href="../../"' in actions and "← Portfolio" in actions
    assert 'href="../../../people/ana/"' in actions
    # Portfolio search knows each plan's items by title, pointing into the plan's site.
    index = (site / "search" / "search_index.json").read_text("utf-8")
    assert '"location":"plans/zqxvb-plan/actions/#action-a2"' in index
    assert "ZQXVBActionTwo" in index


# --- 3. builds that follow the change -------------------------------------------------


def test_rebuilds_follow_the_change_and_equal_a_build_from_scratch(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods"),
        "charlie": small_plan("Charlie Rail"),
    })
    site = root / "site"

    def step(expect_built: int) -> None:
        code, output = build(root, "--jobs", "2")
        assert code == 0, output
        # The summary counts with the language's plural: "1 account built", "2 accounts built".
        built = "1 account built" if expect_built == 1 else f"{expect_built} accounts built"
        assert built in output, output
        fresh = tmp_path / f"full-{len(list(tmp_path.iterdir()))}"
        code, output = build(root, "--site-dir", str(fresh), "--jobs", "1")
        assert code == 0, output
        assert snapshot(site) == snapshot(fresh)

    step(3)
    folder = site.stat().st_ino
    step(0)  # nothing changed: nothing built again...
    assert site.stat().st_ino == folder  # ...nor swapped: the site is left as it was
    (root / "plans" / "bravo.yaml").write_text(
        small_plan("Bravo Foods", "Confirm the new dock windows"), encoding="utf-8")
    step(1)  # one plan edited
    (root / "plans" / "delta.yaml").write_text(small_plan("Delta Air"), encoding="utf-8")
    step(1)  # one plan added
    (root / "plans" / "alpha.yaml").unlink()
    step(0)  # one plan deleted: only the portfolio changes
    assert not (site / "plans" / "alpha").exists()
    (root / "site_templates").mkdir()
    (root / "site_templates" / "plan-kpis.md.j2").write_text(
        (Path(__file__).resolve().parents[1] / "site_templates" / "plan-kpis.md.j2")
        .read_text("utf-8") + "\nOur own KPI footnote.\n", encoding="utf-8")
    step(3)  # a template changed: every account
    assert "Our own KPI footnote." in (site / "plans" / "delta" / "kpis" / "index.html"
                                       ).read_text("utf-8")


LATE_HOOK = """\
from mkdocs.plugins import event_priority


@event_priority(-200)
def on_post_page(output, page, config):
    return output + "<!-- late hook -->"
"""
"""A hook that has the last word on every page, an emptied one included."""


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("late_hook", [False, True])
def test_the_pages_of_people_on_unchanged_plans_are_carried_over(
    tmp_path: Path, directory_urls: bool, late_hook: bool, caplog: pytest.LogCaptureFixture
) -> None:
    # Ana is on every plan; each plan has its own Ben.
    root = workspace_with(tmp_path / "ws", {
        name: re.sub(r"\bben\b", f"ben-{name}", small_plan(f"{name.title()} Foods"))
        for name in ("alpha", "bravo", "charlie")})
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        if not directory_urls:
            config.write("use_directory_urls: false\n")
        if late_hook:
            config.write("hooks:\n  - late.py\n")
            (root / "late.py").write_text(LATE_HOOK, encoding="utf-8")
    site = root / "site"

    def outputs(person: str) -> list[Path]:
        page = f"people/{person}/index.html" if directory_urls else f"people/{person}.html"
        return [site / page, site / "people" / f"{person}.ics"]

    def inodes(person: str) -> list[int]:
        return [path.stat().st_ino for path in outputs(person)]

    assert build(root)[0] == 0
    before = {person: inodes(person) for person in ("ana", "ben-alpha", "ben-bravo")}
    (root / "plans" / "bravo.yaml").write_text(re.sub(
        r"\bben\b", "ben-bravo", small_plan("Bravo Foods", "Confirm the new dock windows")),
        encoding="utf-8")
    caplog.set_level("INFO", logger="mkdocs")
    code, output = build(root, "--jobs", "1")
    assert code == 0, output
    # Alpha's Ben: the same files, moved from the previous site, not written again;
    # the people of the edited plan get new ones.
    assert inodes("ben-alpha") == before["ben-alpha"]
    assert inodes("ben-bravo") != before["ben-bravo"] and inodes("ana") != before["ana"]
    assert "Confirm the new dock windows" in outputs("ben-bravo")[0].read_text("utf-8")
    if late_hook:  # the previous page, not the hook's word on an emptied one
        assert "<!doctype html>" in outputs("ben-alpha")[0].read_text("utf-8")
    # MkDocs says nothing of the pages it did not write.
    assert "Page skipped" not in caplog.text and "people/ben-alpha" not in caplog.text
    code, output = build(root, "--site-dir", str(tmp_path / "full"), "--jobs", "1")
    assert code == 0, output
    assert snapshot(site) == snapshot(tmp_path / "full")


def test_serve_puts_a_saved_plan_in_place_first_then_the_whole_site_follows(
    tmp_path: Path,
) -> None:
    """`cxplan serve` after a save: the saved plan's own site is put in place first
    (its new text served while the portfolio still shows the plan as it was), then the
    whole build brings the portfolio up to date: the same site a build from scratch
    makes."""
    from cxplan.cli.site import check_workspace
    from cxplan.publish.accounts import Request, build_accounts, put_accounts_in_place

    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods"),
        "charlie": small_plan("Charlie Rail")})
    site = root / "site"
    assert build(root)[0] == 0
    portfolio = (site / "plans" / "index.html").read_bytes()
    alpha = snapshot(site / "plans" / "alpha")
    (root / "plans" / "bravo.yaml").write_text(
        small_plan("Bravo Foods", "Confirm the ZQXSaved windows"), encoding="utf-8")
    _diagnostics, checked, _language = check_workspace(root / "mkdocs.yml", AS_OF_DATE)
    request = Request(config_file=root / "mkdocs.yml", workspace=checked.workspace,
                      findings=checked.findings, as_of=AS_OF_DATE, site_dir=site)
    put_accounts_in_place(request, ["bravo"])
    assert "ZQXSaved" in (site / "plans" / "bravo" / "actions" / "index.html").read_text("utf-8")
    assert snapshot(site / "plans" / "alpha") == alpha  # the others as they were
    assert (site / "plans" / "index.html").read_bytes() == portfolio  # not yet
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []  # no scratch left
    build_accounts(request)
    code, output = build(root, "--site-dir", str(tmp_path / "scratch"))
    assert code == 0, output
    assert snapshot(site) == snapshot(tmp_path / "scratch")


def test_serve_finds_the_plan_a_save_changed_among_the_checked_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `cxplan serve` puts in place first after a save: the plans whose file
    changed since the served site was built, read from the plans as the check leaves
    them (their text let go), with the plans kept loaded between saves as serve does;
    and the quicker check of that first step, which runs the rules on them alone."""
    from functools import partial

    from cxplan.cli.serve import is_saved, saved_since
    from cxplan.cli.site import check_workspace
    from cxplan.model import build as model_build

    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods")})
    # As `remember_loaded_plans` does in serve, for this test alone.
    monkeypatch.setattr(model_build, "_LOADED", {})
    plans = check_workspace(root / "mkdocs.yml", AS_OF_DATE)[1].workspace.plans
    built = {p.id: p.digest for p in plans}
    assert saved_since(built, plans) == []
    (root / "plans" / "bravo.yaml").write_text(
        small_plan("Bravo Foods", "Confirm the ZQXSaved windows"), encoding="utf-8")
    whole = check_workspace(root / "mkdocs.yml", AS_OF_DATE)
    again = whole[1].workspace.plans
    assert saved_since(built, again) == ["bravo"]
    assert saved_since({**built, "bravo": next(p.digest for p in again if p.id == "bravo")},
                       again) == []
    # The first step's check: the rules on the saved plan alone, its findings the ones
    # it has among every plan (the context, such as each owner's open actions across
    # the portfolio, is still all of them).
    quick = check_workspace(root / "mkdocs.yml", AS_OF_DATE, rules_for=partial(is_saved, built))
    assert sorted(quick[1].findings) == ["bravo"]
    assert quick[1].findings["bravo"] and [f.diagnostic for f in quick[1].findings["bravo"]] \
        == [f.diagnostic for f in whole[1].findings["bravo"]]
    assert {Path(d.path).name for d in quick[0]} == {"bravo.yaml"}


def break_the_build_of_bravo(root: Path) -> None:
    """A template of the workspace that breaks the build of one account only (bravo's
    KPI page links to no page)."""
    (root / "site_templates").mkdir()
    (root / "site_templates" / "plan-kpis.md.j2").write_text(
        (Path(__file__).resolve().parents[1] / "site_templates" / "plan-kpis.md.j2")
        .read_text("utf-8") + '\n{% if site.id == "bravo" %}[gone](missing.md){% endif %}\n',
        encoding="utf-8")


def test_a_failed_account_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods")})
    assert build(root)[0] == 0
    before = snapshot(root / "site")
    break_the_build_of_bravo(root)
    code, output = build(root, "--jobs", "2")
    assert code == 1 and "bravo" in output and "missing.md" in output, output
    assert "previous one is unchanged" in output
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == ["docs", "mkdocs.yml", "plans", "site",
                                                      "site_templates"]


def test_a_large_builds_new_workers_make_the_sites_forked_workers_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From `NEW_WORKERS_FROM` accounts, the accounts are built by new processes handed
    each plan (its findings, git history and review pack with it), not by forks of the
    build's process: the same sites, byte for byte, in both editions; and a failed
    account is reported the same way, the previous site left whole."""
    import multiprocessing

    from test_history import Repo

    from cxplan.publish import accounts

    repo = Repo(tmp_path / "ws")
    root = workspace_with(repo.root, {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods"),
        "charlie": small_plan("Charlie Rail")})
    repo.git("add", ".")
    repo.git("commit", "-q", "-m", "Three plans", when="2027-01-04")
    repo.git("tag", "review/2027-01-04", when="2027-01-04")
    (root / "plans" / "bravo.yaml").write_text(
        small_plan("Bravo Foods", "Confirm the new dock windows"), encoding="utf-8")
    repo.git("commit", "-q", "-am", "Bravo's dock windows moved", when="2027-02-01")
    contexts: list[str] = []
    get_context = multiprocessing.get_context

    def seen(method: str | None = None) -> object:
        contexts.append(str(method))
        return get_context(method)

    monkeypatch.setattr(accounts.multiprocessing, "get_context", seen)
    for audience in ("team", "customer"):
        forked, new = tmp_path / f"forked-{audience}", tmp_path / f"new-{audience}"
        monkeypatch.setattr(accounts, "NEW_WORKERS_FROM", 200)
        code, output = build(root, "--audience", audience, "--site-dir", str(forked),
                             "--jobs", "2")
        assert code == 0, output
        monkeypatch.setattr(accounts, "NEW_WORKERS_FROM", 3)
        code, output = build(root, "--audience", audience, "--site-dir", str(new),
                             "--jobs", "2")
        assert code == 0, output
        assert contexts[-2:] == ["fork", "spawn"]
        assert snapshot(new) == snapshot(forked)
    bravo = tmp_path / "new-team" / "plans" / "bravo"
    assert "Three plans" in (bravo / "changes" / "index.html").read_text("utf-8")  # history
    assert (bravo / "review" / "index.html").is_file()  # the review pack

    before = snapshot(tmp_path / "new-team")
    break_the_build_of_bravo(root)
    code, output = build(root, "--site-dir", str(tmp_path / "new-team"), "--jobs", "2")
    assert code == 1 and "bravo" in output and "missing.md" in output, output
    assert contexts[-1] == "spawn"
    assert snapshot(tmp_path / "new-team") == before


# --- 4. beyond one machine --------------------------------------------------------------


def test_three_shards_in_separate_processes_stitch_into_the_single_build(
    tmp_path: Path,
) -> None:
    root = workspace_with(tmp_path / "ws", {
        name: small_plan(f"{name.title()} Group")
        for name in ("alpha", "bravo", "charlie", "delta", "echo")})
    shards = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        result = subprocess.run(
            [sys.executable, "-m", "cxplan", "build", "--shard", f"{k}/3", "--site-dir",
             str(out), "--as-of", AS_OF], cwd=root, capture_output=True, text=True,
            timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        shards.append(out)
    assert sorted(p.name for p in (shards[0] / "plans").iterdir()) == ["alpha", "delta"]
    assert not (shards[0] / "index.html").exists()  # shards hold accounts, no portfolio
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "stitch", *map(str, shards), "--site-dir",
         str(tmp_path / "stitched"), "--as-of", AS_OF], cwd=root, capture_output=True,
        text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 accounts built, 5 unchanged" in result.stdout
    code, output = build(root, "--site-dir", str(tmp_path / "single"))
    assert code == 0, output
    assert snapshot(tmp_path / "stitched") == snapshot(tmp_path / "single")
    # A shard missing: stitch refuses rather than build a different site.
    code, output = run("stitch", str(shards[0]), str(shards[1]), "--config",
                       str(root / "mkdocs.yml"), "--site-dir", str(tmp_path / "partial"),
                       "--as-of", AS_OF)
    assert code == 1 and "no shard holds" in output and "charlie" in output
    assert not (tmp_path / "partial").exists()


# --- bad input --------------------------------------------------------------------------


def test_bad_requests_write_nothing(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {"alpha": small_plan("Alpha Mining")})
    code, output = build(root, "--plan", "nope")
    assert code == 1 and "--plan nope: no such plan" in output and "alpha" in output
    code, output = build(root, "--shard", "4/3")
    assert code == 2 and "K must be between 1 and N" in output
    code, output = build(root, "--shard", "two")
    assert code == 2 and "is not K/N" in output
    # A plan id that is a folder of the output: validation or the build refuses it.
    (root / "plans" / "quick-wins.yaml").write_text(small_plan("Quick Ltd"), encoding="utf-8")
    code, output = build(root)
    assert code == 1 and "quick-wins" in output and "rename the" in output
    (root / "plans" / "quick-wins.yaml").unlink()
    (root / "plans" / "plans.yaml").write_text(small_plan("Plans Ltd"), encoding="utf-8")
    code, output = build(root, "--audience", "customer")
    assert code == 1 and "plans" in output and "rename the" in output
    assert sorted(p.name for p in root.iterdir()) == ["docs", "mkdocs.yml", "plans"]


def test_plan_limits_the_build(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods")})
    code, output = build(root, "--plan", "bravo", "--audience", "customer")
    assert code == 0, output
    assert sorted(p.name for p in (root / "site").iterdir()) == [
        ".cxplan-build.json", "bravo", "plans"]
    assert "Alpha Mining" not in "".join(t for _, t in texts(root / "site"))


def test_a_large_portfolio_lists_its_plans_on_the_portfolio_page_not_in_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxplan.publish import accounts

    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods")})
    nav_link = re.compile(r'<a href="[^"]*plans/(alpha|bravo)/"[^>]*class="md-nav__link')
    code, output = build(root, "--site-dir", str(tmp_path / "listed"))
    assert code == 0, output
    listed = (tmp_path / "listed" / "people" / "ana" / "index.html").read_text("utf-8")
    assert {m.group(1) for m in nav_link.finditer(listed)} == {"alpha", "bravo"}
    monkeypatch.setattr(accounts, "NAV_LISTS_PLANS_UP_TO", 1)
    code, output = build(root, "--site-dir", str(tmp_path / "large"))
    assert code == 0, output
    person = (tmp_path / "large" / "people" / "ana" / "index.html").read_text("utf-8")
    assert not nav_link.search(person)
    portfolio = (tmp_path / "large" / "plans" / "index.html").read_text("utf-8")
    assert "Alpha Mining" in portfolio and "Bravo Foods" in portfolio
    # The board's list and a person's table are raw HTML that Markdown never reads:
    # taken out before it runs, put back whole, with no marker left.
    board = (tmp_path / "large" / "plans" / "quick-wins" / "index.html").read_text("utf-8")
    for html in (board, person):
        assert "cxplan:raw" not in html
    assert board.count("<li><a href=") >= 2 and "<table>\n<thead><tr><th>Action</th>" in person


# --- 6. a readable build log -------------------------------------------------------------


def test_many_warnings_are_summarised_unless_verbose(tmp_path: Path) -> None:
    overdue = minimal_plan_text().replace("due: 2027-04-30", "due: 2027-02-01")
    root = workspace_with(tmp_path / "ws", {
        f"p{n:02d}": overdue.replace("Acme Industrial", f"Customer {n}") for n in range(25)})
    code, output = build(root, "--site-dir", str(tmp_path / "s1"), "--plan", "p00",
                         "--plan", "p01")
    assert code == 0, output
    assert "by rule:" in output and "CX503 (warning): 25" in output
    assert "Plans with most findings:" in output and "cxplan build --verbose" in output
    assert output.count("CX503") == 1
    code, output = build(root, "--site-dir", str(tmp_path / "s2"), "--plan", "p00",
                         "--verbose")
    assert code == 0, output
    assert output.count("warning[CX503]") == 25


def test_render_writes_one_docs_folder_per_customer_edition(
    editions: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = editions
    out = tmp_path / "pages"
    code, output = run("render", "--out", str(out), "--config", str(root / "mkdocs.yml"),
                       "--as-of", AS_OF, "--audience", "customer", "--plan", "zqxvb-plan")
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["zqxvb-plan"]
    edition = out / "zqxvb-plan"
    assert (edition / "index.md").is_file() and (edition / "actions.md").is_file()
    assert (edition / "assets" / "cxplan.css").is_file()
    leaks = [(p, m.group()) for p, t in texts(edition)
             for m in re.finditer("ZQXV[AC]|ZQXT", t, re.IGNORECASE)]
    assert leaks == []
    code, output = run("render", "--out", str(tmp_path / "none"), "--config",
                       str(root / "mkdocs.yml"), "--plan", "nope")
    assert code == 1 and "no such plan" in output and not (tmp_path / "none").exists()


def test_the_accounts_theme_files_are_stored_once(tmp_path: Path) -> None:
    """Each account's site holds every file of the theme (a customer edition is handed
    over whole), but the disk holds them once: hard links, the bytes unchanged."""
    root = workspace_with(tmp_path / "ws", {
        "alpha": small_plan("Alpha Mining"), "bravo": small_plan("Bravo Foods"),
        "charlie": small_plan("Charlie Rail")})
    out = tmp_path / "out"
    code, output = build(root, "--audience", "customer", "--site-dir", str(out), "--jobs", "1")
    assert code == 0, output
    first = sorted(p for p in (out / "alpha" / "assets").rglob("*") if p.is_file())
    assert len(first) > 20 and sum(p.stat().st_size for p in first) > 1_000_000
    for path in first:
        name = path.relative_to(out / "alpha")
        copies = [out / plan / name for plan in ("alpha", "bravo", "charlie")]
        assert len({p.stat().st_ino for p in copies}) == 1, name
        assert path.stat().st_nlink == 3
    # A rebuild after an edit writes a new site: the new bravo is linked in it, and
    # the files of every edition read as a build from scratch's.
    (root / "plans" / "bravo.yaml").write_text(
        small_plan("Bravo Foods", "Confirm the new dock windows"), encoding="utf-8")
    code, output = build(root, "--audience", "customer", "--site-dir", str(out), "--jobs", "1")
    assert code == 0, output
    scratch = tmp_path / "scratch"
    code, output = build(root, "--audience", "customer", "--site-dir", str(scratch),
                         "--jobs", "1")
    assert code == 0, output
    assert snapshot(out) == snapshot(scratch)


def test_the_theme_listing_without_dot_folders_is_mkdocs_own(tmp_path: Path) -> None:
    """cxplan lists a theme's files without walking its dot folders (Material's 14,000
    icons): the files MkDocs copies are the same as with its own listing, for Material
    and for a workspace's own theme folder with dot files and folders in it."""
    import jinja2
    from mkdocs.config import load_config

    from cxplan.publish.accounts import _theme_files

    own = tmp_path / "overrides"
    for name in ("main.html", "assets/extra.css", ".hidden/x.css", "assets/.cache/y.js",
                 "assets/.z.js", "partials/.keep", "img/logo.svg", "README.md"):
        (own / name).parent.mkdir(parents=True, exist_ok=True)
        (own / name).write_text("x", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    env = config.theme.get_env()
    listed: list[list[str]] = []
    real = jinja2.Environment.list_templates

    def capture(self: jinja2.Environment, extensions: object = None,
                filter_func: object = None) -> list[str]:
        found = real(self, filter_func=filter_func)  # type: ignore[arg-type]
        assert callable(filter_func)
        listed.append(found)
        listed.append(_theme_files(self, filter_func) or [])
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Environment, "list_templates", capture)
        from mkdocs.structure.files import Files
        Files([]).add_files_from_theme(env, config)
    mkdocs_own, ours = listed
    assert ours == mkdocs_own
    assert "assets/extra.css" in ours and "img/logo.svg" in ours and len(ours) > 30
    assert not any("/." in name or name.startswith(".") for name in ours)


def test_a_plugin_that_changes_the_addresses_is_heard_before_the_build(
    tmp_path: Path,
) -> None:
    """Material's `offline` plugin turns directory URLs off in its `on_config`: cxplan
    reads the configuration as the plugins leave it (all but the search plugin's,
    which changes no address), so the sites and the redirects of the old addresses
    use `.html` files."""
    root = workspace_with(tmp_path / "ws", {"alpha": small_plan("Alpha Mining")})
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("  - search\n", "  - search\n  - offline\n"), encoding="utf-8")
    out = tmp_path / "out"
    code, output = build(root, "--audience", "customer", "--site-dir", str(out))
    assert code == 0, output
    assert (out / "alpha" / "actions.html").is_file()
    assert not (out / "alpha" / "actions").exists()
    redirect = (out / "plans" / "alpha" / "actions.html").read_text(encoding="utf-8")
    assert 'url=../../alpha/actions.html"' in redirect
