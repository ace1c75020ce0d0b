"""`cxplan digest` output: each person's digest as Markdown and as an e-mail (.eml).

The e-mail is built with the standard library's `email` package: a plain-text body
(the Markdown, which reads as text), UTF-8, the person's address from `team` in To,
the sender from the workspace settings (`digest_from`) when set. Its Date is the
as-of date at 08:00 UTC and its Message-ID is derived from the person and the date,
so the same digest is the same file. Nothing is sent: a CI job or a person hands the
files to their mail system (see docs/updates.md).

Each plan's part is written in that plan's language; the greeting and the subject
in the language most of the person's plans use.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from cxplan import i18n
from cxplan.analyse.digest import DueItem, PersonDigest


def _escape(text: str) -> str:
    """Markdown-neutral one-line text (a title is data, not markup)."""
    text = " ".join(text.split())
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text


def _item(language: str, item: DueItem, key: str) -> str:
    kind = i18n.text(language, f"digest.kind.{item.kind}")
    return "- " + i18n.text(
        language, key, kind=kind, id=item.id, title=_escape(item.title), due=item.due,
        days=item.days,
    )


def markdown(digest: PersonDigest, as_of: dt.date, days: int) -> str:
    main = digest.language
    lines = [
        "# " + i18n.text(main, "digest.title", name=_escape(digest.name), day=as_of),
        "",
        i18n.text(main, "digest.intro", days=days),
    ]
    for part in digest.parts:
        language = part.language
        lines += ["", f"## {_escape(part.title)}", ""]
        if part.overdue:
            lines.append("### " + i18n.text(language, "digest.overdue", count=len(part.overdue)))
            lines.append("")
            lines += [_item(language, item, "digest.item.late") for item in part.overdue]
            lines.append("")
        if part.due_soon:
            lines.append("### " + i18n.text(language, "digest.due_soon", days=days))
            lines.append("")
            lines += [_item(language, item, "digest.item.soon") for item in part.due_soon]
            lines.append("")
        if part.relationships:
            lines.append("### " + i18n.text(language, "digest.relationships"))
            lines.append("")
            for relationship in part.relationships:
                key = "digest.stale" if relationship.stale else "digest.going_stale"
                lines.append("- " + i18n.text(
                    language, key, name=_escape(relationship.name), id=relationship.id,
                    day=relationship.last_contact, days=relationship.days_since))
            lines.append("")
        while lines[-1] == "":
            lines.pop()
    lines += ["", i18n.text(main, "digest.footer"), ""]
    return "\n".join(lines)


def email_message(
    digest: PersonDigest, body: str, as_of: dt.date, sender: str | None
) -> bytes:
    """The digest as an RFC 5322 message (CRLF line ends), ready for any mail system."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = i18n.text(digest.language, "digest.subject", day=as_of)
    if sender:
        message["From"] = sender
    if digest.email:
        message["To"] = formataddr((digest.name, digest.email))
    message["Date"] = format_datetime(dt.datetime(as_of.year, as_of.month, as_of.day, 8,
                                                  tzinfo=dt.UTC))
    message["Message-ID"] = f"<digest-{digest.person}-{as_of.isoformat()}@cxplan.invalid>"
    message.set_content(body, subtype="plain", charset="utf-8")
    return message.as_bytes()
