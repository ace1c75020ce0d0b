"""A plan full of injection payloads builds, and nothing in it becomes live markup.

Every text field of the plan carries payloads (raw HTML, scripts, event handlers,
`javascript:` links, Markdown links and images, attribute lists, table-breaking pipes
and newlines). The site is built with a real, strict `mkdocs build`, then every HTML
file is parsed and its elements and attributes are checked: no script, event handler,
`javascript:` URL, style or remote resource that came from the plan; and the payload
text is still shown, as text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from site_helpers import AS_OF, Element, content, make_workspace, mkdocs_site, parse_html

from cxplan.cli import cli

MARK = "cxpwn"
"""Every payload carries this word, so anything active it reaches can be traced to it."""

PAYLOADS = [
    f"<script>alert('{MARK}')</script>",
    f"<img src=x onerror=alert('{MARK}')>",
    f"[click {MARK}](javascript:alert('{MARK}'))",
    f"<a href=\"javascript:alert('{MARK}')\">{MARK}</a>",
    f"{MARK} {{: onclick=\"alert('{MARK}')\" }}",
    f"{MARK} {{ #evil .x onmouseover=alert(1) }}",
    f"![{MARK}](https://evil.example/{MARK}.png)",
    f"<svg onload=alert('{MARK}')></svg>",
    f"<iframe src=\"https://evil.example/{MARK}\"></iframe>",
    f"<style>body{{background:url(https://evil.example/{MARK})}}</style>",
    f"<{MARK}@evil.example>",
    f"| {MARK} | pipes | break | tables |",
    f"line one\n# {MARK} heading\n- list {MARK}\n\n<script>alert('{MARK}')</script>",
    f"--8<-- \"/etc/passwd\" {MARK}",
    f"\" onmouseover=\"alert('{MARK}')\" x=\"",
    f"&lt;script&gt;alert('{MARK}')&lt;/script&gt;",
]


PIPES, LINES, SNIPPET = 11, 12, 13


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def hostile_plan() -> str:
    n = iter(range(1000))
    p = lambda: payload(next(n))  # noqa: E731 - a counter, read like a function
    plan = {
        "plan": {
            "title": p(), "customer": f"{MARK} | Customer <b>x</b>\nsecond line", "owner": "ana",
            "start": "2026-09-01", "end": "2027-06-30", "language": "en",
            "summary": "\n\n".join(PAYLOADS) + f"\n\n[ok](https://example.org) {MARK}",
            "customer_intro": "\n\n".join(reversed(PAYLOADS))
            + f"\n\n[hi](mailto:x@example.org) {MARK}",
            "tags": [p(), p()],
        },
        "team": [
            {"id": "ana", "name": p(), "department": p(), "involvement": "core",
             "email": f"<script>{MARK}</script>@x"},
            {"id": "ben", "name": f"Ben | {MARK}\nCole", "department": p()},
        ],
        "areas": [
            {"id": "ops", "name": p(), "measured_on": [p(), p()], "head": "dora"},
            {"id": "fin", "name": f"Fin | {MARK}"},
        ],
        "moments": [
            {"id": "tender", "name": p(), "phase": "purchase", "description": p(),
             "values": {"ops": [p(), p()], "fin": p()}},
            {"id": "delivery", "name": p(), "phase": "consumption",
             "values": {"ops": p()}},
        ],
        "stakeholders": [
            {"id": "dora", "name": p(), "title": p(), "area": "ops", "influence": 5,
             "support": "blocker", "decides": [p(), p()], "motivations": p(),
             "owner": "ana", "role": "economic-buyer", "last_contact": "2026-01-01"},
            {"id": "eli", "name": f"Eli | {MARK}", "area": "fin", "influence": 4,
             "support": "champion", "reports_to": "dora", "influences": ["dora"]},
        ],
        "commitments": [
            {"id": "c1", "promise": p(), "to": "ops", "moment": "delivery", "owner": "ben",
             "due": "2026-10-01", "expectation": 4, "perceived": 2},
            {"id": "c2", "promise": p(), "to": "dora", "owner": "ana", "due": "2026-10-15",
             "expectation": 3},
        ],
        "actions": [
            {"id": f"a{i}", "title": payload(i), "owner": "ana" if i % 2 else "ben",
             "due": f"2026-{9 + i % 3:02d}-{10 + i:02d}",
             "horizon": "quick-win" if i < 6 else "medium-term",
             "kind": "communication", "status": ["todo", "doing", "blocked"][i % 3],
             "moments": ["tender"], "areas": ["ops", "fin"], "commitments": ["c1"],
             "stakeholders": ["dora"], "notes": payload(i + 3)}
            for i in range(len(PAYLOADS))
        ],
        "kpis": [
            {"id": "k1", "name": p(), "owner": "ana", "area": "ops", "unit": f"<i>{MARK}</i>",
             "direction": "up", "baseline": 1, "target": 10,
             "readings": [{"date": "2026-10-01", "value": 3}, {"date": "2026-11-01", "value": 5}]},
        ],
        "engagement": {c: [p(), p()] for c in (
            "culture", "community", "credibility", "channel", "content", "cadence",
            "context", "catalysts", "currencies")},
    }
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module", params=["one site", "a site per account"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile plan built by the plugin alone (one MkDocs site) and by `cxplan
    build` (a site per account, whose portfolio and people pages hold raw HTML tables
    that Markdown never reads)."""
    workspace = make_workspace(
        tmp_path_factory.mktemp("hostile"), plans={"hostile.yaml": hostile_plan()}
    )
    if request.param == "one site":
        return mkdocs_site(workspace, workspace / "site")
    result = CliRunner().invoke(cli, [
        "build", "--config", str(workspace / "mkdocs.yml"), "--as-of", AS_OF.isoformat(),
        "--site-dir", str(workspace / "site")])
    assert result.exit_code == 0, result.output
    return workspace / "site"


