"""Plan text made inert for a terminal.

A terminal reads control characters as commands: ESC and the 8-bit CSI (U+009B) start
sequences that set the window title, write hyperlinks, clear the screen or remap keys;
bidirectional controls reorder what is shown. The loader refuses them in plans however
they were written, but whatever a command prints from plan text goes through here as a
second guard: each such character becomes the visible escape `\\uXXXX`, which is also
the JSON escape of the same character, so JSON output still decodes to the same data.
Tab and line feed are the output's own layout and stay.
"""

from __future__ import annotations

import re
from typing import Any

_TERMINAL_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_text(text: str) -> str:
    """`text` with every character a terminal would obey written as `\\uXXXX`."""
    return _TERMINAL_CONTROL.sub(_visible, text)


def terminal_values(value: Any) -> Any:
    """`terminal_text` applied to every string of a JSON-like document (before a
    report adds its own colour codes)."""
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, dict):
        return {key: terminal_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [terminal_values(item) for item in value]
    return value
