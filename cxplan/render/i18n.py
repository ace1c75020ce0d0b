"""Every label the site, the pictures and the reports show, in English and Spanish.

Keys are grouped by the part of the tool that uses them. A test checks that both
languages have exactly the same keys.
"""

from __future__ import annotations

LANGUAGES = ("en", "es")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # --- site ---
        # --- powermap ---
        # --- tracking ---
        # --- rules ---
        "rules.health": "Plan health",
        "rules.healthy": "No findings: the plan passes every method check.",
        "rules.as_of": "as of",
        "rules.whole_plan": "the plan",
        "rules.severity.error": "Error",
        "rules.severity.warning": "Warning",
        "rules.severity.info": "Note",
        "rule.CX501": "No quick win",
        "rule.CX502": "Quick win due too late",
        "rule.CX503": "Overdue action",
        "rule.CX504": "Commitment with no action",
        "rule.CX505": "Commitment delivered too late",
        "rule.CX506": "Broken commitment",
        "rule.CX507": "No economic buyer",
        "rule.CX508": "More than one economic buyer",
        "rule.CX509": "Blocker or skeptic nobody handles",
        "rule.CX510": "Buyer area with no stakeholder",
        "rule.CX511": "Buyer area with no action",
        "rule.CX512": "Buyer area with no value",
        "rule.CX513": "Moment with no value",
        "rule.CX514": "Silo: one department owns every action",
        "rule.CX515": "No change management",
        "rule.CX516": "Only third-party social channels",
        "rule.CX517": "KPI not measured recently",
        "rule.CX518": "Person with too many open actions",
        "rule.CX519": "Plan owner not in the core team",
        "rule.CX520": "Single-threaded account",
        "rule.CX521": "Stale relationship",
        # --- history ---
        # --- audience ---
    },
    "es": {
        # --- site ---
        # --- powermap ---
        # --- tracking ---
        # --- rules ---
        "rules.health": "Salud del plan",
        "rules.healthy": "Sin avisos: el plan supera todas las comprobaciones del método.",
        "rules.as_of": "a fecha de",
        "rules.whole_plan": "el plan",
        "rules.severity.error": "Error",
        "rules.severity.warning": "Aviso",
        "rules.severity.info": "Nota",
        "rule.CX501": "Sin victorias rápidas",
        "rule.CX502": "Victoria rápida con fecha demasiado tardía",
        "rule.CX503": "Acción vencida",
        "rule.CX504": "Compromiso sin acción que lo cumpla",
        "rule.CX505": "Compromiso que se cumplirá tarde",
        "rule.CX506": "Compromiso incumplido",
        "rule.CX507": "Sin comprador económico",
        "rule.CX508": "Más de un comprador económico",
        "rule.CX509": "Bloqueador o escéptico que nadie atiende",
        "rule.CX510": "Área compradora sin interlocutores",
        "rule.CX511": "Área compradora sin acciones",
        "rule.CX512": "Área compradora sin valores",
        "rule.CX513": "Momento sin valores",
        "rule.CX514": "Silo: un solo departamento tiene todas las acciones",
        "rule.CX515": "Sin gestión del cambio",
        "rule.CX516": "Solo canales en redes sociales de terceros",
        "rule.CX517": "Indicador sin medición reciente",
        "rule.CX518": "Persona con demasiadas acciones abiertas",
        "rule.CX519": "Responsable del plan fuera del equipo central",
        "rule.CX520": "Cuenta con un solo hilo de relación",
        "rule.CX521": "Relación descuidada",
        # --- history ---
        # --- audience ---
    },
}


def label(language: str, key: str) -> str:
    """The label for `key`; English when the language is unknown."""
    table = LABELS.get(language, LABELS["en"])
    return table[key]


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])
