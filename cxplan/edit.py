"""Round-trip edits of plan files: set an action's status (and its `done_on` date).

The file is edited by splicing its source text at the positions of the YAML nodes, the
way pre-commit edits its config: only the status value and the `done_on` line change;
every comment, blank line, key order, quoting style, line ending (LF or CRLF) and a
byte-order mark stay as they were. Rewriting the file from parsed data instead would
lose comments, which is where a team keeps the story of a plan.

Safety, in order:

1. the file must parse (with the same hostile-input guards as `cxplan validate`);
2. the edited text is validated in memory with the same load + build pipeline as
   `cxplan validate`, and must also read back with the intended status and date;
3. only then is it written, atomically: a temporary file in the same folder (so the
   rename cannot cross file systems), flushed to disk, given the original file's
   mode, then `os.replace`d over the original. A reader sees the old file or the new
   one, never half of either; a refused edit leaves the file byte-identical.
4. no lost update: the whole read-edit-write holds the plan's write lock
   (`cxplan.files.locked`), and the file is read again under it, so two commands
   editing one plan at once both land, one after the other. The action is found again
   by id in what was read under the lock, and a file changed by a writer that takes
   no lock (an editor) between that read and the write is refused, not overwritten.

Where the new lines go: `done_on` right after the `status` line (same indentation);
when the action has no `status` key yet, `status` (and `done_on`) go right after the
key that precedes `status` in the format's key order (`kind`, else `horizon`, `due`,
`owner`, `title`, `id`). Flow mappings (`- {id: a1, status: todo, ...}`) are edited in
place too: `, done_on: 2027-01-05` is inserted after the status value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cxplan.diagnostics import Diagnostic
from cxplan.files import FileState, WriteFailed, locked, write_atomically
from cxplan.i18n import Said, Text
from cxplan.load import LoadError, Source, check_size, load_file, parse, plan_text
from cxplan.model.build import build_plan, find_plan_files, plan_id_from_path
from cxplan.model.messages import suggestion
from cxplan.model.plan import STATUSES

# The keys after which a missing `status` is inserted, best first: the format's order.
_STATUS_AFTER = ("kind", "horizon", "due", "owner", "title", "id")

_BOM = b"\xef\xbb\xbf"


class EditRefused(Said):
    """The edit cannot be made; the file is untouched. Carries what to show, and the
    problems the edit would have caused."""

    def __init__(self, message: Text | str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = str(self)
        self.diagnostics = list(diagnostics)


def _no_plan(plan_id: str, plan_ids: Sequence[str]) -> Text:
    return Text.of("cli.no_plan", plan=plan_id,
                   plans=", ".join(plan_ids) if plan_ids else Text.of("cli.none"))


def _not_found(key: str, wanted: str, plan_id: str | None, known: Sequence[str]) -> Text:
    """"no action 'x' in plan 'p'" (`key`), with "did you mean" when one is close."""
    where = Text.of("edit.in_plan", plan=plan_id) if plan_id else Text.of("edit.in_any_plan")
    said = suggestion(wanted, sorted(set(known)))
    if said is None:
        return Text.of(key, id=wanted, where=where)
    return Text.of(f"{key}.suggest", id=wanted, where=where, suggestion=said)


@dataclass(frozen=True)
class Located:
    """Where an action lives: the plan file and the action's index in `actions`."""

    path: Path
    plan_id: str
    index: int
    action_id: str | None = None


@dataclass(frozen=True)
class StatusChange:
    path: Path
    plan_id: str
    action_id: str
    old_status: str
    new_status: str
    old_done_on: str | None
    new_done_on: str | None

    @property
    def changed(self) -> bool:
        return (self.old_status, self.old_done_on) != (self.new_status, self.new_done_on)


# --- finding the action ---------------------------------------------------------------


def _actions_of(data: Any) -> list[Any]:
    actions = data.get("actions") if isinstance(data, dict) else None
    return actions if isinstance(actions, list) else []


