"""The JSON Schema for editors: generated from the models, committed, and truthful.

Editors (VS Code through the YAML language server, and others) validate plans with
draft-07 semantics against schema/plan.schema.json; the example plans point at it with
a modeline. The plans are read with cxplan's own loader, so YAML 1.2 rules apply and
dates stay text, as they do in the language server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO, minimal_plan_text, mutate
from jsonschema import Draft7Validator

from cxplan.cli import cli
from cxplan.load import load_file, parse

MODELINE = "# yaml-language-server: $schema=../schema/plan.schema.json"
COMMITTED = REPO / "schema" / "plan.schema.json"
EXAMPLES = sorted((REPO / "plans").glob("*.yaml"))


def printed_schema() -> str:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads(printed_schema())
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def loaded(text: str) -> Any:
    source, problems = parse("plan.yaml", text)
    assert problems == []
    return source.data


def test_printed_schema_is_draft_07() -> None:
    schema = json.loads(printed_schema())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    # References stay inside the document (what the YAML language server resolves).
    refs = [value for value in _walk(schema) if isinstance(value, str) and value.startswith("#")]
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)
    assert {ref.removeprefix("#/$defs/") for ref in refs} <= set(schema["$defs"])


def _walk(node: Any) -> list[Any]:
    found: list[Any] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.append(value)
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def test_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == printed_schema(), (
        "schema/plan.schema.json is stale: run `cxplan schema > schema/plan.schema.json`"
    )


def test_there_are_example_plans() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_plans_start_with_the_modeline(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_plans_satisfy_the_schema(validator: Draft7Validator, path: Path) -> None:
    source, problems = load_file(path)
    assert problems == []
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(source.data)]
    assert errors == []


def test_minimal_plan_satisfies_the_schema(validator: Draft7Validator) -> None:
    assert list(validator.iter_errors(loaded(minimal_plan_text()))) == []


@pytest.mark.parametrize(("old", "new", "where", "keyword"), [
    ("support: neutral", "support: netural", ["stakeholders", 1, "support"], "enum"),
    ("    direction: up\n", "", ["kpis", 0], "required"),
    ("    horizon: medium-term", "    horizn: medium-term", ["actions", 1], "additionalProperties"),
    ("influence: 4", "influence: 7", ["stakeholders", 0, "influence"], "maximum"),
    ("  - id: a2", "  - id: acción-2", ["actions", 1, "id"], "pattern"),
    ("    owner: ana\n    due: 2027-04-30", "    owner: [ana, ben]\n    due: 2027-04-30",
     ["actions", 1, "owner"], "type"),
    ("target: 95", 'target: "95"', ["kpis", 0, "target"], "anyOf"),
    ("    expectation: 4\n", "    expectation: 4\n    internal: yes\n",
     ["commitments", 0, "internal"], "type"),
    ("due: 2027-02-15", "due: 2027-02-30", ["commitments", 0, "due"], "format"),
])
def test_invalid_plans_are_rejected_by_the_schema_too(
    validator: Draft7Validator, old: str, new: str, where: list[Any], keyword: str
) -> None:
    data = loaded(mutate(minimal_plan_text(), old, new))
    found = [(list(e.absolute_path), e.validator) for e in validator.iter_errors(data)]
    assert (where, keyword) in found
    # Nothing else, except the missing key a misspelt one leaves behind.
    assert [f for f in found if f != (where, keyword)] in ([], [(where, "required")])


def test_field_descriptions_are_the_docstrings_pydantic_would_read() -> None:
    """The models' attribute docstrings are read on demand (`field_docs`), not by
    Pydantic at class creation: the same texts, for every model of the plan and of the
    plugin's options, as Pydantic's own reader gives (and the schema above carries)."""
    from pydantic import BaseModel
    from pydantic._internal._docs_extraction import extract_docstrings_from_cls

    from cxplan import config
    from cxplan.model import plan
    from cxplan.model.field_docs import field_doc

    models = [m for module in (plan, config) for m in vars(module).values()
              if isinstance(m, type) and issubclass(m, BaseModel)
              and m.__module__ == module.__name__]
    assert len(models) > 15
    documented = 0
    for model in models:
        pydantics = extract_docstrings_from_cls(model, use_inspect=True)
        for name in vars(model).get("__annotations__", {}):
            if name in model.model_fields:
                assert field_doc(model, name) == pydantics.get(name, ""), (model, name)
                documented += bool(pydantics.get(name))
    assert documented > 100
