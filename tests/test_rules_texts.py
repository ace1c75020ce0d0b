"""The words of rule findings: every rule has a message and a hint template in English
and Spanish with the same placeholders, every template is used, and a finding reads
the same facts in both languages (validate prints the English)."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import string
import sys
from pathlib import Path

import pytest
from catalogue_tables import LANGUAGES, TEMPLATES, TEXTS
from catalogue_tables import LANGUAGES as SITE_LANGUAGES
from test_history_rule import moved
from test_rules import A4_FOR_ANA, AS_OF, CASES, CLEAN_PLAN, Change, apply, findings

from cxplan.config import WorkspaceConfig
from cxplan.model.build import load_plan
from cxplan.rules import REGISTRY, Finding, plan_findings
from cxplan.rules.wording import id_list, render_text

RULE_KEY = re.compile(r"^rules\.(CX5\d\d)\.(message|hint)(\.[a-z_]+)?$")


def fields(template: str) -> dict[str, set[str]]:
    """Placeholder name -> the format specs it is used with."""
    found: dict[str, set[str]] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is not None:
            found.setdefault(name, set()).add(spec or "")
    return found


def test_the_rules_speak_the_site_languages() -> None:
    assert LANGUAGES == SITE_LANGUAGES
    for language in LANGUAGES:
        assert set(TEXTS[language]) == set(TEMPLATES)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_rule_has_a_message_and_a_hint_in_both_languages(code: str) -> None:
    for part in ("message", "hint"):
        for language in LANGUAGES:
            assert TEXTS[language][f"rules.{code}.{part}"].strip(), (code, part, language)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_both_languages_fill_the_same_placeholders(key: str) -> None:
    texts = TEMPLATES[key]
    assert set(texts) == set(LANGUAGES), key
    english = fields(texts["en"])
    for language in LANGUAGES:
        text = texts[language]
        assert text.strip() and text == text.strip(), (key, language)
        assert set(fields(text)) == set(english), (key, language)
        for name, specs in fields(text).items():
            for spec in specs:
                if "|" not in spec:
                    continue
                options = spec.split("|")
                if any("=" in option for option in options):  # a choice by value
                    assert all(option.count("=") == 1 for option in options), (key, spec)
                else:  # singular|plural
                    assert len(options) == 2 and all(options), (key, spec)
                    assert name in english, (key, name)
    if key.startswith("rules.CX"):
        assert texts["es"] != texts["en"], f"{key} is not translated"


def test_every_template_belongs_to_a_rule_that_uses_it() -> None:
    for key in TEMPLATES:
        if key.startswith("rules.list."):
            continue
        match = RULE_KEY.match(key)
        assert match, f"{key}: rule templates are rules.<CODE>.message|hint[.variant]"
        code, part, variant = match.groups()
        assert code in REGISTRY, key
        if part == "hint" and variant is None:
            continue  # the default hint: cxplan.rules.run uses it when a hit names none
        source = inspect.getsource(sys.modules[REGISTRY[code].check.__module__])
        written = key if variant is None else key.removesuffix(variant)
        assert f'"{written}' in source, f"{key} is not used by {code}'s check()"


# Findings that take each template's other variant (CASES take the main one).
VARIANTS: list[tuple[str, list[Change], dict[str, object]]] = [
    ("CX501", [("    status: done\n    done_on: 2027-01-20\n", "    status: dropped\n")], {}),
    ("CX505", [("due: 2027-04-15", "due: 2027-04-01"),
               ("kind: communication", "kind: communication\n    commitments: [c1]")], {}),
    ("CX509", [("influence: 3\n    support: neutral\n    owner: ben",
                "influence: 4\n    support: blocker"), ("    stakeholders: [eli]\n", "")], {}),
    ("CX509", [("influence: 3\n    support: neutral\n    owner: ben",
                "influence: 4\n    support: blocker")], {}),
    ("CX517", [("    readings:\n      - date: 2027-01-31\n        value: 88\n"
                "      - date: 2027-02-28\n        value: 91\n", "")], {"kpi_stale_days": 10}),
    ("CX521", [("last_contact: 2027-02-10", "last_contact: 2026-11-20"),
               ("support: neutral\n    owner: ben", "support: neutral")], {}),
]

NO_STAKEHOLDERS = CLEAN_PLAN[: CLEAN_PLAN.index("stakeholders:")] + CLEAN_PLAN[
    CLEAN_PLAN.index("commitments:"):
].replace("    stakeholders: [eli]\n", "")


def folder(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


def every_kind_of_finding(tmp_path: Path) -> list[Finding]:
    found: list[Finding] = []
    for number, (_, trigger, _, _, config) in enumerate(CASES):
        found += findings(folder(tmp_path, f"case{number}"), apply(CLEAN_PLAN, trigger), **config)
    for number, (_, trigger, config) in enumerate(VARIANTS):
        found += findings(
            folder(tmp_path, f"variant{number}"), apply(CLEAN_PLAN, trigger), **config
        )
    found += findings(folder(tmp_path, "alone"), NO_STAKEHOLDERS)
    # One person over the limit counted across two plans.
    two = folder(tmp_path, "two")
    plans = []
    for name in ("acme", "globex"):
        path = two / f"{name}.yaml"
        path.write_text(apply(CLEAN_PLAN, [("kpis:\n", A4_FOR_ANA)]), encoding="utf-8")
        plan_file, problems = load_plan(path)
        assert plan_file is not None, problems
        plans.append(plan_file)
    found += plan_findings(plans[0], WorkspaceConfig(max_open_actions=3), AS_OF, portfolio=plans)
    # CX532 compares two plans: a person gone from one, seen in the other.
    moves = folder(tmp_path, "moves")
    email = "    last_contact: 2027-02-20\n    email: dora@example.com\n"
    gone = email + "    gone:\n      on: 2027-02-25\n      why: left-company\n"
    pair = []
    for name, text in (("acme", gone), ("globex", email)):
        path = moves / f"{name}.yaml"
        path.write_text(apply(CLEAN_PLAN, [("    last_contact: 2027-02-20\n", text)]),
                        encoding="utf-8")
        plan_file, problems = load_plan(path)
        assert plan_file is not None, problems
        pair.append(plan_file)
    for plan_file in pair:
        found += plan_findings(plan_file, WorkspaceConfig(), AS_OF, portfolio=pair)
    # CX522 reads a real git history.
    repo = moved(folder(tmp_path, "history"), 3)
    plan_file, problems = load_plan(repo.root / "plans" / "acme.yaml")
    assert plan_file is not None, problems
    found += plan_findings(plan_file, WorkspaceConfig(), dt.date(2027, 1, 20))
    return found


def test_every_template_is_used_and_reads_the_same_facts_in_both_languages(
    tmp_path: Path,
) -> None:
    found = every_kind_of_finding(tmp_path)
    used = {f.message_key for f in found} | {f.hint_key for f in found}
    rule_keys = {key for key in TEMPLATES if not key.startswith("rules.list.")}
    assert rule_keys - used == set(), "templates no test finding uses"
    for finding in found:
        # validate prints the English templates filled with the finding's facts.
        assert finding.diagnostic.message == finding.message_in("en")
        assert finding.diagnostic.hint == finding.hint_in("en")
        # An unknown language falls back to English, as the site's labels do.
        assert finding.message_in("fr") == finding.diagnostic.message
        spanish = finding.message_in("es")
        assert spanish != finding.diagnostic.message
        assert finding.hint_in("es") != finding.diagnostic.hint
        # The ids the English names are named in Spanish too.
        for quoted in re.findall(r"'[^']*'", finding.diagnostic.message):
            assert quoted in spanish, (finding.code, quoted, spanish)
        # No placeholder is left unfilled.
        assert "{" not in spanish and "}" not in spanish


def test_overdue_action_in_spanish() -> None:
    facts = {"action": "a2", "owner": "ben", "due": dt.date(2027, 2, 26)}
    words = {"todo": "por hacer", "doing": "en curso", "blocked": "bloqueada"}
    for status, word in words.items():
        text = render_text("es", "rules.CX503.message", {**facts, "status": status, "days": 3})
        assert text == (
            f"la acción 'a2' ({word}, responsable 'ben') lleva 3 días vencida: "
            "vencía el 2027-02-26"
        )
    one = render_text("es", "rules.CX503.message", {**facts, "status": "todo", "days": 1})
    assert "lleva 1 día vencida" in one
    assert "is 1 day overdue" in render_text(
        "en", "rules.CX503.message", {**facts, "status": "todo", "days": 1}
    )


def test_id_lists_are_joined_the_language_s_way() -> None:
    assert id_list(("a",), "en") == "'a'"
    assert id_list(("a", "b"), "en") == "'a' and 'b'"
    assert id_list(("a", "b", "c"), "es") == "'a', 'b' y 'c'"
    eight = tuple("abcdefgh")
    assert id_list(eight, "en").endswith("'f' and 2 more")
    assert id_list(eight, "es").endswith("'f' y 2 más")


def test_plural_and_choice_specs() -> None:
    def days(language: str, n: int) -> str:
        return render_text(language, "rules.CX522.message", {
            "action": "a", "moves": n, "limit": 2, "first_due": dt.date(2027, 1, 1),
            "current_due": dt.date(2027, 1, 2), "days": -n, "author": "Ann", "day":
            dt.date(2027, 1, 3), "commit": "abc", "owner": "ann",
        })
    assert "moved 1 time " in days("en", 1) and "(-1 day)" in days("en", 1)
    assert "moved 3 times " in days("en", 3) and "(-3 days)" in days("en", 3)
    assert "movido 1 vez " in days("es", 1) and "(-1 día)" in days("es", 1)
    assert "movido 3 veces " in days("es", 3) and "(-3 días)" in days("es", 3)
    # A value the choice does not list is shown as it is.
    text = render_text("es", "rules.CX509.message.no_owner",
                       {"support": "neutral", "stakeholder": "x", "influence": 4})
    assert "('x'" not in text and "(neutral, influencia 4)" in text