def find_action(paths: Sequence[Path], action_id: str, plan_id: str | None = None) -> Located:
    """The one action with this id in the plans under `paths` (files or folders).

    Refused when no plan has it, when `plan_id` names no plan or a plan without it, and
    when several plans have it and `plan_id` does not say which (the message lists
    them). Plans that cannot be read are skipped while searching, but reported when
    the action is not found (it may be in one of them).
    """
    # An edit follows a plan file that is a symlink, wherever it leads: the user named
    # that plan's action, and the write goes to the linked file (`write_atomically`).
    # Only reading plans to validate or publish them refuses links out of the workspace.
    files, problems = find_plan_files(paths, follow_outside_links=True)
    if problems:
        raise EditRefused(Text.of("edit.unreadable_plans"), problems)
    found: list[Located] = []
    unreadable: list[Diagnostic] = []
    known_ids: list[str] = []
    plan_ids: list[str] = []
    for path in files:
        pid = plan_id_from_path(path)
        plan_ids.append(pid)
        if plan_id is not None and pid != plan_id:
            continue
        source, diagnostics = load_file(path)
        if source.data is None:
            unreadable.extend(diagnostics)
            continue
        for index, action in enumerate(_actions_of(source.data)):
            if not isinstance(action, dict):
                continue
            if action.get("id") == action_id:
                found.append(Located(path, pid, index, action_id))
            elif isinstance(action.get("id"), str):
                known_ids.append(action["id"])
    if plan_id is not None and plan_id not in plan_ids:
        raise EditRefused(_no_plan(plan_id, plan_ids))
    if not found:
        raise EditRefused(_not_found("edit.no_action", action_id, plan_id, known_ids), unreadable)
    if len(found) > 1:
        listed = ", ".join(sorted({f.plan_id for f in found}))
        if len({f.plan_id for f in found}) > 1:
            raise EditRefused(Text.of("edit.action_in_plans", id=action_id, plans=listed))
        raise EditRefused(Text.of("edit.action_twice", id=action_id, plan=found[0].plan_id))
    return found[0]


# --- splicing -------------------------------------------------------------------------


def _compose(text: str) -> yaml.Node:
    # The pure-Python loader: its marks' `index` counts characters of this very string
    # (the C loader's count differs with non-ASCII text). The text has already passed
    # `cxplan.load.parse`, so no alias, tag or excessive nesting reaches it.
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # defensive: the two parsers disagree on this text
        raise EditRefused(Text.of("edit.layout", reason=(str(exc).splitlines() or [""])[0])) \
            from None
    if node is None:
        raise EditRefused(Text.of("edit.no_document"))
    return node


