"""The introduction on a customer edition's home page: `plan.customer_intro`, or the
workspace's file named by the plugin option `customer_intro` (the plan's wins).

It opens the home page of the account's customer edition, above the overview, and the
team's overview shows it too under a note saying the customer reads it there. A wrong
type is a validation error at its position; a file the option names that is missing
is an error at the option's line, and nothing is built. Every build here is the real
`cxplan build` (strict MkDocs builds); the cross-account leak proof of the field is in
`test_accounts.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import minimal_plan_text, mutate, write_plan
from test_accounts import AS_OF, MKDOCS_YML, build, run, small_plan, snapshot, workspace_with

OWNER = "  owner: ana\n"
NOTE = {"en": "Shown to the customer at the top of their home page.",
        "es": "El cliente lo ve al principio de su página de inicio."}
INTRO = ("Welcome to **AlphaIntroText**, see [our terms](https://example.com/terms).\n\n"
         "<script>alert('AlphaScript')</script><img src=https://example.com/x.png>\n")


def with_intro(text: str, intro: str) -> str:
    block = "".join(f"    {line}\n" if line else "\n" for line in intro.splitlines())
    return mutate(text, OWNER, OWNER + "  customer_intro: |\n" + block)


def intro_option(root: Path, value: str) -> None:
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("  - cxplan\n", f"  - cxplan:\n      customer_intro: {value}\n"),
        encoding="utf-8")


def home(site: Path) -> str:
    return (site / "index.html").read_text(encoding="utf-8")


# --- the field --------------------------------------------------------------------------


def test_a_wrong_type_is_reported_at_its_position(tmp_path: Path) -> None:
    text = mutate(minimal_plan_text(), OWNER, OWNER + "  customer_intro: [Welcome, friends]\n")
    path = write_plan(tmp_path, text)
    code, output = run("validate", str(path), "--format", "json")
    assert code == 1
    found = json.loads(output)["diagnostics"]
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("CX202", 5, 19)]
    assert "customer_intro" in found[0]["message"] and "text" in found[0]["message"]


def test_the_intro_opens_the_customer_home_page_and_the_team_overview(tmp_path: Path) -> None:
    spanish = mutate(small_plan("Bravo Foods"), "  start:", "  language: es\n  start:")
    root = workspace_with(tmp_path / "ws", {
        "alpha": with_intro(small_plan("Alpha Mining"), INTRO),
        "bravo": with_intro(spanish, "Bienvenidos, **BravoIntroText**."),
        "charlie": small_plan("Charlie Rail"),
    })
    customers = tmp_path / "customers"
    code, output = build(root, "--audience", "customer", "--site-dir", str(customers))
    assert code == 0, output
    page = home(customers / "alpha")
    # Rendered as Markdown, above the overview's content, with no script or image.
    intro = page.index("Welcome to <strong>AlphaIntroText</strong>")
    assert intro < page.index("cx-figures") and page.index("<h1") < intro
    assert 'href="https://example.com/terms"' in page
    assert "AlphaScript" not in page and "x.png" not in page
    assert NOTE["en"] not in page  # the note is the team's
    assert "AlphaIntroText" not in (customers / "alpha" / "actions" / "index.html").read_text(
        "utf-8")
    assert "<strong>BravoIntroText</strong>" in home(customers / "bravo")
    assert 'class="cx-intro"' not in home(customers / "charlie")  # none written, none shown
    # The team's overview shows it too, under the note, in the plan's language.
    team = tmp_path / "team"
    code, output = build(root, "--site-dir", str(team))
    assert code == 0, output
    overview = home(team / "plans" / "alpha")
    assert overview.index(NOTE["en"]) < overview.index("<strong>AlphaIntroText</strong>")
    spanish_overview = home(team / "plans" / "bravo")
    assert NOTE["es"] in spanish_overview and "<strong>BravoIntroText</strong>" in spanish_overview
    charlie = home(team / "plans" / "charlie")
    assert NOTE["en"] not in charlie and 'class="cx-intro"' not in charlie


# --- the workspace's file ---------------------------------------------------------------


def test_the_workspace_file_is_the_intro_of_plans_without_their_own(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {
        "alpha": with_intro(small_plan("Alpha Mining"), "Our own **AlphaIntroText**."),
        "bravo": small_plan("Bravo Foods"),
        "charlie": mutate(small_plan("Charlie Rail"), OWNER, OWNER + '  customer_intro: ""\n'),
    })
    intro_option(root, "customer-intro.md")
    (root / "customer-intro.md").write_text(
        "# How to read this plan\n\nEvery **WorkspaceIntroText** promise, with its owner.\n",
        encoding="utf-8")
    out = tmp_path / "customers"
    code, output = build(root, "--audience", "customer", "--site-dir", str(out))
    assert code == 0, output
    alpha, bravo = home(out / "alpha"), home(out / "bravo")
    assert "<strong>AlphaIntroText</strong>" in alpha and "WorkspaceIntroText" not in alpha
    assert "Every <strong>WorkspaceIntroText</strong> promise" in bravo
    assert "<h3" in bravo and "How to read this plan" in bravo  # headings kept below the page's
    assert 'class="cx-intro"' not in home(out / "charlie")  # an empty one: none at all
    # The file is part of every account's inputs: a change of its text is built again.
    (root / "customer-intro.md").write_text("Every **ChangedIntroText** promise.\n",
                                            encoding="utf-8")
    code, output = build(root, "--audience", "customer", "--site-dir", str(out))
    assert code == 0, output
    assert "3 accounts built, 0 unchanged" in output
    assert "ChangedIntroText" in home(out / "bravo")
    assert "WorkspaceIntroText" not in "".join(
        p.read_text("utf-8", "replace") for p in out.rglob("*.html"))
    fresh = tmp_path / "fresh"
    code, output = build(root, "--audience", "customer", "--site-dir", str(fresh))
    assert code == 0, output
    assert snapshot(fresh) == snapshot(out)
    # `cxplan render` writes the same introduction into the edition's Markdown.
    pages = tmp_path / "pages"
    code, output = run("render", "--out", str(pages), "--config", str(root / "mkdocs.yml"),
                       "--as-of", AS_OF, "--audience", "customer", "--plan", "bravo")
    assert code == 0, output
    assert "Every <strong>ChangedIntroText</strong> promise" in (
        pages / "bravo" / "index.md").read_text("utf-8")


def test_a_missing_intro_file_is_an_error_at_the_option_and_nothing_is_built(
    tmp_path: Path,
) -> None:
    root = workspace_with(tmp_path / "ws", {"alpha": small_plan("Alpha Mining")})
    intro_option(root, "nowhere/intro.md")
    config = str(root / "mkdocs.yml")
    message = ("error[CX100]: plugin option 'customer_intro': the file nowhere/intro.md "
               "does not exist")
    for command in (["build", "--audience", "customer"], ["build"], ["validate"],
                    ["render", "--out", str(tmp_path / "pages")]):
        code, output = run(*command, "--config", config, "--as-of", AS_OF)
        assert code == 1, (command, output)
        assert f"mkdocs.yml:8:7: {message}" in output, (command, output)
        assert "Traceback" not in output
    assert sorted(p.name for p in root.iterdir()) == ["docs", "mkdocs.yml", "plans"]
    assert not (tmp_path / "pages").exists()
    # A folder is no file either.
    intro_option(root, "docs")
    code, output = build(root)
    assert code == 1 and "'customer_intro': docs is a folder" in output
    # MkDocs itself, with the plugin: a clear error, exit 1, no traceback.
    intro_option(root, "nowhere/intro.md")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config,
         "-d", str(tmp_path / "mkdocs-site")],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert "plugin option 'customer_intro': the file nowhere/intro.md does not exist" in (
        done.stdout + done.stderr)
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "mkdocs-site").exists()


def test_an_output_folder_holding_the_intro_file_is_refused(tmp_path: Path) -> None:
    root = workspace_with(tmp_path / "ws", {"alpha": small_plan("Alpha Mining")})
    intro_option(root, "public/intro.md")
    (root / "public").mkdir()
    (root / "public" / "intro.md").write_text("Welcome.\n", encoding="utf-8")
    for command in (["build", "--site-dir", str(root / "public")],
                    ["render", "--out", str(root / "public")]):
        code, output = run(*command, "--config", str(root / "mkdocs.yml"), "--as-of", AS_OF)
        assert code == 1, output
        assert "contains the customer_intro file" in output and "choose another folder" in output
        assert sorted(p.name for p in (root / "public").iterdir()) == ["intro.md"]
