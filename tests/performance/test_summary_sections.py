"""Performance in the scrutiny summary: the KPI table with RAG words, arrows, faces and comparators,
trend charts of the measures that matter, case-file audits, and first drafts of the narrative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from monitoring.accounts.models import Role
from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.performance import audits
from monitoring.performance.models import AuditKind, Objective
from monitoring.reports import pdf, rendering
from monitoring.reports.compose import compose
from monitoring.reports.models import Summary
from monitoring.reviews.models import Grade
from tests.reports.conftest import pdf_text


@pytest.fixture
def quarter(f):
    contract = f.create_contract(with_scope=True)
    safe = Objective(name="Keeping children safe", position=1)
    reviews = f.create_indicator(
        "NI66",
        title="Looked-after reviews within timescale",
        is_ratio=True,
        target=D(80),
        tolerance=D(5),
        national=D("90.5"),
        neighbours=D(88),
        objective=safe,
    )
    custody = f.create_indicator(
        "NI43",
        title="Custodial sentences",
        polarity="lower_is_better",
        target=D("6.8"),
        tolerance=D(1),
        national=D(6),
        neighbours=D(7),
        objective=safe,
    )
    stability = f.create_indicator("CLA05", title="Placement stability", target=D(70), tolerance=D(5))
    f.create_basket(contract, [reviews, custody, stability])
    red = {"value": D("11.3"), "commentary": "Sentencing in the west area"}
    f.create_kpi_return(contract, "2017-07", {"NI66": (82, 100), "NI43": red, "CLA05": D(71)})
    f.create_kpi_return(contract, "2017-08", {"NI66": (80, 100), "NI43": red, "CLA05": D(72)})
    f.create_kpi_return(contract, "2017-09", {"NI66": (774, 1000), "NI43": red, "CLA05": D(74)}, status="submitted")
    people = {
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
        "director": f.create_user(Role.DIRECTOR, contract),
    }
    return {"contract": contract, **people}


def sections(summary) -> dict:
    return {part["key"]: part["data"] for part in compose(summary)["sections"]}


def test_the_kpi_table_words_every_figure_for_the_quarters_last_month(quarter, f):
    table = sections(f.create_summary(quarter["contract"], quarter=2))["kpi_table"]
    assert table["month"] == "September 2017" and table["provisional"] is True
    rows = {row["code"]: row for group in table["objectives"] for row in group["rows"]}
    ni66 = rows["NI66"]
    assert (ni66["value"], ni66["rag_label"], ni66["direction"]) == ("77.4%", "Amber", "Declined")
    assert rows["NI66"]["national"] == {"value": "90.5%", "difference": "−13.1 points", "word": "worse"}
    assert rows["NI43"]["rag_label"] == "Red" and rows["NI43"]["face_label"] == "Unlikely to meet target"
    assert rows["NI43"]["flags"][0] == "Red for 3 consecutive periods"
    assert rows["CLA05"]["direction"] == "Improved" and rows["CLA05"]["face_label"] == "Likely to meet target"
    assert all(row["provisional"] for row in rows.values())


def test_trend_charts_start_with_the_measures_flagged_for_challenge(quarter, f):
    charts = sections(f.create_summary(quarter["contract"], quarter=2))["trend_charts"]["charts"]
    assert charts[0]["code"] == "NI43"
    assert len(charts[0]["labels"]) == 54  # April 2013 to September 2017: five financial years, the last so far
    assert charts[0]["missing"] == 51  # only three months have figures: honest gaps, not zeros


def test_no_returns_means_no_performance_sections(f):
    contract = f.create_contract(with_scope=True)
    f.create_basket(contract, [f.create_indicator(target=D(1))])
    found = sections(f.create_summary(contract, quarter=2))
    assert "kpi_table" not in found and "trend_charts" not in found and "case_audits" not in found


def test_the_quarters_case_file_audits(quarter, f):
    audit = audits.record_audit(
        quarter["contract"],
        period=Period(2017, 9),
        kind=AuditKind.MONTHLY_SAMPLE,
        theme="",
        completed_on=date(2017, 9, 28),
    )
    for reference, grade in [("A1", Grade.GOOD), ("A2", Grade.OUTSTANDING), ("A3", Grade.INADEQUATE)]:
        audits.add_case(audit, reference=reference, grade=grade, head_of_service="Jo Ellis")
    found = sections(f.create_summary(quarter["contract"], quarter=2))["case_audits"]
    assert found["cases"] == 3 and found["good_or_better"] == "66.7%"
    assert found["inadequate"] == [
        {
            "reference": "A3",
            "head_of_service": "Jo Ellis",
            "reaudit_due": "2018-03-28",
            "reaudited_on": None,
            "reaudit_grade": "",
        }
    ]


def test_the_narrative_starts_from_whats_green_and_whats_red(quarter, login):
    client = login(quarter["commissioner"])
    created = client.post(
        f"/contracts/{quarter['contract'].id}/summaries/new", data={"period": "quarter:2", "financial_year": "2017/18"}
    )
    assert created.status_code == 302
    summary = db.session.query(Summary).one()
    assert "- Placement stability: Green at 74%, improved" in summary.narrative["going_well"]
    assert (
        "- Custodial sentences: Red at 11.3% against a target of 6.8%; red for 3 consecutive periods"
        in summary.narrative["needs_improvement"]
    )


def test_the_published_pdf_keeps_the_figures_it_was_approved_with(quarter, f, tmp_path):
    summary = f.create_summary(quarter["contract"], quarter=2)
    version = f.publish_summary(summary, quarter["commissioner"], quarter["director"])
    first = rendering.render_version(version)
    # A target revised later changes the dashboard, never the published summary.
    [entry] = _basket_entries(quarter["contract"])
    entry.indicator.years[0].target = D(20)
    db.session.flush()
    second = rendering.render_version(version)
    assert first.pdf == second.pdf
    text = pdf_text(first.pdf, tmp_path)
    assert "NI43 Custodial sentences" in text and "Red" in text and "Declined" in text
    assert "Unlikely" in text and "6.8%" in text
    assert "1 Green, 1 Amber, 1 Red, 0 No data" in " ".join(text.split())
    draft = pdf_text(pdf.render(rendering.draft_html(f.create_summary(quarter["contract"], quarter=3))).pdf, tmp_path)
    assert "DRAFT" in draft


def _basket_entries(contract):
    from monitoring.performance.queries import basket_for

    return [e for e in basket_for(contract.id, Period(2017, 9)).entries if e.indicator.code == "NI43"]