def _pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {
        key.value: (key, value)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _item_node(root: yaml.Node, section: str, index: int) -> yaml.MappingNode:
    if not isinstance(root, yaml.MappingNode):
        raise EditRefused(Text.of("edit.plan_not_mapping"))
    found = _pairs(root).get(section)
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        raise EditRefused(Text.of("edit.no_list", section=section))
    items = found[1].value
    if index >= len(items) or not isinstance(items[index], yaml.MappingNode):
        raise EditRefused(Text.of("edit.item_not_mapping", n=str(index + 1), section=section))
    return items[index]


def _action_node(root: yaml.Node, index: int) -> yaml.MappingNode:
    return _item_node(root, "actions", index)


def _line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _line_end(text: str, offset: int) -> int:
    """Offset just after the line break ending the line that holds `offset` (or the
    end of the text)."""
    for position in range(offset, len(text)):
        if text[position] == "\n":
            return position + 1
        if text[position] == "\r":
            return position + (2 if text[position + 1 : position + 2] == "\n" else 1)
    return len(text)


def _newline_of(text: str, line_end: int) -> str:
    """The line break used by the line ending at `line_end` (default: the file's)."""
    if text[line_end - 2 : line_end] == "\r\n":
        return "\r\n"
    if text[line_end - 1 : line_end] in ("\n", "\r"):
        return text[line_end - 1]
    return "\r\n" if "\r\n" in text else "\n"


def _single_line(text: str, node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">") and (
        node.start_mark.line == node.end_mark.line
    )


@dataclass
class _Splice:
    start: int
    end: int
    new: str


def _apply(text: str, splices: list[_Splice]) -> str:
    for splice in sorted(splices, key=lambda s: s.start, reverse=True):
        text = text[: splice.start] + splice.new + text[splice.end :]
    return text


def _insert_lines_after(text: str, node: yaml.Node, column: int, lines: list[str]) -> _Splice:
    """New `key: value` lines after the line where `node` (a one-line value) ends."""
    end = _line_end(text, node.end_mark.index)
    newline = _newline_of(text, end)
    block = "".join(" " * column + line + newline for line in lines)
    if end == len(text) and not text.endswith(("\n", "\r")):
        block = newline + block[: -len(newline)]
    return _Splice(end, end, block)


def _remove_block_pair(
    text: str, mapping: yaml.MappingNode, key: yaml.Node, value: yaml.Node, name: str = "done_on"
) -> _Splice:
    before = text[_line_start(text, key.start_mark.index) : key.start_mark.index]
    if before.strip() == "":
        # The usual case: the pair has its own line(s); remove them, and nothing else
        # (comment lines below it stay).
        start = _line_start(text, key.start_mark.index)
        end = (
            value.end_mark.index
            if value.end_mark.column == 0 and value.end_mark.index > value.start_mark.index
            else _line_end(text, value.end_mark.index)
        )
        return _Splice(start, end, "")
    # `- done_on: ...` as the first key of a list item: the next key moves up to take
    # its place after the dash.
    keys = [k for k, _ in mapping.value]
    following = keys[keys.index(key) + 1] if keys.index(key) + 1 < len(keys) else None
    if following is None:
        raise EditRefused(Text.of("edit.only_key", name=name))
    return _Splice(key.start_mark.index, following.start_mark.index, "")


def _remove_flow_pair(
    mapping: yaml.MappingNode, key: yaml.Node, value: yaml.Node, name: str = "done_on"
) -> _Splice:
    keys = [k for k, _ in mapping.value]
    position = keys.index(key)
    if position > 0:
        previous_value = mapping.value[position - 1][1]
        return _Splice(previous_value.end_mark.index, value.end_mark.index, "")
    if len(keys) > 1:
        return _Splice(key.start_mark.index, keys[1].start_mark.index, "")
    raise EditRefused(Text.of("edit.only_key", name=name))


def splice_status(text: str, index: int, status: str, done_on: str | None) -> str:
    """`text` with action number `index` set to `status` and `done_on` (None removes
    the `done_on` key). Raises `EditRefused` when the layout cannot be edited safely."""
    return _apply(text, _status_splices(text, _action_node(_compose(text), index), status,
                                        done_on))


def _status_splices(
    text: str, action: yaml.MappingNode, status: str, done_on: str | None
) -> list[_Splice]:
    pairs = _pairs(action)
    flow = bool(action.flow_style)
    splices: list[_Splice] = []
    status_pair = pairs.get("status")
    done_pair = pairs.get("done_on")

    if status_pair is not None:
        _, value = status_pair
        if not _single_line(text, value):
            raise EditRefused(Text.of("edit.value_lines", key="status"))
        splices.append(_Splice(value.start_mark.index, value.end_mark.index, status))

    if done_pair is not None:
        key, value = done_pair
        if done_on is None:
            if flow:
                splices.append(_remove_flow_pair(action, key, value))
            else:
                splices.append(_remove_block_pair(text, action, key, value))
        else:
            if not _single_line(text, value):
                raise EditRefused(Text.of("edit.value_lines", key="done_on"))
            splices.append(_Splice(value.start_mark.index, value.end_mark.index, done_on))

    # What still has to be added, in the format's order.
    new_pairs: list[tuple[str, str]] = []
    if status_pair is None:
        new_pairs.append(("status", status))
    if done_on is not None and done_pair is None:
        new_pairs.append(("done_on", done_on))
    if new_pairs:
        if status_pair is not None:
            anchor_key, anchor_value = status_pair
        else:
            candidates = [pairs[k] for k in _STATUS_AFTER if k in pairs]
            usable = [(k, v) for k, v in candidates if flow or _single_line(text, v)]
            if not usable:
                raise EditRefused(Text.of("edit.no_status_place"))
            anchor_key, anchor_value = usable[0]
        if flow:
            inserted = "".join(f", {key}: {value}" for key, value in new_pairs)
            end = anchor_value.end_mark.index
            splices.append(_Splice(end, end, inserted))
        else:
            column = anchor_key.start_mark.column
            splices.append(
                _insert_lines_after(
                    text, anchor_value, column, [f"{key}: {value}" for key, value in new_pairs]
                )
            )
    return splices


def splice_field(
    text: str, section: str, index: int, key: str, value: str | None, after: Sequence[str]
) -> str:
    """`text` with `key` of item number `index` of `section` set to `value`, a plain
    one-line YAML scalar as written (None removes the key). A missing key goes right
    after the first of `after` (keys in the format's order, best first) that the item
    has, with its indentation. Raises `EditRefused` when the layout cannot be edited
    safely (a multi-line value, no anchor key)."""
    item = _item_node(_compose(text), section, index)
    return _apply(text, _field_splices(text, item, key, value, after))


def _field_splices(
    text: str, item: yaml.MappingNode, key: str, value: str | None, after: Sequence[str]
) -> list[_Splice]:
    pairs = _pairs(item)
    flow = bool(item.flow_style)
    existing = pairs.get(key)
    if existing is not None:
        key_node, value_node = existing
        if value is None:
            splice = (
                _remove_flow_pair(item, key_node, value_node, key) if flow
                else _remove_block_pair(text, item, key_node, value_node, key)
            )
            return [splice]
        if not _single_line(text, value_node):
            raise EditRefused(Text.of("edit.value_lines", key=key))
        return [_Splice(value_node.start_mark.index, value_node.end_mark.index, value)]
    if value is None:
        return []
    usable = [pairs[k] for k in after if k in pairs and (flow or _single_line(text, pairs[k][1]))]
    if not usable:
        raise EditRefused(Text.of("edit.no_place", key=key))
    anchor_key, anchor_value = usable[0]
    if flow:
        end = anchor_value.end_mark.index
        return [_Splice(end, end, f", {key}: {value}")]
    column = anchor_key.start_mark.column
    return [_insert_lines_after(text, anchor_value, column, [f"{key}: {value}"])]


@dataclass(frozen=True)
class Edit:
    """One change of one item, for `splice_many`: `key` set to `value` (a plain YAML
    scalar as written; None removes it); key `status` sets status and `done_on`
    together (`value` the status, `done_on` the date) as `splice_status` does."""

    section: str
    index: int
    key: str
    value: str | None
    done_on: str | None = None
    after: tuple[str, ...] = ()


def splice_many(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[Edit, str]]]:
    """`text` with every edit made, the file composed once (an import may edit a
    hundred items of one plan: composing the file per edit would cost a second each).

    The edits concern different keys, so their splices do not overlap. Returns the
    text and the edits refused, each with why (the others are made).
    """
    if not edits:
        return text, []
    root = _compose(text)
    splices: list[_Splice] = []
    refused: list[tuple[Edit, str]] = []
    for edit in edits:
        try:
            item = _item_node(root, edit.section, edit.index)
            if edit.key == "status":
                assert edit.value is not None
                splices += _status_splices(text, item, edit.value, edit.done_on)
            else:
                splices += _field_splices(text, item, edit.key, edit.value, edit.after)
        except EditRefused as exc:
            refused.append((edit, exc.message))
    return _apply(text, splices), refused


