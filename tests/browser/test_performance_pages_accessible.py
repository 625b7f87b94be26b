"""Every page of the returns and performance areas, filled with the demo's five years of figures, passes
axe-core's WCAG 2.2 AA checks, and can be reached from the contract's menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.demo import load_demo
from monitoring.extensions import db
from monitoring.performance.models import AuditedCase, CaseAudit, Indicator
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.reviews.models import Grade

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo() -> dict:
    with acting_as(SYSTEM):
        ctx = load_demo(PASSWORD)
    db.session.commit()
    returns = db.session.scalars(
        select(MonthlyReturn)
        .where(MonthlyReturn.contract_id == ctx.contract.id, MonthlyReturn.kind == ReturnKind.KPI)
        .order_by(MonthlyReturn.year.desc(), MonthlyReturn.month.desc())
    ).all()
    inadequate = db.session.scalars(select(AuditedCase).where(AuditedCase.grade == Grade.INADEQUATE)).first()
    facts = {
        "contract_id": ctx.contract.id,
        "draft_id": returns[0].id,
        "queried_id": returns[1].id,
        "corrected_id": next(r.id for r in returns if len(r.revisions) > 1),
        "indicator_id": db.session.scalar(select(Indicator.id).where(Indicator.code == "FD05")),
        "audit_id": db.session.scalar(select(CaseAudit.id).order_by(CaseAudit.id.desc())),
        "case": (inadequate.audit_id, inadequate.id),
    }
    db.session.rollback()
    return facts


def check(page, path: str) -> None:
    page.goto(path)
    expect(page.locator("h1")).to_be_visible()
    violations = accessibility_violations(page)
    assert violations == [], f"{path}\n{describe(violations)}"


def test_the_trusts_pages(demo, new_page) -> None:
    page = new_page()
    sign_in(page, "trust@demo.test", PASSWORD)
    c = f"/contracts/{demo['contract_id']}"
    for path in [
        f"{c}/returns",
        f"{c}/returns/{demo['draft_id']}",
        f"{c}/kpi-returns/{demo['draft_id']}/edit",
        f"{c}/kpi-returns/{demo['draft_id']}/upload",
        f"{c}/returns/{demo['queried_id']}",
        f"{c}/returns/{demo['corrected_id']}/revisions/1",
        f"{c}/case-audits",
        f"{c}/case-audits/new",
        f"{c}/case-audits/{demo['audit_id']}",
        f"{c}/case-audits/{demo['case'][0]}/cases/{demo['case'][1]}/reaudit",
    ]:
        check(page, path)
    # Bad input on the form: the error summary and the fields it links to pass too.
    page.goto(f"{c}/kpi-returns/{demo['draft_id']}/edit")
    page.locator("input[name^='v-']").first.fill("not a number")
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_role("alert")).to_contain_text("must be a number")
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)


def test_the_councils_pages(demo, new_page) -> None:
    page = new_page()
    sign_in(page, "commissioner@demo.test", PASSWORD)
    c = f"/contracts/{demo['contract_id']}"
    page.goto(c)
    sections = page.get_by_role("navigation", name="Contract sections")
    for name in ["Performance", "Returns", "Case audits", "KPI basket"]:
        expect(sections.get_by_role("link", name=name, exact=True)).to_be_visible()
    for path in [
        f"{c}/performance",
        f"{c}/performance?status=red",
        f"{c}/performance/flags",
        f"{c}/performance/indicators/{demo['indicator_id']}",
        f"{c}/returns/{demo['queried_id']}",
        f"{c}/returns/{demo['corrected_id']}",
        f"{c}/basket",
        f"{c}/basket/new",
    ]:
        check(page, path)
