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
        "powermap.map.title": 'Power map: {customer}',
        "powermap.map.summary": (
            '{count} stakeholders. Solid grey lines run from a person up to their '
            'manager; dashed purple arrows show informal influence; a star marks a '
            'decision maker; the round badge holds the initials of our relationship '
            'owner.'
        ),
        "powermap.empty": 'No stakeholders in this plan yet.',
        "powermap.grid.title": 'Influence and support: {customer}',
        "powermap.grid.summary": (
            '{count} stakeholders placed by influence (1 to 5, upwards) and support '
            '(blocker to champion, left to right).'
        ),
        "powermap.support.blocker": 'blocker',
        "powermap.support.skeptic": 'skeptic',
        "powermap.support.neutral": 'neutral',
        "powermap.support.supporter": 'supporter',
        "powermap.support.champion": 'champion',
        "powermap.role.economic-buyer": 'economic buyer',
        "powermap.role.technical-buyer": 'technical buyer',
        "powermap.role.user-buyer": 'user buyer',
        "powermap.role.coach": 'coach',
        "powermap.influence": 'influence {value} of 5',
        "powermap.decides": 'decides: {topics}',
        "powermap.decision_maker": 'decision maker',
        "powermap.owner": 'owner: {name}',
        "powermap.no_owner": 'no owner',
        "powermap.reports_to": 'reports to {name}',
        "powermap.influences": 'influences {names}',
        "powermap.last_contact": 'last contact {date}',
        "powermap.stale": '{days} days without contact',
        "powermap.never_contacted": 'no contact recorded',
        "powermap.legend": 'Legend',
        "powermap.legend.reporting": 'reports to (line up to the manager)',
        "powermap.legend.influence": 'influences',
        "powermap.legend.owner": 'initials of our owner',
        "powermap.legend.stale": 'no contact for over {days} days',
        "powermap.legend.weight": 'border weight and dots: influence 1 to 5',
        "powermap.unattached": 'Outside the reporting lines',
        "powermap.axis.influence": 'Influence',
        "powermap.axis.support": 'Support',
        "powermap.influence.low": 'marginal',
        "powermap.influence.high": 'final say',
        "powermap.quadrant.key-allies": 'Key allies',
        "powermap.quadrant.win-over": 'Win over',
        "powermap.quadrant.keep-informed": 'Keep informed',
        "powermap.quadrant.monitor": 'Monitor',
        "powermap.edge.reports_to": 'reports to',
        "powermap.edge.influences": 'influences',
        "powermap.edge.owns": 'owns',
        "powermap.team": 'Our team',
        "powermap.stakeholders": 'Stakeholders',
        "powermap.risk.no-owner": 'nobody on our side owns the relationship',
        "powermap.risk.no-action": 'no open action addresses them',
        # --- tracking ---
        "tracking.action": "Action",
        "tracking.commitment": "Commitment",
        "tracking.plan": "Plan",
        "tracking.customer": "Customer",
        "tracking.owner": "Owner",
        "tracking.due": "Due",
        "tracking.done_on": "Done on",
        "tracking.horizon": "Horizon",
        "tracking.status": "Status",
        "tracking.promised_to": "Promised to",
        "tracking.expectation": "Expectation",
        "tracking.perceived": "Perceived",
        "tracking.horizon.quick-win": "Quick win",
        "tracking.horizon.medium-term": "Medium term",
        "tracking.status.todo": "To do",
        "tracking.status.doing": "In progress",
        "tracking.status.done": "Done",
        "tracking.status.blocked": "Blocked",
        "tracking.status.dropped": "Dropped",
        "tracking.state.overdue": "Overdue",
        "tracking.state.blocked": "Blocked",
        "tracking.state.due-soon": "Due soon",
        "tracking.state.open": "Open",
        "tracking.state.done": "Done",
        "tracking.state.dropped": "Dropped",
        "tracking.commitment.kept": "Kept",
        "tracking.commitment.broken": "Broken",
        "tracking.commitment.overdue": "Past due, not measured",
        "tracking.commitment.pending": "Pending",
        "tracking.kpi.on_track": "On track",
        "tracking.kpi.off_track": "Off track",
        "tracking.kpi.unknown": "Not enough readings",
        "tracking.days_late.one": "1 day late",
        "tracking.days_late.many": "{count} days late",
        "tracking.days_left.today": "due today",
        "tracking.days_left.one": "due in 1 day",
        "tracking.days_left.many": "due in {count} days",
        "tracking.calendar.person": "{name}: CX actions",
        "tracking.quick_wins": "Quick wins",
        "tracking.actions": "Actions",
        "tracking.progress": "{done} of {total} done",
        "tracking.progress.empty": "Nothing to count yet",
        "tracking.burnup.title": "Actions done over time",
        "tracking.burnup.desc": (
            "Burn-up: {done} of {total} actions done as of {date}; {due} were due "
            "by then."
        ),
        "tracking.burnup.done": "Done",
        "tracking.burnup.due": "Due by date",
        "tracking.burnup.empty": "No actions yet",
        "tracking.as_of": "As of {date}",
        "tracking.kpi.baseline": "Baseline",
        "tracking.kpi.target": "Target",
        "tracking.kpi.higher": "Higher is better",
        "tracking.kpi.lower": "Lower is better",
        "tracking.kpi.no_readings": "No readings yet",
        "tracking.kpi.desc": (
            "{name}: latest reading {value} on {date}; baseline {baseline}, target "
            "{target}. {better}."
        ),
        "tracking.kpi.desc_empty": (
            "{name}: no readings yet; baseline {baseline}, target {target}. "
            "{better}."
        ),
        "tracking.none": "none",
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
        "powermap.map.title": 'Mapa de poder: {customer}',
        "powermap.map.summary": (
            '{count} interlocutores. Las líneas grises continuas van de cada '
            'persona a su jefe; las flechas moradas discontinuas muestran la '
            'influencia informal; una estrella señala a quien decide; la insignia '
            'redonda lleva las iniciales de nuestro responsable de la relación.'
        ),
        "powermap.empty": 'Este plan aún no tiene interlocutores.',
        "powermap.grid.title": 'Influencia y apoyo: {customer}',
        "powermap.grid.summary": (
            '{count} interlocutores situados por influencia (de 1 a 5, hacia '
            'arriba) y apoyo (de bloqueador a campeón, de izquierda a derecha).'
        ),
        "powermap.support.blocker": 'bloqueador',
        "powermap.support.skeptic": 'escéptico',
        "powermap.support.neutral": 'neutral',
        "powermap.support.supporter": 'partidario',
        "powermap.support.champion": 'campeón',
        "powermap.role.economic-buyer": 'comprador económico',
        "powermap.role.technical-buyer": 'comprador técnico',
        "powermap.role.user-buyer": 'comprador usuario',
        "powermap.role.coach": 'coach',
        "powermap.influence": 'influencia {value} de 5',
        "powermap.decides": 'decide: {topics}',
        "powermap.decision_maker": 'decisor',
        "powermap.owner": 'responsable: {name}',
        "powermap.no_owner": 'sin responsable',
        "powermap.reports_to": 'reporta a {name}',
        "powermap.influences": 'influye en {names}',
        "powermap.last_contact": 'último contacto {date}',
        "powermap.stale": '{days} días sin contacto',
        "powermap.never_contacted": 'sin contacto registrado',
        "powermap.legend": 'Leyenda',
        "powermap.legend.reporting": 'reporta a (línea hacia su jefe)',
        "powermap.legend.influence": 'influye en',
        "powermap.legend.owner": 'iniciales de nuestro responsable',
        "powermap.legend.stale": 'sin contacto hace más de {days} días',
        "powermap.legend.weight": 'grosor del borde y puntos: influencia de 1 a 5',
        "powermap.unattached": 'Fuera de las líneas jerárquicas',
        "powermap.axis.influence": 'Influencia',
        "powermap.axis.support": 'Apoyo',
        "powermap.influence.low": 'marginal',
        "powermap.influence.high": 'última palabra',
        "powermap.quadrant.key-allies": 'Aliados clave',
        "powermap.quadrant.win-over": 'Convencer',
        "powermap.quadrant.keep-informed": 'Mantener informados',
        "powermap.quadrant.monitor": 'Vigilar',
        "powermap.edge.reports_to": 'reporta a',
        "powermap.edge.influences": 'influye en',
        "powermap.edge.owns": 'gestiona',
        "powermap.team": 'Nuestro equipo',
        "powermap.stakeholders": 'Interlocutores',
        "powermap.risk.no-owner": 'nadie de nuestro equipo es responsable de la relación',
        "powermap.risk.no-action": 'ninguna acción abierta se ocupa de esta persona',
        # --- tracking ---
        "tracking.action": "Acción",
        "tracking.commitment": "Compromiso",
        "tracking.plan": "Plan",
        "tracking.customer": "Cliente",
        "tracking.owner": "Responsable",
        "tracking.due": "Vence",
        "tracking.done_on": "Hecha el",
        "tracking.horizon": "Horizonte",
        "tracking.status": "Estado",
        "tracking.promised_to": "Prometido a",
        "tracking.expectation": "Expectativa",
        "tracking.perceived": "Percibido",
        "tracking.horizon.quick-win": "Victoria rápida",
        "tracking.horizon.medium-term": "Medio plazo",
        "tracking.status.todo": "Pendiente",
        "tracking.status.doing": "En curso",
        "tracking.status.done": "Hecha",
        "tracking.status.blocked": "Bloqueada",
        "tracking.status.dropped": "Descartada",
        "tracking.state.overdue": "Atrasada",
        "tracking.state.blocked": "Bloqueada",
        "tracking.state.due-soon": "Vence pronto",
        "tracking.state.open": "Abierta",
        "tracking.state.done": "Hecha",
        "tracking.state.dropped": "Descartada",
        "tracking.commitment.kept": "Cumplido",
        "tracking.commitment.broken": "Incumplido",
        "tracking.commitment.overdue": "Vencido sin medir",
        "tracking.commitment.pending": "Pendiente",
        "tracking.kpi.on_track": "En camino",
        "tracking.kpi.off_track": "Desviado",
        "tracking.kpi.unknown": "Faltan mediciones",
        "tracking.days_late.one": "1 día de retraso",
        "tracking.days_late.many": "{count} días de retraso",
        "tracking.days_left.today": "vence hoy",
        "tracking.days_left.one": "vence en 1 día",
        "tracking.days_left.many": "vence en {count} días",
        "tracking.calendar.person": "{name}: acciones de CX",
        "tracking.quick_wins": "Victorias rápidas",
        "tracking.actions": "Acciones",
        "tracking.progress": "{done} de {total} hechas",
        "tracking.progress.empty": "Aún nada que contar",
        "tracking.burnup.title": "Acciones hechas a lo largo del tiempo",
        "tracking.burnup.desc": (
            "Gráfico de avance: {done} de {total} acciones hechas a fecha {date}; "
            "{due} vencían hasta entonces."
        ),
        "tracking.burnup.done": "Hechas",
        "tracking.burnup.due": "Previstas a la fecha",
        "tracking.burnup.empty": "Aún no hay acciones",
        "tracking.as_of": "A fecha {date}",
        "tracking.kpi.baseline": "Línea base",
        "tracking.kpi.target": "Objetivo",
        "tracking.kpi.higher": "Más alto es mejor",
        "tracking.kpi.lower": "Más bajo es mejor",
        "tracking.kpi.no_readings": "Aún sin mediciones",
        "tracking.kpi.desc": (
            "{name}: última medición {value} el {date}; línea base {baseline}, "
            "objetivo {target}. {better}."
        ),
        "tracking.kpi.desc_empty": (
            "{name}: aún sin mediciones; línea base {baseline}, objetivo {target}. "
            "{better}."
        ),
        "tracking.none": "ninguna",
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