def splice_reading(text: str, kpi_index: int, date: str, value: str) -> str:
    """`text` with a reading `{date, value}` added to KPI number `kpi_index`, in date
    order (before the first reading with a later date, else last).

    The new reading copies its neighbours' layout: a flow mapping (`- {date: ...,
    value: ...}`) or a block one (`- date: ...` then `value: ...` under it), at their
    indentation. A KPI without `readings` gets the key after its last key. The caller
    has checked that no reading has this date.
    """
    kpi = _item_node(_compose(text), "kpis", kpi_index)
    pairs = _pairs(kpi)
    found = pairs.get("readings")
    flow_item = f"{{date: {date}, value: {value}}}"
    if found is None:
        last_value = kpi.value[-1][1]
        if kpi.flow_style:
            end = last_value.end_mark.index
            return _apply(text, [_Splice(end, end, f", readings: [{flow_item}]")])
        if not _single_line(text, last_value) and not isinstance(last_value, yaml.SequenceNode):
            raise EditRefused(Text.of("edit.no_readings_place"))
        column = kpi.value[0][0].start_mark.column
        end_node = last_value
        while isinstance(end_node, yaml.SequenceNode | yaml.MappingNode) and end_node.value:
            last = end_node.value[-1]
            end_node = last[1] if isinstance(last, tuple) else last
        lines = ["readings:", f"  - {flow_item}"]
        return _apply(text, [_insert_lines_after(text, end_node, column, lines)])
    readings = found[1]
    if not isinstance(readings, yaml.SequenceNode):
        raise EditRefused(Text.of("edit.readings_not_list"))
    items = readings.value
    later = next(
        (item for item in items if isinstance(item, yaml.MappingNode)
         and str(_pairs(item).get("date", (None, yaml.ScalarNode("", "")))[1].value) > date),
        None,
    )
    if readings.flow_style or not items:
        if not items:
            if not readings.flow_style:
                raise EditRefused(Text.of("edit.readings_empty"))
            start, end = readings.start_mark.index, readings.end_mark.index
            return _apply(text, [_Splice(start, end, f"[{flow_item}]")])
        if later is not None:
            at = later.start_mark.index
            return _apply(text, [_Splice(at, at, f"{flow_item}, ")])
        at = items[-1].end_mark.index
        return _apply(text, [_Splice(at, at, f", {flow_item}")])
    model = later if later is not None else items[-1]
    line_start = _line_start(text, model.start_mark.index)
    dash = text.find("-", line_start, model.start_mark.index)
    if dash < 0:
        raise EditRefused(Text.of("edit.readings_layout"))
    indent = " " * (dash - line_start)
    inner = " " * (model.start_mark.column - (dash - line_start) - 1)
    if isinstance(model, yaml.MappingNode) and not model.flow_style:
        key_indent = " " * model.start_mark.column
        new_lines = [f"{indent}-{inner}date: {date}", f"{key_indent}value: {value}"]
    else:
        new_lines = [f"{indent}-{inner}{flow_item}"]
    if later is not None:
        newline = _newline_of(text, _line_end(text, line_start))
        return _apply(text, [_Splice(line_start, line_start, newline.join(new_lines) + newline)])
    last = items[-1]
    block = isinstance(last, yaml.MappingNode) and not last.flow_style
    end_node = last.value[-1][1] if block else last
    return _apply(text, [_insert_lines_after(text, end_node, 0, new_lines)])


