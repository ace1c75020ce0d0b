from __future__ import annotations

import click


@click.command("history")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan history: not available yet", err=True)
    return 1
