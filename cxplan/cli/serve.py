from __future__ import annotations

import click


@click.command("serve")
def command() -> int:
    """(Not available yet.)"""
    click.echo("cxplan serve: not available yet", err=True)
    return 1