# --- validating and writing -----------------------------------------------------------


def read_plan_text(path: Path, shown: str) -> tuple[str, bool]:
    """The plan's text, and whether it starts with a byte-order mark (kept on writing).

    Refused (with a positioned diagnostic where there is one) when the file is too
    large, unreadable or not UTF-8.
    """
    try:
        check_size(path.stat().st_size)  # the loader's checks: before reading, then of the bytes
        raw = path.read_bytes()
        return plan_text(raw), raw.startswith(_BOM)
    except LoadError as exc:
        raise EditRefused(Text.of("edit.unreadable_plan"), [exc.diagnostic(shown)]) from None
    except OSError as exc:
        raise EditRefused(Text.of("edit.unreadable_file", path=shown,
                                  reason=exc.strerror or str(exc))) from None


def plan_bytes(text: str, has_bom: bool) -> bytes:
    """What is written for `text`: UTF-8, with the byte-order mark the file had."""
    return (_BOM if has_bom else b"") + text.encode("utf-8")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def change_status(
    located: Located,
    status: str,
    *,
    on: dt.date | None = None,
    today: dt.date,
    display: str | None = None,
) -> StatusChange:
    """Set the located action's status, validate the result, write it atomically.

    `done`: `done_on` becomes `on` when given; otherwise a `done_on` already written
    is kept, and an action without one gets `today`. Any other status removes
    `done_on`. Nothing is written when nothing changes.
    """
    if status not in STATUSES:
        raise EditRefused(Text.of("edit.not_status", status=status, statuses=", ".join(STATUSES)))
    shown = display or str(located.path)
    try:
        with locked(located.path):
            return _change_locked(located, status, on, today, shown)
    except WriteFailed as exc:
        raise EditRefused(exc.said) from None


