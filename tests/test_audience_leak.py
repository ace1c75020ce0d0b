"""Leak proof: nothing team-only reaches any file of the customer site.

The plan is made from the model, not by hand: every field marked team-only, every
item of a model with an `internal` flag (flag set), and every reference from a visible
item to a left-out one is filled with a unique canary, and so is the git history the
team's changes page reads. Both sites are built by the real `cxplan build` (a strict
MkDocs build), then every file of each is searched, the search index, sitemaps (the
.gz too), pictures and the .ics and .csv downloads included.

A field added to the model later is filled here by its type; a type this file does not
know how to fill fails the test, so a new internal field cannot go unchecked. The plan's
team-only tags are canaries like any field; the tags marked for the customer must reach
it. And what a customer edition shows of status is the team's choice, proved both ways:
by default (`plain`) no file of it says overdue, broken or needs attention; with
`customer_status: flagged` (workspace or plan) it does, and a plan's choice wins over the
workspace's.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from annotated_types import Ge
from conftest import minimal_plan_text, mutate
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from cxplan.load import Source, parse
from cxplan.model.audience import (
    INTERNAL_FLAG,
    REFERENCES,
    Reference,
    internal_models,
    team_only_fields,
    team_only_sections,
)
from cxplan.model.build import build_plan
from cxplan.model.plan import Action, CustomerStep, Plan, PlanInfo, Stakeholder

PREFIX = "ZQX"
"""Every canary starts with it, and nothing else in the plan or the site does: the
customer site is searched for the prefix (any case), so a canary cut by wrapping or
truncation in a picture is still found."""
AS_OF = "2027-03-01"
REVIEW_TAG = "review/2027-01-04"
CONTACT = {"name": "Dana Steward", "title": "Head of Receiving"}
"""The name and title of the stakeholder who owns the visible customer step: the one
thing of the power map the customer edition shows (and must show)."""


class Canaries:
    """Unique values, and where each was put."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.dates: dict[dt.date, str] = {}

    def text(self, where: str) -> str:
        value = f"{PREFIX}{re.sub('[^A-Za-z0-9]', '', where)}{len(self.texts) + 1:03d}"
        self.texts[value] = where
        return value

    def date(self, where: str) -> dt.date:
        value = dt.date(2031, 1, 1) + dt.timedelta(days=7 * (len(self.dates) + 1))
        self.dates[value] = where
        return value


