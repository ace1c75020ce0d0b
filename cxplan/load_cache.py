"""A persistent cache of parsed plan files: what `load.load_file` gives for bytes it
read before, without parsing them again.

Parsing is most of the time a check of an unchanged workspace spends (6 ms of the
8 ms a plan of 60 actions costs): `cxplan build` after a save, in a portfolio of 100
plans, parsed 99 plans it had parsed before. An entry holds one plan file's parse:

- the values, as JSON (only a tree JSON gives back exactly is written: text keys,
  text, numbers, booleans, null, lists and mappings);
- the positions of its values and keys, packed, in the order of a walk of the values:
  the locs are the walk's, so they are not written;
- how plain numbers were written, and the loader's warnings.

Only a file read without a problem is cached (its warnings apart); a file with an
error is parsed again each time, for its full report. An entry is used only for the
same file shown under the same name with the same bytes, read by the same loader
(`LOADER_MODULES` and PyYAML's version are in its key); anything else, a damaged entry
included, is parsed again. JSON only, never pickle: an entry is data, never code.

The cache lives in `CXPLAN_CACHE_DIR` (`$XDG_CACHE_HOME/cxplan`, `~/.cache/cxplan`
without it; an empty value turns it off), in a folder only its owner may read (0700):
it holds the plans' text. A folder of another user's is not used. It may be deleted at
any time; one entry per plan file, rewritten when the file changes.

`cached_json` keeps other trees made from a file's bytes alone the same way (the
catalogues of texts, 8 ms a language to read from YAML), one entry per file.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import math
import os
import stat
import sys
import time
from array import array
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any

import yaml

from cxplan import __version__, load
from cxplan.diagnostics import Diagnostic, Severity
from cxplan.files import WriteFailed, source_digest, write_atomically
from cxplan.i18n import Text
from cxplan.load import Loc, PositionTable, Source, Written

log = logging.getLogger(__name__)

FORMAT = 2
LOADER_MODULES = ("cxplan.load", "cxplan.yaml_traps", "cxplan.parser_words",
                  "cxplan.diagnostics", "cxplan.i18n", __name__)
"""The modules whose code decides what a parse gives: a change to any of them makes
every entry stale."""


def load_file(path: Path, display: str | None = None, *, raw: bytes | None = None
              ) -> tuple[Source, list[Diagnostic]]:
    """`load.load_file`, from the cache when these bytes were parsed before."""
    folder = cache_folder()
    if folder is None:
        return load.load_file(path, display, raw=raw)
    if raw is None:
        try:
            raw = load.read_capped(path)
        except (load.LoadError, OSError):
            return load.load_file(path, display)  # which reports why
    shown = display if display is not None else str(path)
    entry = _entry(folder, f"{path.absolute()}\0{shown}")
    key = _key("plan", f"{_loader_digest()}\0{shown}".encode() + b"\0" + raw)
    cached = _plan_source(_kept(entry, key), shown, raw)
    if cached is not None:
        return cached, []
    source, problems = load.load_file(path, display, raw=raw, keep_written=True)
    if source.written is not None:
        if not problems:
            record = _plan_record(source, source.written)
            if record is not None:
                _keep(entry, key, record)
        source.written = None
    return source, problems


def cached_json(kind: str, slot: str, raw: bytes, make: Callable[[], Any],
                valid: Callable[[Any], bool]) -> Any:
    """`make()`, a JSON tree made from the bytes `raw` alone (a catalogue of texts read
    from its YAML), from the cache when the same bytes were made into it before and
    the value kept is `valid`. `kind` names what `make` does, with a version to change
    when it changes (`"catalogue/1"`); `slot` names what is kept (the file's path):
    one entry per slot, rewritten when the bytes change."""
    folder = cache_folder("json")
    if folder is None:
        return make()
    entry = _entry(folder, f"{kind}\0{slot}")
    key = _key(kind, raw)
    kept = _kept(entry, key)
    if kept is not None and valid(kept):
        return kept
    made = make()
    try:
        if json.loads(json.dumps(made)) == made:  # only a tree JSON gives back as it is
            _keep(entry, key, made)
    except (ValueError, TypeError) as exc:
        log.debug("cxplan: cache entry not written (%s)", exc)
    return made


def _entry(folder: Path, slot: str) -> Path:
    """The one entry of `slot` (what is kept: a plan file, a catalogue) in `folder`."""
    name = hashlib.blake2b(slot.encode("utf-8", "surrogateescape"), digest_size=16)
    return folder / f"{name.hexdigest()}.json"


def _key(kind: str, raw: bytes) -> str:
    """What an entry's value was made from: it is used only for the same bytes."""
    return hashlib.blake2b(kind.encode() + b"\0" + raw, digest_size=24).hexdigest()


def _kept(entry: Path, key: str) -> Any:
    """The value `entry` keeps for `key`; None when it has none, another key's, or
    cannot be read (a damaged entry is made again)."""
    try:
        # No NaN or infinity: an entry is written without them, so a damaged one has them.
        kept = json.loads(entry.read_text(encoding="utf-8"), parse_constant=_no_constant)
    except (OSError, ValueError) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.debug("cxplan: cache entry %s not used (%s)", entry.name, exc)
        return None
    return kept.get("value") if isinstance(kept, dict) and kept.get("key") == key else None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in a cache entry")


def _keep(entry: Path, key: str, value: Any) -> None:
    """Write `entry` whole or not at all (another process may be reading it), for its
    owner only; a full disk or a read-only home only loses the speed-up."""
    _prune(entry.parent)
    try:
        text = json.dumps({"key": key, "value": value}, ensure_ascii=False,
                          separators=(",", ":"), allow_nan=False)
        write_atomically(entry, text.encode("utf-8"), mode=0o600, durable=False)
    except (OSError, ValueError, WriteFailed) as exc:
        log.debug("cxplan: cache entry not written (%s)", exc)


def cache_folder(kind: str = "plans") -> Path | None:
    """The folder `kind`'s entries are kept in (made 0700 if missing), or None: the
    cache is off, the folder cannot be made, or it is another user's."""
    setting = os.environ.get("CXPLAN_CACHE_DIR")
    if setting is None:
        try:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found
            return None
        setting = str(Path(base) / "cxplan")
    return _usable(Path(setting) / kind) if setting else None


def _usable(folder: Path) -> Path | None:
    """`folder`, made if missing; left unused unless it is a folder of this user's.
    One that others may read or write is closed to them (it is cxplan's own folder,
    and it holds the plans' text)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        state = folder.lstat()
        if not stat.S_ISDIR(state.st_mode) or state.st_uid != os.geteuid():
            log.debug("cxplan: %s is not a folder of this user's; no cache", folder)
            return None
        if state.st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        log.debug("cxplan: no cache of parsed plans (%s)", exc)
        return None
    return folder


@cache
def _loader_digest() -> str:
    """The digest of what decides a parse: the loader's code, PyYAML, the byte order
    the packed positions are written in."""
    return source_digest(LOADER_MODULES, f"{__version__}/{FORMAT}/{yaml.__version__}/"
                         f"{load._Parser.__name__}/{sys.byteorder}")


def walk(data: Any) -> tuple[list[Loc], list[Loc]]:
    """The locs of every value (the root's first) and of every mapping key of `data`,
    in the order the loader meets them in the file. Raises `_NotExact` for a tree JSON
    would not give back as it is (a key that is not text, a float that is not finite).
    Leaves are handled in their parent's loop: most values are leaves, and this runs
    for every value of every cached plan."""
    values: list[Loc] = []
    keys: list[Loc] = []

    def leaf(node: Any) -> None:
        if type(node) is float and not math.isfinite(node):
            raise _NotExact

    def visit(loc: Loc, node: Any) -> None:
        values.append(loc)
        if type(node) is dict:
            for name, child in node.items():
                if type(name) is not str:
                    raise _NotExact
                here = (*loc, name)
                keys.append(here)
                if type(child) is dict or type(child) is list:
                    visit(here, child)
                else:
                    values.append(here)
                    leaf(child)
        elif type(node) is list:
            for index, child in enumerate(node):
                if type(child) is dict or type(child) is list:
                    visit((*loc, index), child)
                else:
                    values.append((*loc, index))
                    leaf(child)
        else:
            leaf(node)

    visit((), data)
    return values, keys


class _NotExact(Exception):
    """The tree holds something JSON would not give back as it is."""


def _plan_record(source: Source, written: Written) -> dict[str, Any] | None:
    """What an entry keeps of a parse; None for a tree the walk does not give back as
    the loader built it (then the plan is simply parsed each time)."""
    try:
        if walk(source.data) != (written.value_locs, written.key_locs):
            return None
    except _NotExact:
        return None
    if any(w.texts is None for w in source.warnings):
        return None  # a warning only in English would come back without its language
    return {
        "data": source.data,
        "values": _packed_text(written.values), "keys": _packed_text(written.keys),
        "raw": [[list(loc), text] for loc, text in source.raw.items()],
        # A warning as its texts (keys and facts), so it is shown in any language later.
        "warnings": [[w.line, w.column, w.severity.value, w.code, *_texts_json(w)]
                     for w in source.warnings],
    }


def _texts_json(warning: Diagnostic) -> list[Any]:
    message, hint = warning.texts or (None, None)
    return [t.to_json() if t is not None else None for t in (message, hint)]


PRUNE_AFTER_DAYS = 30


@cache
def _prune(folder: Path) -> None:
    """Once a process, before its first write in `folder`: remove the entries written
    more than `PRUNE_AFTER_DAYS` ago (plans deleted, renamed or left in a temporary
    workspace; an unchanged plan's entry is simply written again) and what a killed
    write left. Without it the folder would only grow."""
    limit = time.time() - PRUNE_AFTER_DAYS * 86400
    try:
        with os.scandir(folder) as entries:
            for item in entries:
                if not item.name.endswith((".json", ".tmp")):
                    continue
                with contextlib.suppress(FileNotFoundError):  # another process's prune
                    if item.stat().st_mtime < limit:
                        os.unlink(item.path)
    except OSError as exc:  # a read-only folder: the entries stay
        log.debug("cxplan: cache not pruned (%s)", exc)


def _packed_text(packed: list[int]) -> str:
    """Packed positions as text: base64 of 64-bit integers in this machine's byte order
    (in the key), read back four times faster than a JSON list of numbers."""
    return base64.b64encode(array("q", packed).tobytes()).decode("ascii")


def _packed(text: str) -> array[int]:
    return array("q", base64.b64decode(text.encode("ascii"), validate=True))


def _counts(data: dict[str, Any]) -> tuple[int, int]:
    """How many values (the root's included) and mapping keys `data` holds: what `walk`
    would find, counted four times faster (a damaged entry's positions do not fit)."""
    values, keys = 1, 0
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        values += len(node)
        if type(node) is dict:
            keys += len(node)
            node = node.values()
        stack.extend(child for child in node if type(child) is dict or type(child) is list)
    return values, keys


def _positions(data: Any, packed_values: array[int], packed_keys: array[int], shown: str,
               text: str) -> tuple[PositionTable, PositionTable]:
    """Where the values and keys of a cached plan were written, worked out when first
    asked for: the walk of every value is a third of a cached plan's load, and the
    plans whose findings are kept (`cxplan.rules.kept_findings`) are never asked.
    Should the walk not fit the positions after all, the text is parsed again."""
    try:
        values, keys = walk(data)
        if len(values) == len(packed_values) and len(keys) == len(packed_keys):
            return (PositionTable.packed(values, packed_values),
                    PositionTable.packed(keys, packed_keys))
    except _NotExact:
        pass
    log.debug("cxplan: cache entry for %s not used for positions", shown)
    source, _problems = load.parse(shown, text)
    return tuple(table if isinstance(table, PositionTable) else PositionTable(table)
                 for table in (source.values, source.keys))  # type: ignore[return-value]


def _plan_source(record: Any, shown: str, raw: bytes) -> Source | None:
    """The parse an entry's record keeps, or None when it is not one (damaged)."""
    if record is None:
        return None
    try:
        data = record["data"]
        packed_values, packed_keys = _packed(record["values"]), _packed(record["keys"])
        if not isinstance(data, dict) or _counts(data) != (len(packed_values), len(packed_keys)):
            return None
        text = load.decode(raw)
        tables = cache(partial(_positions, data, packed_values, packed_keys, shown, text))
        return Source(
            path=shown, text=text, data=data,
            values=PositionTable.later(lambda: tables()[0]),
            keys=PositionTable.later(lambda: tables()[1]),
            raw={tuple(loc): written for loc, written in record["raw"]},
            warnings=[Diagnostic.said(shown, (line, column), Severity(severity), code,
                                      Text.from_json(message),
                                      Text.from_json(hint) if hint is not None else None)
                      for line, column, severity, code, message, hint in record["warnings"]],
        )
    except (ValueError, KeyError, TypeError, AttributeError, _NotExact, load.LoadError,
            binascii.Error) as exc:
        log.debug("cxplan: cache entry for %s not used (%s)", shown, exc)
        return None