def _change_locked(
    located: Located, status: str, on: dt.date | None, today: dt.date, shown: str
) -> StatusChange:
    """`change_status` once the plan's lock is held: what is read here is current."""
    state = FileState.of(located.path)
    text, has_bom = read_plan_text(located.path, shown)
    source, problems = parse(shown, text)
    if source.data is None or problems:
        raise EditRefused(Text.of("edit.not_yaml"), problems)
    located = _refound(located, _actions_of(source.data), shown)
    current = _actions_of(source.data)[located.index]
    action_id = str(current.get("id"))
    old_status = str(current.get("status", "todo"))
    old_done_on = _as_text(current.get("done_on"))
    if status == "done":
        if on is not None:
            new_done_on: str | None = on.isoformat()
        elif old_done_on is not None:
            new_done_on = old_done_on  # a date somebody wrote is kept
        else:
            new_done_on = today.isoformat()
    else:
        new_done_on = None
    change = StatusChange(
        located.path, located.plan_id, action_id, old_status, status, old_done_on, new_done_on
    )
    if not change.changed:
        return change
    edited = splice_status(text, located.index, status, new_done_on)
    check_edit(edited, located, shown, status, new_done_on)
    write_atomically(located.path, plan_bytes(edited, has_bom), expected=state)
    return change


def _refound(located: Located, actions: list[Any], shown: str) -> Located:
    """The action again, by id, in the plan as read under the lock (another command
    may have changed the file since `find_action` read it)."""
    if located.action_id is None:
        return located
    indexes = [
        i for i, a in enumerate(actions) if isinstance(a, dict) and a.get("id") == located.action_id
    ]
    if len(indexes) != 1:
        raise EditRefused(Text.of("edit.changed", path=shown, id=located.action_id,
                                  what="twice" if indexes else "gone"))
    return Located(located.path, located.plan_id, indexes[0], located.action_id)


def _validated_edit(shown: str, edited: str, plan_id: str) -> Source:
    """The edited text read back (its data kept, to check what the edit says), or
    `EditRefused` with every problem it would give the plan."""
    source, problems = parse(shown, edited)
    if source.data is not None and not problems:
        _, problems = build_plan(source, plan_id)
    if problems:
        raise EditRefused(Text.of("edit.would_not_validate"), sorted(problems))
    return source


def check_edit(
    edited: str, located: Located, shown: str, status: str, done_on: str | None
) -> None:
    """Refuse unless the edited text validates and says what was asked for."""
    source = _validated_edit(shown, edited, located.plan_id)
    action = _actions_of(source.data)[located.index]
    if action.get("status", "todo") != status or _as_text(action.get("done_on")) != done_on:
        # A splice that landed somewhere else: never write it.
        raise EditRefused(Text.of("edit.read_back"))


# --- the contact log (`cxplan touch`) ----------------------------------------------------


@dataclass(frozen=True)
class Touched:
    """A contact appended to a stakeholder's `contact_log`."""

    path: Path
    plan_id: str
    stakeholder_id: str
    on: str
    by: str
    channel: str
    note: str | None
    last_contact_moved: bool
    """True when a written `last_contact` was older and was moved to `on`."""


def find_stakeholder(paths: Sequence[Path], stakeholder_id: str, plan_id: str | None) -> Located:
    """The one stakeholder with this id under `paths` (as `find_action` for actions)."""
    files, problems = find_plan_files(paths)
    if problems:
        raise EditRefused(Text.of("edit.unreadable_plans"), problems)
    found: list[Located] = []
    known: list[str] = []
    plan_ids = [plan_id_from_path(p) for p in files]
    if plan_id is not None and plan_id not in plan_ids:
        raise EditRefused(_no_plan(plan_id, plan_ids))
    for path, pid in zip(files, plan_ids, strict=True):
        if plan_id is not None and pid != plan_id:
            continue
        source, _ = load_file(path)
        people = source.data.get("stakeholders") if isinstance(source.data, dict) else None
        for index, person in enumerate(people if isinstance(people, list) else []):
            if isinstance(person, dict) and person.get("id") == stakeholder_id:
                found.append(Located(path, pid, index, stakeholder_id))
            elif isinstance(person, dict) and isinstance(person.get("id"), str):
                known.append(person["id"])
    if not found:
        raise EditRefused(_not_found("edit.no_stakeholder", stakeholder_id, plan_id, known))
    if len({f.plan_id for f in found}) > 1:
        listed = ", ".join(sorted({f.plan_id for f in found}))
        raise EditRefused(Text.of("edit.stakeholder_in_plans", id=stakeholder_id, plans=listed))
    return found[0]


