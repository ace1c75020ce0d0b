from __future__ import annotations

import click


@click.command("new")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan new: not available yet", err=True)
    return 1
