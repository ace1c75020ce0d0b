from __future__ import annotations

import click


@click.command("export")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan export: not available yet", err=True)
    return 1
