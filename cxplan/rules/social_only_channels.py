"""Every channel of the engagement design is a third-party social network: each entry of
`engagement.channel` names one (Facebook, X/Twitter, LinkedIn, Instagram, WhatsApp,
TikTok, YouTube, Telegram... or just "social media" / "redes sociales"; case and
accents do not matter). A plan with no `engagement.channel` is not judged.

Why: depending on third-party social networks as the only channel hands the
relationship to someone else: the company loses control over what reaches the
customer, who sees it, and the discretion a B2B relationship needs. Social networks can
amplify; they should not be the relationship.

Fix: add channels the company controls: in person, email or phone with a named
contact, its own portal or EDI, video calls, scheduled reviews.

Example:
    engagement:
      channel:
        - LinkedIn company page
        - WhatsApp group with the shift leads
        # add e.g.: In person at the monthly review
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from cxplan import i18n
from cxplan.model.build import PlanFile
from cxplan.rules.base import Context, Hit

CODE = "CX516"
NAME = "social-only-channels"
SEVERITY = "warning"
PAGE = "engagement.md"

# Names of third-party social networks (the same in every language), lowercase without
# accents. "X" alone is matched only as a whole entry or as "x.com" (the letter is too
# common otherwise); ambiguous common words ("threads", "line") are left out on purpose:
# a false "only social" warning is worse than a miss.
SOCIAL_NETWORKS = (
    "facebook", "messenger", "twitter", "x.com", "linkedin", "instagram", "whatsapp",
    "tiktok", "youtube", "telegram", "wechat", "snapchat", "pinterest", "reddit",
    "bluesky", "mastodon", "discord", "xing", "vk", "weibo",
)


def _generic_words() -> tuple[str, ...]:
    """The words for "social media" of every language shipped (a plan may be written in
    any of them): each catalogue's `rule.CX516.words`, comma-separated, read from its
    line (`i18n.written`): the rest of each catalogue is not needed."""
    words: list[str] = []
    for language in i18n.languages():
        words += [w.strip() for w in i18n.written(language, "rule.CX516.words").split(",")]
    return tuple(sorted({_normalise(w) for w in words if w.strip()}))


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@functools.cache
def _social() -> re.Pattern[str]:
    """The pattern of every name and word above, made on first use (a command need
    not read every catalogue's words until a plan has channels)."""
    return re.compile(
        r"(?<![a-z0-9])("
        + "|".join(re.escape(name) for name in (*SOCIAL_NETWORKS, *_generic_words()))
        + r")(?![a-z0-9])"
    )


def is_social_network(entry: str) -> bool:
    """True when a channel entry names a third-party social network."""
    text = _normalise(entry)
    return text == "x" or bool(_social().search(text))


def check(plan_file: PlanFile, context: Context) -> Iterator[Hit]:
    engagement = plan_file.plan.engagement
    if engagement is None or engagement.channel is None:
        return
    channels = [engagement.channel] if isinstance(engagement.channel, str) else engagement.channel
    channels = [c for c in channels if c.strip()]
    if not channels or not all(is_social_network(c) for c in channels):
        return
    yield Hit(
        "rules.CX516.message",
        loc=("engagement", "channel"),
        key=True,
        facts={"channels": tuple(channels)},
    )
