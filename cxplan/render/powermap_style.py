"""How the power map looks: colours and the style of each support level."""

from __future__ import annotations

from dataclasses import dataclass

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
LINE = "#8c959f"
INFLUENCE_COLOUR = "#7b3fb5"
STAR_COLOUR = "#9a6700"
STALE_COLOUR = "#9a4a00"


@dataclass(frozen=True)
class SupportStyle:
    fill: str
    stroke: str
    cue: str
    dash: str | None
    shape: str  # "round", "soft", "square", "octagon"


# Blue for allies, grey for neutral, orange to red for opponents: a diverging scale that
# colour-blind readers can still tell apart; the cue and the shape say it again.
SUPPORT_STYLES: dict[str, SupportStyle] = {
    "champion": SupportStyle("#d4e5f7", "#0b5cad", "++", None, "round"),
    "supporter": SupportStyle("#eaf3fc", "#4a8fd4", "+", None, "round"),
    "neutral": SupportStyle("#f2f3f5", "#6e7781", "=", None, "soft"),
    "skeptic": SupportStyle("#fdf0df", "#c26a00", "\u2212", "6 3", "square"),
    "blocker": SupportStyle("#fbe2df", "#b42318", "\u2212\u2212", "2.5 2.5", "octagon"),
}


