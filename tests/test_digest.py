"""`cxplan digest`: per person, across plans, each plan's part in its own language."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

from tracking_plans import run_cxplan

ENGLISH = """\
plan:
  title: Acme plan
  customer: Acme
  owner: ana
  start: 2027-01-04
  language: en
team:
  - id: ana
    name: Ana Ruiz
    department: Key Accounts
    email: ana@example.com
  - id: ben
    name: Ben Cole
    department: Operations
areas:
  - id: ops
    name: Operations
moments:
  - id: m1
    name: Tender
    phase: purchase
stakeholders:
  - id: dora
    name: Dora Lind
    influence: 4
    support: supporter
    owner: ana
    last_contact: 2026-10-01
  - id: eli
    name: Eli Park
    influence: 3
    support: neutral
    owner: ana
    last_contact: 2026-11-09
  - id: fay
    name: Fay Holm
    influence: 2
    support: neutral
    owner: ana
    last_contact: 2027-01-10
commitments:
  - id: c1
    promise: Dock windows kept
    to: ops
    owner: ana
    due: 2027-02-03
    expectation: 4
actions:
  - id: a-late
    title: Send the *contact* sheet
    owner: ana
    due: 2027-01-25
    horizon: quick-win
  - id: a-soon
    title: Book the review
    owner: ana
    due: 2027-02-05
    horizon: quick-win
    status: doing
  - id: a-later
    title: Far away
    owner: ana
    due: 2027-03-30
    horizon: medium-term
  - id: a-done
    title: Finished
    owner: ana
    due: 2027-01-20
    horizon: quick-win
    status: done
    done_on: 2027-01-19
  - id: b-late
    title: Ben's
    owner: ben
    due: 2027-01-26
    horizon: quick-win
"""

SPANISH = """\
plan:
  title: Plan Beta
  customer: Beta
  owner: ana
  start: 2027-01-04
  language: es
team:
  - id: ana
    name: Ana Ruiz
    department: Cuentas
    email: ana@example.com
areas:
  - id: ops
    name: Operaciones
moments:
  - id: m1
    name: Compra
    phase: purchase
actions:
  - id: b1
    title: Llamar a Compras
    owner: ana
    due: 2027-01-29
    horizon: quick-win
  - id: b2
    title: Revisar facturas
    owner: ana
    due: 2027-02-01
    horizon: quick-win
"""


def test_a_digest_spans_plans_in_their_languages(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "plans" / "beta.yaml").write_text(SPANISH, encoding="utf-8")
    result = run_cxplan(tmp_path, "digest", "--as-of", "2027-02-01", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "2 digests written to out." in result.stdout
    assert "ben has no e-mail in team: Markdown only" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ana.eml", "ana.md", "ben.md"
    ]
    text = (tmp_path / "out" / "ana.md").read_text(encoding="utf-8")
    english, spanish = text.split("## Plan Beta")
    assert "## Acme plan" in english
    assert "### Overdue (1)" in english
    assert (
        "- Send the \\*contact\\* sheet (action `a-late`, due Jan 25, 2027, 7 days late)"
        in english
    )
    assert "### Due in the next 7 days" in english
    assert "- Book the review (action `a-soon`, due Feb 5, 2027, in 4 days)" in english
    assert "- Dock windows kept (commitment `c1`, due Feb 3, 2027, in 2 days)" in english
    assert "Far away" not in text and "Finished" not in text and "Ben's" not in text
    # Dora: 123 days (stale, over 90); Eli: 84 days (stale within the week); Fay: fine.
    assert "- Dora Lind (`dora`): last contact Oct 1, 2026, 123 days ago: stale\n" in english
    assert "- Eli Park (`eli`): last contact Nov 9, 2026, 84 days ago: stale soon" in english
    assert "Fay" not in text
    assert "### Vencidos (1)" in spanish
    assert "- Llamar a Compras (acción `b1`, vencía el 29 ene 2027, 3 días de retraso)" in spanish
    assert "### Vencen en los próximos 7 días" in spanish
    assert "- Revisar facturas (acción `b2`, vence el 1 feb 2027, hoy)" in spanish
    message = email.message_from_bytes((tmp_path / "out" / "ana.eml").read_bytes(),
                                       policy=default)
    assert message["To"] == "Ana Ruiz <ana@example.com>"
    assert message["Subject"] == "cxplan: your actions and relationships, Feb 1, 2027"
    assert message.get_content().replace("\r\n", "\n") == text  # e-mail lines end CRLF
    # Reproducible: the same digest is the same bytes.
    first = (tmp_path / "out" / "ana.eml").read_bytes()
    assert run_cxplan(tmp_path, "digest", "--as-of", "2027-02-01", "--out", "out").returncode == 0
    assert (tmp_path / "out" / "ana.eml").read_bytes() == first


def test_nothing_due_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "beta.yaml").write_text(SPANISH, encoding="utf-8")
    result = run_cxplan(tmp_path, "digest", "--as-of", "2026-12-01", "--out", "out")
    assert result.returncode == 0
    assert "Nobody has anything due" in result.stdout
    assert not (tmp_path / "out").exists()