def _inner(annotation: Any) -> Any:
    """The annotation without Annotated and without `None` in an optional."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _inner(args[0])
        return annotation
    return annotation


def _is_text(annotation: Any) -> bool:
    return _inner(annotation) is str


def _reference(model: type[BaseModel], name: str) -> Reference | None:
    return next((r for r in REFERENCES if r.model is model and r.field == name), None)


Resolve = Callable[[Reference], str | None]


def secret_value(
    model: type[BaseModel], name: str, info: FieldInfo, canaries: Canaries, resolve: Resolve
) -> Any:
    """A value for one field of a left-out item: a canary wherever the type allows."""
    where = f"{model.__name__}.{name}"
    annotation = _inner(info.annotation)
    ref = _reference(model, name)
    if ref is not None:
        target = resolve(ref)
        if typing.get_origin(annotation) is list:
            return [target] if target else []
        return target
    if name == INTERNAL_FLAG:
        return True
    if annotation is str:
        return canaries.text(where)
    if annotation is dt.date:
        return canaries.date(where)
    origin = typing.get_origin(annotation)
    if origin is list and _is_text(typing.get_args(annotation)[0]):
        return [canaries.text(where), canaries.text(where)]
    if origin is list and issubclass(typing.get_args(annotation)[0], BaseModel):
        return [secret_item(typing.get_args(annotation)[0], canaries, resolve)]
    if isinstance(annotation, types.UnionType) and str in typing.get_args(annotation):
        return [canaries.text(where), canaries.text(where)]  # text or list of text
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if annotation is int:
        low = next((m.ge for m in info.metadata if isinstance(m, Ge)), 1)
        return low
    if annotation is bool:
        return False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return secret_item(annotation, canaries, resolve)
    raise TypeError(f"the leak test cannot fill {where} ({info.annotation}); teach it how")


def secret_item(model: type[BaseModel], canaries: Canaries, resolve: Resolve) -> dict[str, Any]:
    item = {
        name: secret_value(model, name, info, canaries, resolve)
        for name, info in model.model_fields.items()
    }
    if model in (Action, CustomerStep):  # every field filled: done, so `done_on` is allowed
        item["status"] = "done"
    return {key: value for key, value in item.items() if value is not None}


def _section_of(model: type[BaseModel]) -> str:
    for name, info in Plan.model_fields.items():
        annotation = _inner(info.annotation)
        if typing.get_origin(annotation) is list and typing.get_args(annotation)[0] is model:
            return name
    raise AssertionError(f"{model.__name__} is not the item of a top-level section")


def _mapping_of(model: type[BaseModel]) -> str | None:
    """The top-level key whose value is one `model` mapping (`plan` for PlanInfo)."""
    for name, info in Plan.model_fields.items():
        if _inner(info.annotation) is model:
            return name
    return None


CUSTOMER_TAG = "renewal-2027"


def canary_plan() -> tuple[dict[str, Any], Canaries]:
    """The minimal plan, plus every team-only thing the model declares, as canaries."""
    canaries = Canaries()
    source, problems = parse("base.yaml", minimal_plan_text())
    assert not problems
    data: dict[str, Any] = source.data
    data["stakeholders"] = []
    # A visible customer step; its owner is a power-map stakeholder (set below).
    data["customer_steps"] = [{
        "id": "s-visible", "title": "Send the dock schedule", "owner": "",
        "follow_up": "ben", "due": "2027-04-05",
    }]
    hidden: dict[str, list[str]] = {section: [] for section in team_only_sections()}
    for model in internal_models():
        hidden.setdefault(_section_of(model), [])

    def resolve(ref: Reference) -> str | None:
        for section in ref.targets:
            if hidden.get(section):
                return hidden[section][-1]
        return {"team": "ana", "areas": "ops", "moments": "tender"}.get(ref.targets[0])

    # 1. Fields team-only as a whole: sections (the power map), groups, single fields.
    for model, name in team_only_fields():
        info = model.model_fields[name]
        if model is Plan:
            annotation = _inner(info.annotation)
            if typing.get_origin(annotation) is list:
                item_model = typing.get_args(annotation)[0]
                for number in range(3):
                    item = secret_item(item_model, canaries, resolve)
                    if item_model is Stakeholder and number == 1:
                        del item["area"]  # one with no area: commitments to it are dropped
                    data[name].append(item)
                    hidden[name].append(item["id"])
            else:
                data[name] = secret_value(model, name, info, canaries, resolve)
            continue
        top = _mapping_of(model)
        if top is not None:  # a field of a top-level mapping (`plan.tags`)
            data[top][name] = secret_value(model, name, info, canaries, resolve)
            continue
        section = _section_of(model)
        for item in data[section]:
            item[name] = secret_value(model, name, info, canaries, resolve)
    # The visible step's owner: a stakeholder known to the customer by name and title.
    contact = next(p for p in data["stakeholders"] if p.get("area"))
    for key, value in CONTACT.items():
        del canaries.texts[contact[key]]  # no longer a secret: shown by design
        contact[key] = value
    data["customer_steps"][0]["owner"] = contact["id"]
    # The tags marked for the customer: visible, so no canary (checked to arrive).
    data["plan"]["customer_tags"] = [CUSTOMER_TAG]
    # 2. An internal item of every model that has the flag.
    for model in internal_models():
        section = _section_of(model)
        item = secret_item(model, canaries, resolve)
        data.setdefault(section, []).append(item)
        hidden[section].append(item["id"])
    # 3. Every reference from a visible item into a section that loses items.
    for ref in REFERENCES:
        if not any(hidden.get(t) for t in ref.targets) or ref.model is PlanInfo:
            continue
        section = _section_of(ref.model)
        if section in team_only_sections():
            continue  # a reference inside the power map goes with it
        visible = [i for i in data[section] if not i.get(INTERNAL_FLAG)]
        target = next(t for s in ref.targets for t in reversed(hidden.get(s) or []))
        info = ref.model.model_fields[ref.field]
        if typing.get_origin(_inner(info.annotation)) is list:
            visible[0].setdefault(ref.field, []).append(target)
        elif not info.is_required():
            visible[0][ref.field] = target
    # A visible commitment to the stakeholder with no area: it cannot be readdressed, so
    # the customer site leaves it out whole (its promise is a canary).
    data["commitments"].append({
        "id": canaries.text("dropped commitment id"),
        "promise": canaries.text("dropped commitment promise"),
        "to": hidden["stakeholders"][1], "owner": "ben", "due": "2027-05-03", "expectation": 3,
    })
    data["actions"][1].setdefault("commitments", []).append(data["commitments"][-1]["id"])
    # And the visible commitment goes to a stakeholder with an area (readdressed).
    data["commitments"][0]["to"] = hidden["stakeholders"][0]
    return data, canaries


def write_workspace(root: Path) -> tuple[Path, Canaries]:
    data, canaries = canary_plan()
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    source, problems = parse("acme.yaml", text)
    assert not problems, problems
    built, problems = build_plan(Source("acme.yaml", text, source.data), "acme")
    assert built is not None, problems  # the canary plan is a valid plan
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Acme\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - cxplan\n",
        encoding="utf-8",
    )
    plan = root / "plans" / "acme.yaml"
    plan.write_text(text, encoding="utf-8")
    # Git history for the team's changes page: a second commit, by a canary author with
    # a canary subject, moves the due date of the internal action. The review page: the
    # second commit is tagged as reviewed, and it also moves a power-map stakeholder's
    # support and influence (the team's pack names them; the customer's must not).
    def git(*args: str, author: str = "Ana Ruiz", day: str = "2027-01-04") -> None:
        stamp = f"{day}T10:00:00+00:00"
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root),
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        subprocess.run(
            ["git", "-c", f"user.name={author}", "-c", "user.email=a@example.com",
             "-c", "commit.gpgsign=false", *args],
            cwd=root, env=env, check=True, capture_output=True,
        )

    git("init", "-q", "-b", "main")
    git("add", "plans", "mkdocs.yml")
    git("commit", "-q", "-m", "Start", day="2027-01-03")
    internal = next(a for a in data["actions"] if a.get(INTERNAL_FLAG))
    moved = canaries.date("internal action due, moved")
    person = data["stakeholders"][0]
    person["support"] = "blocker" if person["support"] != "blocker" else "champion"
    person["influence"] = 1 if person["influence"] != 1 else 5
    second = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    plan.write_text(second.replace(str(internal["due"]), str(moved)), encoding="utf-8")
    git("commit", "-q", "-am", canaries.text("commit subject"),
        author=canaries.text("commit author"))
    git("tag", REVIEW_TAG)
    return root, canaries


def build(workspace: Path, audience: str) -> Path:
    site = workspace / f"site-{audience}"
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--audience", audience,
         "--site-dir", str(site), "--as-of", AS_OF],
        cwd=workspace, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def site_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of every file of a site, as a reader or a tool sees its content:
    gzip files decompressed, folded .ics lines unfolded."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", "replace")
        if path.suffix == ".ics":
            text = text.replace("\r\n ", "").replace("\r\n\t", "")
        yield path.relative_to(site).as_posix(), text


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Canaries]:
    workspace, canaries = write_workspace(tmp_path_factory.mktemp("leak"))
    return build(workspace, "team"), build(workspace, "customer"), canaries


def _date_forms(day: dt.date) -> tuple[str, str]:
    return day.isoformat(), day.strftime("%Y%m%d")  # .ics writes dates without dashes


def test_the_plan_has_a_canary_in_every_team_only_field_and_internal_model() -> None:
    _, canaries = canary_plan()
    places = set(canaries.texts.values()) | set(canaries.dates.values())
    for model, name in team_only_fields():
        if model is Plan:
            annotation = _inner(model.model_fields[name].annotation)
            item = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else (
                annotation
            )
            assert any(p.startswith(f"{item.__name__}.") for p in places), name
        else:
            assert f"{model.__name__}.{name}" in places
    for model in internal_models():
        assert f"{model.__name__}.id" in places


def test_no_canary_reaches_any_file_of_the_customer_site(
    sites: tuple[Path, Path, Canaries],
) -> None:
    _, customer, canaries = sites
    files = dict(site_texts(customer))
    # The customer edition of plan acme is its own site at OUT/acme/.
    assert "acme/search/search_index.json" in files and "acme/sitemap.xml.gz" in files
    assert any(p.endswith(".ics") for p in files) and any(p.endswith(".csv") for p in files)
    assert any(p.endswith(".svg") or "<svg" in text for p, text in files.items())
    leaks = [
        (path, match.group())
        for path, text in files.items()
        for match in re.finditer(f"{PREFIX}[A-Za-z0-9]*", text, re.IGNORECASE)
    ]
    dates = [
        (path, where)
        for path, text in files.items()
        for day, where in canaries.dates.items()
        if any(form in text for form in _date_forms(day))
    ]
    assert leaks == [] and dates == []


def test_the_customer_site_names_the_step_owner_by_name_and_title_only(
    sites: tuple[Path, Path, Canaries],
) -> None:
    _, customer, _ = sites
    mutual = (customer / "acme" / "mutual" / "index.html").read_text("utf-8")
    assert "Send the dock schedule" in mutual
    assert CONTACT["name"] in mutual and CONTACT["title"] in mutual


def test_the_team_site_shows_every_canary(sites: tuple[Path, Path, Canaries]) -> None:
    team, _, canaries = sites
    everything = "\n".join(text for _, text in site_texts(team))
    missing = {value: where for value, where in canaries.texts.items() if value not in everything}
    assert missing == {}


def test_the_review_page_of_each_edition(sites: tuple[Path, Path, Canaries]) -> None:
    """The team's pack names the internal action's slip and the stakeholder who moved
    (canaries); the customer's page exists and holds none of them (the search above
    covers every file, this page among them)."""
    team, customer, canaries = sites
    mine = (team / "plans" / "acme" / "review" / "index.html").read_text("utf-8")
    assert REVIEW_TAG in mine and PREFIX in mine
    moved = next(d for d, where in canaries.dates.items() if where.startswith("internal"))
    assert moved.isoformat() in mine  # the internal action's new due date: its slip
    theirs = (customer / "acme" / "review" / "index.html").read_text("utf-8")
    assert "Since the last review" in theirs
    assert re.search(PREFIX, theirs, re.IGNORECASE) is None
    assert REVIEW_TAG not in theirs and moved.isoformat() not in theirs


def test_the_customer_site_has_no_team_only_page(sites: tuple[Path, Path, Canaries]) -> None:
    team, customer, _ = sites
    for page in ("power-map", "engagement", "changes"):
        assert (team / "plans" / "acme" / page / "index.html").is_file(), page
        assert not (customer / "plans" / "acme" / page).exists(), page
    for path, text in site_texts(customer):
        assert "power-map/" not in text and "engagement/" not in text, path


def test_the_tags_marked_for_the_customer_reach_it(sites: tuple[Path, Path, Canaries]) -> None:
    team, customer, _ = sites
    # The team's pages of acme are under plans/acme/; its customer edition is OUT/acme/.
    for overview in (team / "plans" / "acme" / "index.html", customer / "acme" / "index.html"):
        assert CUSTOMER_TAG in overview.read_text(encoding="utf-8")


# --- status: the team's choice, both ways --------------------------------------------

STATUS_AS_OF = "2027-03-01"
REVIEW_TAG = "review/2027-01-04"
JUDGEMENTS = ("overdue", "broken", "needs attention", "at risk", "✗")


def status_plan(customer_status: str | None = None) -> str:
    """The minimal plan with an overdue action and a broken commitment on STATUS_AS_OF."""
    text = mutate(minimal_plan_text(), "    due: 2027-04-30\n", "    due: 2027-02-10\n")
    text = mutate(text, "    expectation: 4\n", "    expectation: 4\n    perceived: 2\n")
    if customer_status is not None:
        text = mutate(text, "  end: 2027-12-17\n",
                      f"  end: 2027-12-17\n  customer_status: {customer_status}\n")
    return text


def customer_edition(root: Path, workspace_option: str | None,
                     plan_option: str | None) -> dict[str, str]:
    option = f"      customer_status: {workspace_option}\n" if workspace_option else ""
    (root / "plans").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Acme\ntheme:\n  name: material\nplugins:\n  - search\n"
        f"  - cxplan:\n{option or '      plans_dir: plans' + chr(10)}",
        encoding="utf-8",
    )
    (root / "plans" / "acme.yaml").write_text(status_plan(plan_option), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--audience", "customer",
         "--site-dir", str(root / "site"), "--as-of", STATUS_AS_OF],
        cwd=root, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(site_texts(root / "site"))


def judgements(files: dict[str, str]) -> list[tuple[str, str]]:
    """Judging words in the site's pages, search index, pictures and downloads (the
    theme's and cxplan's own stylesheets and scripts are no content)."""
    return [(path, word) for path, text in files.items() for word in JUDGEMENTS
            if "assets/" not in path and word in text.casefold()]


@pytest.mark.parametrize(
    ("workspace_option", "plan_option", "flagged"),
    [
        (None, None, False),  # the default: plain
        ("plain", None, False),
        ("flagged", None, True),
        ("flagged", "plain", False),  # the plan's choice wins
        ("plain", "flagged", True),
    ],
)
def test_customer_status_is_the_teams_choice(
    tmp_path: Path, workspace_option: str | None, plan_option: str | None, flagged: bool
) -> None:
    files = customer_edition(tmp_path, workspace_option, plan_option)
    found = judgements(files)
    # The customer edition of acme is its own site at OUT/acme/.
    overview = files["acme/index.html"]
    actions = files["acme/actions/index.html"]
    csv = next(text for path, text in files.items() if path.endswith(".csv"))
    if flagged:
        assert "Needs attention" in overview and "Overdue" in overview
        assert "Broken" in files["acme/commitments/index.html"]
        assert ",broken," in csv
    else:
        assert found == []
        # The facts stay: the action with its due date and status, the measured promise.
        assert "Monthly review with Finance" in actions and "2027-02-10" in actions
        assert "Measured" in files["acme/commitments/index.html"]
        assert ",measured," in csv


def test_the_team_site_always_shows_status(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Acme\ntheme:\n  name: material\nplugins:\n  - search\n"
        "  - cxplan:\n      customer_status: plain\n", encoding="utf-8")
    (tmp_path / "plans" / "acme.yaml").write_text(status_plan("plain"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cxplan", "build", "--site-dir", str(tmp_path / "site"),
         "--as-of", STATUS_AS_OF], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    overview = (tmp_path / "site" / "plans" / "acme" / "index.html").read_text(encoding="utf-8")
    assert "Needs attention" in overview and "Overdue" in overview
