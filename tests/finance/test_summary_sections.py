"""The finance sections of a scrutiny summary: the revenue position and its movement (60), the care
ladder and its chart (62) and the period's risk share with the shortfall (65), read from the quarter's
last reported month, frozen when sent for approval, and printed in the PDF."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal as D

import pytest

from monitoring.accounts.models import Role
from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.finance.summary_sections import care_ladder_section, finance_section, risk_share_figures
from monitoring.reports import operations, pdf, rendering
from monitoring.reports.periods import HalfYear
from monitoring.reports.sections import load_sections
from tests.reports.conftest import flat, pdf_text

Q2 = FinancialYear(2017).quarters[1]


@pytest.fixture
def scene(f):
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    trust = f.create_user(Role.TRUST_OFFICER, contract)
    council = f.create_user(Role.COMMISSIONER, contract, name="Priya Shah")
    june = f.finance_figures()
    june.revenue[0] = replace(june.revenue[0], forecast_outturn=D("25510000"))
    f.create_finance_return(contract, "2017-06", june, user=trust, reviewer=council)
    september = f.create_finance_return(contract, "2017-09", status="submitted", user=trust)
    return {
        "contract": contract,
        "trust": trust,
        "commissioner": council,
        "director": f.create_user(Role.DIRECTOR, contract, name="Damian Allen"),
        "september": september,
    }


def test_the_sections_sit_where_the_seed_puts_them_and_risk_share_is_replaced():
    sections = {s.key: s for s in load_sections()}
    assert (sections["finance"].order, sections["care_ladder"].order, sections["risk_share"].order) == (60, 62, 65)
    assert sections["risk_share"].provide is risk_share_figures


def test_a_quarter_reads_its_end_month_and_is_plain_json(scene):
    data = finance_section(scene["contract"], Q2)
    assert json.loads(json.dumps(data, default=str)) is not None
    assert (data["month"], data["net_variance"], data["provisional"]) == ("September 2017", "1630000.00", True)
    assert data["since_quarter"] == "a reduction of £0.23m since quarter 1"
    assert data["revenue"][0] == {
        "name": "Children in care placements",
        "gross_budget": "24500000.00",
        "net_budget": "23800000.00",
        "forecast_outturn": "25280000.00",
        "variance": "1480000.00",
        "explanation": "More out-of-authority placements",
    }
    assert data["funding"][0]["amount"] == "1100000.00" and data["agency_staff"] == "87"
    ladder = care_ladder_section(scene["contract"], Q2)
    assert (
        ladder["rows"][0]["category"] == "Out of authority residential"
        and ladder["rows"][0]["variance"] == "1490000.00"
    )
    assert ladder["chart"]["labels"] == ["Apr", "May", "Jun", "Jul", "Aug", "Sep"]
    assert ladder["chart"]["forecast"] == [None, None, "31", None, None, "31"]
    share = risk_share_figures(scene["contract"], Q2)["figures"]
    assert (share["council_share"], share["trust_share"], share["shortfall"], share["council_exposure"]) == (
        "1141000.00",
        "489000.00",
        "419000.00",
        "1560000.00",
    )


def test_without_its_end_month_a_quarter_reads_its_latest_reported_month(f, scene):
    db.session.delete(scene["september"])
    db.session.flush()
    f.create_finance_return(scene["contract"], "2017-08", status="submitted")
    assert finance_section(scene["contract"], Q2)["month"] == "August 2017"
    assert finance_section(scene["contract"], HalfYear(FinancialYear(2017), 1))["month"] == "August 2017"
    assert finance_section(scene["contract"], FinancialYear(2017).quarters[2]) is None
    assert care_ladder_section(scene["contract"], FinancialYear(2017).quarters[2]) is None
    terms = risk_share_figures(scene["contract"], FinancialYear(2017).quarters[2])
    assert "figures" not in terms and terms["gain_share"] == "Retained by the trust"


def test_the_draft_page_and_the_pdf_show_the_shortfall_and_mark_provisional_figures(f, login, scene, tmp_path):
    summary = f.create_summary(scene["contract"])
    page = flat(login(scene["commissioner"]).get(f"/summaries/{summary.id}").text)
    assert "an overspend of £1.63m; this is a reduction of £0.23m since quarter 1" in page
    assert "These figures are <em>provisional</em>" in page
    assert "council pays 70% of a net overspend and the trust 30%" in page
    assert (
        "<strong>The trust&#39;s reserves of £0.07m do not cover its £0.49m share: "
        "the council also meets the shortfall of £0.42m.</strong>" in page
    )
    assert "<caption" in page and '<th scope="row"' in page and "<colgroup>" in page
    assert "Out of authority residential: placements against the contract, 2017/18" in page
    text = flat(pdf_text(pdf.render(rendering.draft_html(summary, scene["commissioner"])).pdf, tmp_path))
    assert "Finance: the revenue position and funding" in text and "The care ladder" in text
    assert "the council also meets the shortfall of £0.42m" in text
    assert "The council's real exposure is £1.56m" in text or "The council’s real exposure is £1.56m" in text
    assert "a forecast average of 31 placements against 21 in the contract" in text
    assert "provisional" in text


def test_a_published_summary_keeps_its_figures_when_the_return_changes(f, scene):
    from monitoring.finance.operations import save_return
    from monitoring.returns import operations as workflow

    summary = f.create_summary(scene["contract"])
    operations.submit_for_approval(summary, scene["commissioner"])
    version = operations.approve(summary, scene["director"])
    monthly = scene["september"]
    workflow.raise_query(monthly.latest, subject_key="position:net", question="Why?", user=scene["commissioner"])
    save_return(monthly.latest, f.finance_figures(reserves="600000"))
    db.session.flush()
    frozen = next(s for s in version.content["sections"] if s["key"] == "risk_share")["data"]["figures"]
    assert frozen["shortfall"] == "419000.00"
    assert risk_share_figures(scene["contract"], Q2)["figures"]["shortfall"] == "0.00"
