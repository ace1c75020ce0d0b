from __future__ import annotations

import json

import click

from cxplan.model.plan import json_schema


@click.command("schema")
def command() -> None:
    """Print the plan format's JSON Schema, for editors.

    Example: cxplan schema > schema/plan.schema.json
    """
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