def _end_of(text: str, node: yaml.Node) -> int:
    """Offset just after the last line of `node`'s content. A block collection's own
    end mark lies at the next token (possibly lines further, after comments), so the
    end is found from its last scalar; a block scalar (`|`, `>`) ends where its mark
    says."""
    leaf = node
    while isinstance(leaf, yaml.MappingNode | yaml.SequenceNode) and leaf.value:
        last = leaf.value[-1]
        leaf = last[1] if isinstance(leaf, yaml.MappingNode) else last
    if isinstance(leaf, yaml.ScalarNode) and leaf.style in ("|", ">") \
            and leaf.end_mark.column == 0:
        return int(leaf.end_mark.index)
    return _line_end(text, leaf.end_mark.index)


def _stakeholder_node(root: yaml.Node, index: int) -> yaml.MappingNode:
    if not isinstance(root, yaml.MappingNode):
        raise EditRefused(Text.of("edit.plan_not_mapping"))
    section = _pairs(root).get("stakeholders")
    if section is None or not isinstance(section[1], yaml.SequenceNode):
        raise EditRefused(Text.of("edit.no_list", section="stakeholders"))
    items = section[1].value
    if index >= len(items) or not isinstance(items[index], yaml.MappingNode):
        raise EditRefused(Text.of("edit.stakeholder_not_mapping"))
    if items[index].flow_style:
        raise EditRefused(Text.of("edit.stakeholder_flow", flow="{...}"))
    return items[index]


def _log_entry(on: str, by: str, channel: str, note: str | None) -> list[str]:
    # JSON strings are YAML 1.2 double-quoted scalars: any note text reads back as is.
    lines = [f"on: {on}", f"by: {by}", f"channel: {channel}"]
    if note:
        lines.append(f"note: {json.dumps(note, ensure_ascii=False)}")
    return lines


def _block_at(text: str, at: int, lines: list[str]) -> _Splice:
    """New whole lines inserted at offset `at` (the start of a line, or the end)."""
    newline = _newline_of(text, at) if at > 0 else "\n"
    block = "".join(line + newline for line in lines)
    if at == len(text) and not text.endswith(("\n", "\r")):
        block = newline + block[: -len(newline)]
    return _Splice(at, at, block)


