"""The review pack as Markdown (`cxplan review`), in the plan's language."""

from __future__ import annotations

from cxplan import i18n
from cxplan.analyse.review import ReviewPack
from cxplan.analyse.saydo import Tally
from cxplan.render.status_report import md_escape


def _share(tally: Tally, language: str) -> str:
    if tally.on_time_share is None:
        return "—"
    return i18n.text(language, "saydo.share", share=tally.on_time_share)


def review_markdown(pack: ReviewPack, customer: str, language: str) -> str:
    def t(key: str, **params: object) -> str:
        return i18n.text(language, key, **params)

    def items(changes: list, empty: str = "review.none") -> list[str]:  # type: ignore[type-arg]
        if not changes:
            return [f"- {t(empty)}"]
        return [f"- `{c.item}` {md_escape(c.label)} ({c.commit.day})" for c in changes]

    lines = [f"# {t('review.title', customer=md_escape(customer))}", "",
             t("review.since", ref=pack.since.ref, day=pack.since.day, as_of=pack.as_of), ""]
    history = pack.history
    if history.state != "ok":
        lines += [md_escape(history.reason), ""]
    elif history.shallow and history.oldest is not None:
        lines += [t("review.shallow", day=history.oldest.day), ""]
    lines += [f"## {t('review.actions')}", "", f"### {t('review.done')}", "",
              *items(pack.done), "", f"### {t('review.slipped')}", ""]
    if pack.slipped:
        lines += [f"- `{c.item}` {md_escape(c.label)}: {c.old} → {c.new} "
                  f"({t('review.days', days=days)})" for c, days in pack.slipped]
    else:
        lines.append(f"- {t('review.none')}")
    lines += ["", f"### {t('review.added')}", "", *items(pack.added), "",
              f"### {t('review.dropped')}", "", *items(pack.dropped), "",
              f"## {t('review.commitments')}", "",
              f"- {t('review.kept')}: {', '.join(pack.kept) or '—'}",
              f"- {t('review.broken')}: {', '.join(pack.broken) or '—'}",
              f"- {t('review.new')}: {', '.join(c.item for c in pack.new_commitments) or '—'}",
              "", f"## {t('review.stakeholders')}", "",
              f"- {t('review.new')}: {', '.join(c.item for c in pack.new_people) or '—'}",
              f"- {t('review.gone')}: {', '.join(pack.gone) or '—'}", "",
              f"## {t('review.kpis')}", ""]
    if pack.readings:
        lines += [f"| KPI | {t('review.col.date')} | {t('review.col.value')} | "
                  f"{t('review.col.target')} |", "|---|---|--:|--:|"]
        lines += [f"| `{k}` | {day} | {value:g} | {target:g}{' ✓' if ok else ''} |"
                  for k, day, value, target, ok in pack.readings]
    else:
        lines.append(f"- {t('review.none')}")
    lines += ["", f"## {t('saydo.heading')}", "",
              t("review.saydo", then=_share(pack.say_do_then, language),
                now=_share(pack.say_do_now, language), due=pack.say_do_now.due), ""]
    return "\n".join(lines)
