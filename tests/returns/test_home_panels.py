"""Home pages say which returns need the person signed in: the trust's to finish or answer, the
council's to review."""

from __future__ import annotations

import re
from decimal import Decimal as D

from monitoring.accounts.models import Role
from monitoring.core.periods import Period
from monitoring.core.timeutil import london_today
from monitoring.returns import operations


def words(response) -> str:
    """The page as a reader sees it: text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def recent() -> tuple[Period, Period]:
    last = Period.containing(london_today()).shift(-1)
    return last.shift(-1), last


def test_the_trust_sees_questions_to_answer_and_drafts_to_finish(f, login):
    contract = f.create_contract(with_scope=True)
    f.create_basket(contract, [f.create_indicator("NI66", target=D(80))])
    earlier, last = recent()
    queried = f.create_kpi_return(contract, earlier.label, {"NI66": D(85)}, status="submitted")
    council = f.create_user(Role.COMMISSIONER, contract)
    operations.raise_query(queried.latest, subject_key="NI66", question="Why?", user=council)
    f.create_kpi_return(contract, last.label, {"NI66": D(85)}, status="draft")
    page = words(login(f.create_user(Role.TRUST_OFFICER, contract)).get("/home"))
    assert "Returns to finish or answer" in page
    assert f"KPI return for {earlier.name} : 1 question from the council to answer" in page
    assert f"KPI return for {last.name} : Draft: due" in page


def test_the_council_sees_returns_waiting_for_review(f, login):
    contract = f.create_contract(with_scope=True)
    f.create_basket(contract, [f.create_indicator("NI66", target=D(80))])
    _, last = recent()
    f.create_kpi_return(contract, last.label, {"NI66": D(85)}, status="submitted")
    page = words(login(f.create_user(Role.COMMISSIONER, contract)).get("/home"))
    assert f"KPI return for {last.name} : Submitted: waiting for your review" in page
    other = login(f.create_user(Role.COMMISSIONER, f.create_contract(with_scope=True))).get("/home")
    assert "No returns are waiting for your review." in words(other)
