"""The words of every rule finding, in English and Spanish, and how facts fill them.

A rule's `check()` yields facts (ids, dates, numbers, names from the plan) and the
keys of its message and hint templates; it writes no prose. `validate` prints the
English text, the site's plan-health panel shows the plan's language, both filled
from the same facts, so the two cannot say different things.

Templates are `str.format` strings with named placeholders, plus two small additions
in the format spec, which keeps each language's grammar in its own template:

- `{days:day|days}` chooses singular or plural by the number (1 or -1: singular);
- `{status:todo=por hacer|doing=en curso}` chooses a word by the value (a value not
  listed is shown as it is).

A fact that is a tuple is a list of ids, quoted and joined the language's way:
`'a', 'b' and 'c'` / `'a', 'b' y 'c'`, long lists ending with `and 3 more`.

These live here and not in `cxplan.render.i18n` because the rules stage renders the
English text of every diagnostic and must not import the render stage. Keys follow
the i18n naming (`rules.CX503.message`, `rules.CX503.hint`, variants after another
dot: `rules.CX517.message.never`); a key's texts are written side by side so a
translation is reviewed next to its original.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from typing import Any

from cxplan import i18n

LANGUAGES = ("en", "es")

Fact = str | int | dt.date | tuple[str, ...]
"""A value a rule reports: a tuple is a list of ids (quoted when shown)."""

LIST_LIMIT = 6
"""Ids shown in a list before it ends with `and N more`."""

_OPEN_STATUS_ES = "todo=por hacer|doing=en curso|blocked=bloqueada"
_SUPPORT_ES = "blocker=bloqueador|skeptic=escéptico"

TEMPLATES: dict[str, dict[str, str]] = {
    # --- lists ---
    "rules.list.and": {"en": "and", "es": "y"},
    "rules.list.more": {"en": "{count} more", "es": "{count} más"},
    # --- CX501 no quick win ---
    "rules.CX501.message": {
        "en": "the plan has no quick win",
        "es": "el plan no tiene ninguna victoria rápida",
    },
    "rules.CX501.message.all_dropped": {
        "en": "the plan has no quick win (every quick win was dropped)",
        "es": "el plan no tiene ninguna victoria rápida (se descartaron todas)",
    },
    "rules.CX501.hint": {
        "en": "add an action the team can finish soon and mark it 'horizon: quick-win'",
        "es": "añade una acción que el equipo pueda terminar pronto y márcala con "
              "'horizon: quick-win'",
    },
    # --- CX502 late quick win ---
    "rules.CX502.message": {
        "en": "quick win '{action}' is due {due}, {days} {days:day|days} after the plan's "
              "start; quick wins are due within {window} {window:day|days} (by {limit})",
        "es": "la victoria rápida '{action}' tiene fecha límite el {due}, {days} "
              "{days:día|días} después del inicio del plan; una victoria rápida debe "
              "cumplirse en {window} {window:día|días} como máximo (hasta el {limit})",
    },
    "rules.CX502.hint": {
        "en": "move 'due' to {limit} or earlier, or set 'horizon: medium-term'",
        "es": "cambia 'due' al {limit} o antes, o pon 'horizon: medium-term'",
    },
    # --- CX503 overdue action ---
    "rules.CX503.message": {
        "en": "action '{action}' ({status}, owner '{owner}') is {days} {days:day|days} "
              "overdue: it was due {due}",
        "es": "la acción '{action}' ({status:" + _OPEN_STATUS_ES + "}, responsable "
              "'{owner}') lleva {days} {days:día|días} vencida: vencía el {due}",
    },
    "rules.CX503.hint": {
        "en": "finish it, agree a new date with '{owner}' and change 'due', or set "
              "'status: dropped'",
        "es": "termínala, acuerda una nueva fecha con '{owner}' y cambia 'due', o pon "
              "'status: dropped'",
    },
    # --- CX504 commitment with no action ---
    "rules.CX504.message": {
        "en": "commitment '{commitment}' (due {due}, owner '{owner}') has no action that "
              "delivers it",
        "es": "el compromiso '{commitment}' (fecha límite {due}, responsable '{owner}') no "
              "tiene ninguna acción que lo cumpla",
    },
    "rules.CX504.hint": {
        "en": "add '{commitment}' to the 'commitments' of the action that delivers it, or "
              "add that action",
        "es": "añade '{commitment}' a 'commitments' de la acción que lo cumple, o crea esa "
              "acción",
    },
    # --- CX505 commitment delivered too late ---
    "rules.CX505.message": {
        "en": "commitment '{commitment}' is due {due} but its delivering action '{action}' "
              "is due {action_due}",
        "es": "el compromiso '{commitment}' vence el {due}, pero la acción que lo cumple, "
              "'{action}', vence el {action_due}",
    },
    "rules.CX505.message.several": {
        "en": "commitment '{commitment}' is due {due} but its delivering actions {actions} "
              "are due later (the last on {last_due})",
        "es": "el compromiso '{commitment}' vence el {due}, pero las acciones que lo "
              "cumplen, {actions}, vencen después (la última, el {last_due})",
    },
    "rules.CX505.hint": {
        "en": "move the due date of {actions} to {due} or earlier, or agree a new date with "
              "the customer",
        "es": "adelanta la fecha límite de {actions} al {due} o antes, o acuerda una nueva "
              "fecha con el cliente",
    },
    # --- CX506 broken commitment ---
    "rules.CX506.message": {
        "en": "commitment '{commitment}' to '{to}' is broken: perceived {perceived} against "
              "an expectation of {expectation} (satisfaction {satisfaction})",
        "es": "el compromiso '{commitment}' con '{to}' está incumplido: percibido "
              "{perceived} frente a una expectativa de {expectation} (satisfacción "
              "{satisfaction})",
    },
    "rules.CX506.hint": {
        "en": "plan a recovery with '{to}', owned by '{owner}'; update 'perceived' once it "
              "is measured again",
        "es": "planifica una recuperación con '{to}', a cargo de '{owner}'; actualiza "
              "'perceived' cuando se vuelva a medir",
    },
    # --- CX507 no economic buyer ---
    "rules.CX507.message": {
        "en": "the power map names no economic buyer",
        "es": "el mapa de poder no indica ningún comprador económico",
    },
    "rules.CX507.hint": {
        "en": "who has the final say on budget and renewal? e.g. '{candidate}' (influence "
              "{influence}): set 'role: economic-buyer' on them",
        "es": "¿quién tiene la última palabra sobre el presupuesto y la renovación? Por "
              "ejemplo, '{candidate}' (influencia {influence}): ponle "
              "'role: economic-buyer'",
    },
    "rules.CX507.hint.no_stakeholders": {
        "en": "add the person with the final say on the budget to 'stakeholders', with "
              "'role: economic-buyer'",
        "es": "añade a 'stakeholders' a la persona que tiene la última palabra sobre el "
              "presupuesto, con 'role: economic-buyer'",
    },
    # --- CX508 several economic buyers ---
    "rules.CX508.message": {
        "en": "{count} stakeholders are economic buyers: {buyers}",
        "es": "{count} interlocutores son compradores económicos: {buyers}",
    },
    "rules.CX508.hint": {
        "en": "keep 'role: economic-buyer' on the one with the final say among {buyers}",
        "es": "deja 'role: economic-buyer' solo en quien tiene la última palabra entre "
              "{buyers}",
    },
    # --- CX509 blocker or skeptic nobody handles ---
    "rules.CX509.message": {
        "en": "{support} '{stakeholder}' (influence {influence}) has no owner and no open "
              "action",
        "es": "el interlocutor '{stakeholder}' ({support:" + _SUPPORT_ES + "}, influencia "
              "{influence}) no tiene responsable de la relación ni ninguna acción abierta",
    },
    "rules.CX509.message.no_owner": {
        "en": "{support} '{stakeholder}' (influence {influence}) has no owner",
        "es": "el interlocutor '{stakeholder}' ({support:" + _SUPPORT_ES + "}, influencia "
              "{influence}) no tiene responsable de la relación",
    },
    "rules.CX509.message.no_action": {
        "en": "{support} '{stakeholder}' (influence {influence}) has no open action",
        "es": "el interlocutor '{stakeholder}' ({support:" + _SUPPORT_ES + "}, influencia "
              "{influence}) no tiene ninguna acción abierta",
    },
    "rules.CX509.hint": {
        "en": "set 'owner' to the team member who will build the relationship; list "
              "'{stakeholder}' in the 'stakeholders' of an open action aimed at them",
        "es": "pon en 'owner' a la persona del equipo que construirá la relación; incluye a "
              "'{stakeholder}' en 'stakeholders' de una acción abierta dirigida a esa persona",
    },
    "rules.CX509.hint.no_owner": {
        "en": "set 'owner' to the team member who will build the relationship",
        "es": "pon en 'owner' a la persona del equipo que construirá la relación",
    },
    "rules.CX509.hint.no_action": {
        "en": "list '{stakeholder}' in the 'stakeholders' of an open action aimed at them",
        "es": "incluye a '{stakeholder}' en 'stakeholders' de una acción abierta dirigida a "
              "esa persona",
    },
    # --- CX510 buyer area with no stakeholder ---
    "rules.CX510.message": {
        "en": "buyer area '{area}' ({name}) has no stakeholder in the power map",
        "es": "el área compradora '{area}' ({name}) no tiene ningún interlocutor en el mapa "
              "de poder",
    },
    "rules.CX510.hint": {
        "en": "add at least the head of '{area}' to 'stakeholders' with 'area: {area}'",
        "es": "añade a 'stakeholders' al menos a quien dirige '{area}', con 'area: {area}'",
    },
    # --- CX511 buyer area with no action ---
    "rules.CX511.message": {
        "en": "buyer area '{area}' ({name}) has no action",
        "es": "el área compradora '{area}' ({name}) no tiene ninguna acción",
    },
    "rules.CX511.hint": {
        "en": "add '{area}' to the 'areas' of an action that serves it, or add one",
        "es": "añade '{area}' a 'areas' de una acción que la atienda, o crea una",
    },
    # --- CX512 buyer area with no value ---
    "rules.CX512.message": {
        "en": "buyer area '{area}' ({name}) values nothing at any moment",
        "es": "el área compradora '{area}' ({name}) no valora nada en ningún momento",
    },
    "rules.CX512.hint": {
        "en": "add '{area}: <what it values>' under the 'values' of its moments",
        "es": "añade '{area}: <lo que valora>' en 'values' de los momentos en que participa",
    },
    # --- CX513 moment with no value ---
    "rules.CX513.message": {
        "en": "moment '{moment}' ({name}) has no value for any area",
        "es": "el momento '{moment}' ({name}) no tiene valores para ninguna área",
    },
    "rules.CX513.hint": {
        "en": "add 'values:' under moment '{moment}', one entry per area taking part",
        "es": "añade 'values:' al momento '{moment}', con una entrada por cada área que "
              "participa",
    },
    # --- CX514 silo ---
    "rules.CX514.message": {
        "en": "all {count} actions are owned by the '{department}' department",
        "es": "las {count} acciones son responsabilidad del departamento '{department}'",
    },
    "rules.CX514.hint": {
        "en": "give actions to people outside '{department}' who must change something for "
              "the plan",
        "es": "asigna acciones a personas de fuera de '{department}' que tengan que cambiar "
              "algo para el plan",
    },
    # --- CX515 no change management ---
    "rules.CX515.message": {
        "en": "no action prepares people for the change: the plan has no 'training' or "
              "'people' action",
        "es": "ninguna acción prepara a las personas para el cambio: el plan no tiene "
              "ninguna acción 'training' ni 'people'",
    },
    "rules.CX515.hint": {
        "en": "add a 'kind: training' or 'kind: people' action",
        "es": "añade una acción con 'kind: training' o 'kind: people'",
    },
    # --- CX516 only third-party social channels ---
    "rules.CX516.message": {
        "en": "every channel is a third-party social network: {channels}",
        "es": "todos los canales son redes sociales de terceros: {channels}",
    },
    "rules.CX516.hint": {
        "en": "add a channel the company controls: in person, email, phone, its own portal",
        "es": "añade un canal que controle la empresa: en persona, correo electrónico, "
              "teléfono, su propio portal",
    },
    # --- CX517 stale KPI ---
    "rules.CX517.message": {
        "en": "KPI '{kpi}' was last measured {last}, {days} {days:day|days} ago (limit "
              "{limit} {limit:day|days})",
        "es": "el indicador '{kpi}' se midió por última vez el {last}, hace {days} "
              "{days:día|días} (límite: {limit} {limit:día|días})",
    },
    "rules.CX517.message.never": {
        "en": "KPI '{kpi}' has never been measured, {days} {days:day|days} into the plan "
              "(limit {limit} {limit:day|days})",
        "es": "el indicador '{kpi}' no se ha medido nunca, y el plan ya lleva {days} "
              "{days:día|días} en marcha (límite: {limit} {limit:día|días})",
    },
    "rules.CX517.hint": {
        "en": "'{owner}' adds a reading (readings: - date: {as_of}, value: ...)",
        "es": "'{owner}' añade una medición (readings: - date: {as_of}, value: ...)",
    },
    # --- CX518 overloaded person ---
    "rules.CX518.message": {
        "en": "'{person}' ({name}) owns {total} open {total:action|actions}; the limit is "
              "{limit}",
        "es": "'{person}' ({name}) es responsable de {total} "
              "{total:acción abierta|acciones abiertas}; el límite es {limit}",
    },
    "rules.CX518.message.across_plans": {
        "en": "'{person}' ({name}) owns {total} open {total:action|actions} ({here} in this "
              "plan, across {plans} plans); the limit is {limit}",
        "es": "'{person}' ({name}) es responsable de {total} "
              "{total:acción abierta|acciones abiertas} ({here} en este plan, repartidas "
              "entre {plans} planes); el límite es {limit}",
    },
    "rules.CX518.hint": {
        "en": "move some actions from '{person}' to other team members, or spread the dates",
        "es": "pasa algunas acciones de '{person}' a otras personas del equipo, o escalona "
              "las fechas",
    },
    # --- CX519 plan owner not in the core team ---
    "rules.CX519.message": {
        "en": "plan owner '{owner}' is not in the core team (involvement: {involvement})",
        "es": "el responsable del plan, '{owner}', no forma parte del equipo central "
              "(involvement: {involvement})",
    },
    "rules.CX519.hint": {
        "en": "set 'involvement: core' on team member '{owner}', or choose a core member",
        "es": "pon 'involvement: core' en la entrada de '{owner}' en 'team', o elige como "
              "responsable del plan a alguien del equipo central",
    },
    # --- CX520 single-threaded account ---
    "rules.CX520.message": {
        "en": "single-threaded account: '{owner}' owns every relationship ({stakeholders})",
        "es": "cuenta con un solo hilo de relación: '{owner}' lleva todas las relaciones "
              "({stakeholders})",
    },
    "rules.CX520.hint": {
        "en": "give some of {stakeholders} owners other than '{owner}'",
        "es": "haz que otras personas del equipo, además de '{owner}', lleven parte de las "
              "relaciones con {stakeholders}",
    },
    # --- CX521 stale relationship ---
    "rules.CX521.message": {
        "en": "relationship with '{stakeholder}' (influence {influence}, owner '{owner}') is "
              "stale: last contact {last_contact}, {days} {days:day|days} ago (limit "
              "{limit} {limit:day|days})",
        "es": "la relación con '{stakeholder}' (influencia {influence}, responsable "
              "'{owner}') está descuidada: último contacto el {last_contact}, hace {days} "
              "{days:día|días} (límite: {limit} {limit:día|días})",
    },
    "rules.CX521.message.no_owner": {
        "en": "relationship with '{stakeholder}' (influence {influence}, no owner) is "
              "stale: last contact {last_contact}, {days} {days:day|days} ago (limit "
              "{limit} {limit:day|days})",
        "es": "la relación con '{stakeholder}' (influencia {influence}, sin responsable) "
              "está descuidada: último contacto el {last_contact}, hace {days} "
              "{days:día|días} (límite: {limit} {limit:día|días})",
    },
    "rules.CX521.hint": {
        "en": "'{owner}' gets in touch with '{stakeholder}' and updates 'last_contact'",
        "es": "'{owner}' se pone en contacto con '{stakeholder}' y actualiza 'last_contact'",
    },
    "rules.CX521.hint.no_owner": {
        "en": "give '{stakeholder}' an owner, who gets in touch and updates 'last_contact'",
        "es": "asigna un responsable a '{stakeholder}' que se ponga en contacto y actualice "
              "'last_contact'",
    },
    # --- CX522 due date keeps moving ---
    "rules.CX522.message": {
        "en": "the due date of action '{action}' moved {moves} {moves:time|times} (more than "
              "{limit}): first {first_due}, now {current_due} ({days:+d} {days:day|days}); "
              "last moved by {author} on {day} ({commit})",
        "es": "la fecha límite de la acción '{action}' se ha movido {moves} {moves:vez|veces} "
              "(más de {limit}): primero el {first_due}, ahora el {current_due} ({days:+d} "
              "{days:día|días}); la movió por última vez {author} el {day} ({commit})",
    },
    "rules.CX522.hint": {
        "en": "agree one realistic date with '{owner}', split the action into a first step "
              "that can be done soon, or set 'status: dropped'",
        "es": "acuerda con '{owner}' una única fecha realista, divide la acción en un primer "
              "paso que pueda hacerse pronto, o pon 'status: dropped'",
    },
}
"""Key -> language -> template."""

TEXTS: dict[str, dict[str, str]] = {
    language: {key: texts[language] for key, texts in TEMPLATES.items()}
    for language in LANGUAGES
}
"""Language -> key -> template (the shape of `cxplan.render.i18n.LABELS`)."""


def render_text(language: str, key: str, facts: Mapping[str, Fact]) -> str:
    """The template `key` in `language` (English when unknown), filled with `facts`."""
    table = TEXTS.get(language, TEXTS["en"])
    if key not in table:  # a text already in the catalogue (cxplan.i18n)
        return i18n.text(language, key, **facts)
    return _Formatter(table).vformat(table[key], (), facts)


def id_list(ids: tuple[str, ...], language: str) -> str:
    """`'a', 'b' and 'c'` in `language`; more than `LIST_LIMIT` end with `and N more`."""
    table = TEXTS.get(language, TEXTS["en"])
    return _Formatter(table).format_field(ids, "")


class _Formatter(string.Formatter):
    """`str.format` with plural and select choices and quoted id lists (module doc)."""

    def __init__(self, table: Mapping[str, str]) -> None:
        super().__init__()
        self.table = table

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, tuple):
            return self._list(value)
        if "|" in format_spec:
            return _choose(value, format_spec)
        return str(super().format_field(value, format_spec))

    def _list(self, ids: tuple[str, ...]) -> str:
        items = [f"'{i}'" for i in ids]
        if len(items) > LIST_LIMIT:
            more = self.table["rules.list.more"].format(count=len(items) - LIST_LIMIT)
            items = [*items[:LIST_LIMIT], more]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self.table['rules.list.and']} " + items[-1]


def _choose(value: Any, spec: str) -> str:
    options = spec.split("|")
    if any("=" in option for option in options):
        words = dict(option.split("=", 1) for option in options)
        return words.get(str(value), str(value))
    singular, plural = options
    return singular if abs(int(value)) == 1 else plural
