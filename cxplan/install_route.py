"""Where a workspace installs cxplan from: the one line its requirements.txt holds.

cxplan is not on the public package registry, so a workspace must say where CI and
its members install it from, and all of them install the same version:

- a git URL with a tag: `cxplan @ git+https://github.com/ORG/cxplan@v0.1.0`;
- a wheel committed to the workspace: `./wheels/cxplan-0.1.0-py3-none-any.whl`;
- a requirement for the organisation's own package index: `cxplan==0.1.0`.

`cxplan init --install-from` states it; without it, the route cxplan itself was
installed by is used when another machine can follow it (a git URL, read from the
installation's PEP 610 `direct_url.json`). Otherwise requirements.txt holds a
placeholder that fails with a message naming what to fill in, and `init` says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata

from cxplan import __version__

PLACEHOLDER = "cxplan @ git+https://FILL-IN.invalid/where-your-team-keeps-cxplan@v{version}"


@dataclass(frozen=True)
class InstallRoute:
    requirement: str
    """The requirements.txt line."""
    stated: bool
    """False when it is the placeholder the owner must fill in."""

    @property
    def git_url(self) -> str | None:
        """`git+URL@REV` of a git route (for a pre-commit hook that installs it)."""
        _, _, url = self.requirement.partition("@ ")
        return url.strip() if url.strip().startswith("git+") else None


def requirement_for(spec: str) -> str:
    """The requirements.txt line for what the owner wrote after `--install-from`."""
    spec = spec.strip()
    if spec.startswith("git+"):
        return f"cxplan @ {spec}"
    return spec


def _installed_route() -> str | None:
    """The git route this cxplan was installed by, if it was (PEP 610)."""
    try:
        raw = metadata.distribution("cxplan").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not raw:
        return None
    try:
        info = json.loads(raw)
    except ValueError:
        return None
    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or not isinstance(url, str):
        return None
    revision = vcs.get("requested_revision") or vcs.get("commit_id")
    return f"git+{url}" + (f"@{revision}" if revision else "")


def install_route(spec: str | None) -> InstallRoute:
    """The route stated by the owner, else the one cxplan came by, else the placeholder."""
    if spec:
        return InstallRoute(requirement_for(spec), True)
    found = _installed_route()
    if found is not None:
        return InstallRoute(requirement_for(found), True)
    return InstallRoute(PLACEHOLDER.format(version=__version__), False)
