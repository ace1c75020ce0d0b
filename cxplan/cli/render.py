from __future__ import annotations

import click


@click.command("render")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan render: not available yet", err=True)
    return 1
