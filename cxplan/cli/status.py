from __future__ import annotations

import click


@click.command("status")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan status: not available yet", err=True)
    return 1