def html_files(site: Path) -> list[Path]:
    files = sorted(site.rglob("*.html"))
    assert len(files) > 15
    return files


def _url_attributes(element: Element) -> list[tuple[str, str]]:
    return [
        (name, value) for name, value in element.attrs.items()
        if name in ("href", "src", "xlink:href", "action", "formaction", "data", "poster",
                    "srcset", "background")
    ]


def test_no_live_markup_from_the_plan(site: Path) -> None:
    problems = []
    for path in html_files(site):
        root = parse_html(path.read_text(encoding="utf-8"))
        where = path.relative_to(site)
        for element in root.iter():
            if element.tag == "#document":
                continue
            if element.tag in ("script", "style") and MARK in element.text():
                problems.append(f"{where}: <{element.tag}> from the plan")
            if element.tag in ("iframe", "object", "embed", "frame", "base", MARK):
                problems.append(f"{where}: <{element.tag}> element")
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    problems.append(f"{where}: {name}= on <{element.tag}>")
                if name == "style" and MARK in value:
                    problems.append(f"{where}: style from the plan on <{element.tag}>")
                if MARK in name:
                    problems.append(f"{where}: attribute {name!r} from the plan")
            for name, value in _url_attributes(element):
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:")):
                    problems.append(f"{where}: {name}={value!r} on <{element.tag}>")
                if element.tag in ("img", "script", "link", "source", "image") and (
                    "://" in value or value.startswith("//")
                ):
                    problems.append(f"{where}: <{element.tag} {name}={value!r}> is remote")
            if element.tag == "img" and MARK in element.attrs.get("src", ""):
                problems.append(f"{where}: image from the plan")
    assert problems == []


def test_payloads_are_shown_as_text(site: Path) -> None:
    actions = content(site, "plans/hostile/actions/")
    text = actions.text()
    assert f"<script>alert('{MARK}')</script>" in text
    assert f"<img src=x onerror=alert('{MARK}')>" in text
    assert f"[click {MARK}](javascript:alert('{MARK}'))" in text
    assert f"{MARK} {{: onclick=\"alert('{MARK}')\" }}" in text
    # A newline in a value does not end the table row, a pipe does not split a cell.
    pipes = actions.by_id(f"action-a{PIPES}").ancestor("tr")
    assert len(pipes.find_all("td")) == 4
    assert pipes.find_all("strong")[0].text() == f"| {MARK} | pipes | break | tables |"
    lines = actions.by_id(f"action-a{LINES}").ancestor("tr")
    assert len(lines.find_all("td")) == 4
    assert lines.find_all("strong")[0].text() == (
        f"line one # {MARK} heading - list {MARK} <script>alert('{MARK}')</script>"
    )
    snippet = actions.by_id(f"action-a{SNIPPET}").ancestor("tr")
    assert snippet.find_all("strong")[0].text() == f"--8<-- \"/etc/passwd\" {MARK}"


def test_a_persons_page_shows_the_payloads_as_text(site: Path) -> None:
    page = content(site, "people/ana/")
    text = page.text()
    tables = page.find_all("table")
    assert len(tables) >= 3  # actions, commitments, KPIs (and relationships)
    for table in tables:  # a payload stays in its cell
        rows = table.find_all("tr")
        assert all(len(r.find_all("td")) == len(rows[1].find_all("td")) for r in rows[1:])
    plan = yaml.safe_load(hostile_plan())
    promise = next(c["promise"] for c in plan["commitments"] if c["owner"] == "ana")
    kpi = plan["kpis"][0]["name"]
    assert promise in tables[1].text() and kpi in tables[2].text()
    assert f"<script>alert('{MARK}')</script>" in text


def test_names_with_pipes_and_newlines_stay_in_their_cell(site: Path) -> None:
    team = content(site, "plans/hostile/team/")
    rows = [r for t in team.find_all("table") for r in t.find_all("tr")[1:]]
    cells = {r.find_all("td")[0].text() for r in rows}
    assert f"Ben | {MARK} Cole" in cells
    assert all(len(r.find_all("td")) == len(rows[0].find_all("td")) for r in rows)
    values = content(site, "plans/hostile/values/")
    header = [th.text() for th in values.find_all("th")]
    assert len(header) == 3 and header[2] == f"Fin | {MARK}"


def test_sanitised_markdown_keeps_safe_links_only(site: Path) -> None:
    overview = content(site, "plans/hostile/")
    prose = overview.find_all("div", class_="cx-prose")[0]
    # Only http(s) and mailto links survive (`<x@y>` is a Markdown mail link).
    assert prose.links() == [f"mailto:{MARK}@evil.example", "https://example.org"]
    active = ("img", "script", "style", "iframe", "svg")
    assert [e.tag for e in prose.iter() if e.tag in active] == []
    # What was dropped is the markup, not the words around it.
    assert f"click {MARK}" in prose.text()