def splice_contact(
    text: str, index: int, on: str, by: str, channel: str, note: str | None
) -> tuple[str, bool]:
    """`text` with a contact appended to stakeholder number `index`'s `contact_log`
    (the key is added after the stakeholder's last key when missing), and a written
    `last_contact` older than `on` moved to `on`. Returns the text and whether
    `last_contact` moved."""
    person = _stakeholder_node(_compose(text), index)
    pairs = _pairs(person)
    entry = _log_entry(on, by, channel, note)
    splices: list[_Splice] = []
    key_column = person.value[0][0].start_mark.column
    log = pairs.get("contact_log")
    items = log[1] if log is not None else None
    if isinstance(items, yaml.SequenceNode) and items.value and not items.flow_style:
        # After the last item, at the items' own indentation.
        first = items.value[0]
        line_start = _line_start(text, first.start_mark.index)
        dash = text.rfind("-", line_start, first.start_mark.index)
        if dash < 0:
            raise EditRefused(Text.of("edit.log_start"))
        item_column, dash_column = first.start_mark.column, dash - line_start
        at = _end_of(text, items.value[-1])
        lines = [" " * dash_column + "-" + " " * (item_column - dash_column - 1) + entry[0]]
        lines += [" " * item_column + line for line in entry[1:]]
        splices.append(_block_at(text, at, lines))
    elif isinstance(items, yaml.SequenceNode) and not items.value:
        # `contact_log: []`: the empty list becomes a block list of one item.
        assert log is not None
        pad = " " * (key_column + 2)
        lines = [pad + "- " + entry[0], *(pad + "  " + line for line in entry[1:])]
        newline = _newline_of(text, _line_end(text, items.end_mark.index))
        splices.append(_Splice(items.start_mark.index, items.end_mark.index,
                               newline + newline.join(lines)))
        splices.append(_Splice(log[0].end_mark.index + 1, items.start_mark.index, ""))
    elif log is not None:
        raise EditRefused(Text.of("edit.log_not_block"))
    else:
        pad = " " * key_column
        lines = [pad + "contact_log:", pad + "  - " + entry[0]]
        lines += [pad + "    " + line for line in entry[1:]]
        splices.append(_block_at(text, _end_of(text, person.value[-1][1]), lines))
    moved = False
    written = pairs.get("last_contact")
    if written is not None and isinstance(written[1], yaml.ScalarNode):
        value = written[1]
        if _single_line(text, value) and str(value.value) < on:
            splices.append(_Splice(value.start_mark.index, value.end_mark.index, on))
            moved = True
    return _apply(text, splices), moved


def log_contact(
    located: Located,
    *,
    on: dt.date,
    by: str | None,
    channel: str,
    note: str | None,
    display: str | None = None,
) -> Touched:
    """Append a contact to the located stakeholder's log, validate, write atomically
    under the plan's write lock. `by` defaults to the relationship's owner."""
    shown = display or str(located.path)
    if note is not None and ("\n" in note or "\r" in note):
        raise EditRefused(Text.of("edit.note_lines"))
    try:
        with locked(located.path):
            return _log_locked(located, on, by, channel, note, shown)
    except WriteFailed as exc:
        raise EditRefused(exc.said) from None


def _log_locked(
    located: Located, on: dt.date, by: str | None, channel: str, note: str | None, shown: str
) -> Touched:
    """`log_contact` once the plan's lock is held: what is read here is current."""
    try:
        state = FileState.of(located.path)
        raw = located.path.read_bytes()
        text = plan_text(raw)
    except LoadError as exc:
        raise EditRefused(Text.of("edit.unreadable_plan"), [exc.diagnostic(shown)]) from None
    except OSError as exc:
        raise EditRefused(Text.of("edit.unreadable_file", path=shown,
                                  reason=exc.strerror or str(exc))) from None
    source, problems = parse(shown, text)
    if source.data is None or problems:
        raise EditRefused(Text.of("edit.not_yaml"), problems)
    people = source.data.get("stakeholders") if isinstance(source.data, dict) else None
    people = people if isinstance(people, list) else []
    # The stakeholder again, by id, in the file as read under the lock.
    wanted = located.action_id
    index = next((i for i, p in enumerate(people)
                  if isinstance(p, dict) and p.get("id") == wanted), None)
    if index is None:
        raise EditRefused(Text.of("edit.stakeholder_gone", id=str(wanted), path=shown))
    located = Located(located.path, located.plan_id, index, wanted)
    person = people[index]
    who = by or person.get("owner")
    if not isinstance(who, str):
        raise EditRefused(Text.of("edit.no_owner", id=str(person.get("id"))))
    edited, moved = splice_contact(text, located.index, on.isoformat(), who, channel, note)
    check = _validated_edit(shown, edited, located.plan_id)
    last = check.data["stakeholders"][located.index]["contact_log"][-1]
    if (_as_text(last.get("on")), last.get("by"), last.get("channel"), last.get("note")) \
            != (on.isoformat(), who, channel, note or None):
        raise EditRefused(Text.of("edit.read_back"))
    write_atomically(located.path, (_BOM if raw.startswith(_BOM) else b"")
                     + edited.encode("utf-8"), expected=state)
    return Touched(located.path, located.plan_id, str(person.get("id")), on.isoformat(), who,
                   channel, note, moved)
