"""A fingerprint of one plan item, to tell whether it changed since a sheet was exported.

An update sheet (`cxplan export --format xlsx|csv`) carries, in a hidden column, the
fingerprint of each row's action or commitment as it was when exported; `cxplan import`
compares it with the item as it is in the file now. A whole-item hash alone would say
*that* something changed, not *what*; so the fingerprint is one short hash per field
(`cx1:id=3f2a9c1e,title=...`), which names the changed fields without carrying their
values (a sheet sent to a colleague must not smuggle team-only notes in a hidden
column). Eight hex digits per field: a collision needs a change that happens to hash
alike, one chance in four billion per field.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

PREFIX = "cx1:"

# One encoder, reused (the site writes a fingerprint per item of every plan's CSV):
# compact, keys sorted, so a value always encodes to the same text.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def field_hashes(item: BaseModel) -> dict[str, str]:
    """Field name -> short hash (BLAKE2b, 4 bytes) of its value, every field included."""
    dumped = item.model_dump(mode="json")
    return {
        name: hashlib.blake2b(_ENCODER.encode(value).encode("utf-8"), digest_size=4).hexdigest()
        for name, value in dumped.items()
    }


def fingerprint(item: BaseModel) -> str:
    """The text written in a sheet's hidden fingerprint cell."""
    return PREFIX + ",".join(f"{name}={digest}" for name, digest in field_hashes(item).items())


def parse_fingerprint(text: str) -> dict[str, str] | None:
    """Field -> hash from a fingerprint cell, or None when it is not one."""
    if not text.startswith(PREFIX):
        return None
    found: dict[str, str] = {}
    for part in text[len(PREFIX):].split(","):
        name, equals, digest = part.partition("=")
        if not equals or not name or len(digest) != 8:
            return None
        found[name] = digest
    return found


def changed_fields(item: BaseModel, exported: dict[str, str]) -> list[str]:
    """The fields of `item` whose value differs from the one fingerprinted, in order."""
    now = field_hashes(item)
    return [name for name in now if exported.get(name) != now[name]] + [
        name for name in exported if name not in now
    ]
