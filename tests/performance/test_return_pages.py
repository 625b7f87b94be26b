"""The KPI return through its pages: the trust fills in the form (or uploads the spreadsheet) and is
told exactly what is wrong; the council queries and accepts; accepted figures stay as they were."""

from __future__ import annotations

import re
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import Workbook

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.performance.models import KpiValue
from monitoring.returns.models import MonthlyReturn, ReturnQuery
from monitoring.returns.rules import ReturnStatus


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)
    f.create_basket(contract, list(f.create_seed_measures().values()))
    monthly = f.create_kpi_return(contract, "2017-08", status="draft")
    return {
        "contract": contract,
        "return": monthly,
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
    }


def edit_url(s) -> str:
    return f"/contracts/{s['contract'].id}/kpi-returns/{s['return'].id}/edit"


def return_url(s) -> str:
    return f"/contracts/{s['contract'].id}/returns/{s['return'].id}"


def stored(s) -> dict[str, KpiValue]:
    revision = db.session.get(MonthlyReturn, s["return"].id).latest
    return {v.indicator.code: v for v in db.session.query(KpiValue).filter_by(revision_id=revision.id)}


GOOD = {
    "n-NI66": "77",
    "d-NI66": "100",
    "v-NI43": "11.3",
    "c-NI43": "Sentencing in the west area was high",
    "v-LAC1": "539",
}


def test_the_trust_fills_in_the_form_and_the_figures_are_saved(login, setting):
    client = login(setting["trust"])
    page = client.get(edit_url(setting))
    assert page.status_code == 200
    assert "NI66 Looked-after reviews within timescale" in page.text and "Number of children" in page.text
    saved = client.post(edit_url(setting), data=GOOD)
    assert saved.status_code == 302
    figures = stored(setting)
    assert (figures["NI66"].numerator, figures["NI66"].denominator) == (D(77), D(100))
    assert figures["NI43"].value == D("11.3") and figures["LAC1"].value == D(539)


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"v-NI43": "eleven"}, "v-NI43", "NI43 Custodial sentences: the value must be a number"),
        (
            {"n-NI66": "120"},
            "n-NI66",
            "NI66 Looked-after reviews within timescale: the numerator (120) cannot be more than the denominator (100)",
        ),
        (
            {"d-NI66": ""},
            "n-NI66",
            "NI66 Looked-after reviews within timescale: enter both the numerator and the denominator",
        ),
        ({"v-NI43": "101"}, "v-NI43", "NI43 Custodial sentences: "),
        ({"v-LAC1": "53.5"}, "v-LAC1", "LAC1 Looked-after children per 10,000: "),
        ({"f-NI43": "12"}, "r-NI43", "give the reason for your own year-end forecast"),
    ],
)
def test_bad_figures_are_named_and_nothing_is_saved(login, setting, changes, key, message):
    client = login(setting["trust"])
    response = client.post(edit_url(setting), data={**GOOD, **changes})
    assert response.status_code == 400
    assert message in response.text
    assert f'href="#{key}"' in response.text  # the error summary links to the field
    assert stored(setting) == {}


def test_the_form_refuses_a_change_made_by_someone_else_meanwhile(login, setting):
    client = login(setting["trust"])
    client.post(edit_url(setting), data=GOOD)
    stale = {**GOOD, "v-NI43": "5", "lock_version": "1"}
    response = client.post(edit_url(setting), data=stale)
    assert response.status_code == 409
    assert f"was changed by {setting['trust'].name}" in response.text and "have not been saved" in response.text
    assert 'value="5"' in response.text  # what they typed is still in the form
    assert stored(setting)["NI43"].value == D("11.3")


def test_submitting_queries_answering_and_accepting_through_the_pages(login, setting, f):
    trust, council = setting["trust"], setting["commissioner"]
    client = login(trust)
    client.post(edit_url(setting), data=GOOD)
    assert client.post(f"{return_url(setting)}/submit").status_code == 302
    assert db.session.get(MonthlyReturn, setting["return"].id).latest.status is ReturnStatus.SUBMITTED

    reviewer = login(council)
    page = reviewer.get(return_url(setting))
    assert "Red" in page.text and "Amber" in page.text and "Accept the return" in page.text
    asked = reviewer.post(f"{return_url(setting)}/queries", data={"subject": "NI66", "question": "Why the fall?"})
    assert asked.status_code == 302
    empty = reviewer.post(f"{return_url(setting)}/queries", data={"subject": "NI66", "question": ""})
    assert empty.status_code == 400 and "Enter your question about the value" in empty.text

    query = db.session.query(ReturnQuery).one()
    client = login(trust)
    blank = client.post(f"{return_url(setting)}/queries/{query.id}/answer", data={f"q{query.id}-answer": " "})
    assert blank.status_code == 400 and "Enter your answer" in blank.text
    client.post(f"{return_url(setting)}/queries/{query.id}/answer", data={f"q{query.id}-answer": "Staff sickness"})
    assert client.post(f"{return_url(setting)}/resubmit").status_code == 302

    reviewer = login(council)
    assert reviewer.post(f"{return_url(setting)}/accept").status_code == 302
    assert db.session.get(MonthlyReturn, setting["return"].id).latest.status is ReturnStatus.ACCEPTED

    # Accepted: neither the form nor an upload changes the figures.
    client = login(trust)
    refused = client.post(edit_url(setting), data={**GOOD, "v-NI43": "1"})
    assert refused.status_code == 302
    upload = client.post(
        f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}/upload",
        data={"file": (BytesIO(b"Code,Value\nNI43,1\n"), "return.csv")},
    )
    assert upload.status_code == 409 and "accepted and is locked" in upload.text
    assert stored(setting)["NI43"].value == D("11.3")


def test_each_side_is_refused_the_other_sides_steps(login, setting):
    council = login(setting["commissioner"])
    assert council.get(edit_url(setting)).status_code == 403
    assert council.post(f"{return_url(setting)}/submit").status_code == 403
    trust = login(setting["trust"])
    assert trust.post(f"{return_url(setting)}/accept").status_code == 403


def test_the_council_does_not_see_the_trusts_draft(login, setting):
    council = login(setting["commissioner"])
    page = council.get(return_url(setting))
    assert page.status_code == 200 and "The trust has not submitted this return yet" in page.text
    assert council.get(f"{return_url(setting)}/revisions/1").status_code == 404


def workbook_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI return"
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_upload_with_a_bad_cell_names_the_sheet_and_cell_and_saves_nothing(login, setting):
    client = login(setting["trust"])
    template = client.get(f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}/spreadsheet.xlsx")
    assert template.status_code == 200
    rows = [
        ["Month: 2017-08"],
        [],
        ["Code", "Measure", "Unit", "Value", "Numerator", "Denominator", "Commentary", "Forecast"],
        ["NI66", "Reviews", "Percentage", None, 77, "one hundred"],
        ["NI43", "Custody", "Percentage", D("11.3"), None, None, "High sentencing"],
    ]
    url = f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}/upload"
    response = client.post(url, data={"file": (BytesIO(workbook_bytes(rows)), "august.xlsx")})
    assert response.status_code == 400
    assert "Sheet ‘KPI return’, cell F4" in response.text or "sheet ‘KPI return’, cell F4" in response.text
    assert stored(setting) == {}

    rows[3][5] = 100
    rows.append(["LAC1", "Looked after", "Rate", 539])
    saved = client.post(url, data={"file": (BytesIO(workbook_bytes(rows)), "august.xlsx")})
    assert saved.status_code == 302
    assert stored(setting)["NI66"].denominator == D(100)


def test_an_upload_for_another_month_is_refused(login, setting):
    client = login(setting["trust"])
    rows = [["Month: 2017-07"], ["Code", "Value", "Numerator", "Denominator", "Forecast"], ["NI43", 5]]
    url = f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}/upload"
    response = client.post(url, data={"file": (BytesIO(workbook_bytes(rows)), "july.xlsx")})
    assert response.status_code == 400 and "the return for 2017-07, not for August 2017" in response.text


def test_the_dashboard_shows_rag_words_arrows_and_faces(f, login, setting):
    contract = setting["contract"]
    f.create_kpi_return(contract, "2017-09", {"NI66": (85, 100), "NI43": 7, "LAC1": 512}, status="accepted")
    f.create_kpi_return(
        contract,
        "2017-10",
        {"NI66": (77, 100), "NI43": {"value": D("11.3"), "commentary": "High"}, "LAC1": 539},
        status="submitted",
    )
    page = login(setting["commissioner"]).get(f"/contracts/{contract.id}/performance?period=2017-10")
    assert page.status_code == 200
    text = page.text
    assert "Performance: October 2017" in text
    assert "Provisional" in text  # October's return is not accepted yet
    assert "Amber" in text and "Red" in text
    assert "Declined" in text  # NI66 fell from 85% to 77%, and NI43 rose
    assert "82.3 per 10,000" in text  # 539 children of 65,492
    assert '<span aria-hidden="true">↑ </span>Up' in text  # a context measure moves up or down, unjudged
    assert "Unlikely to meet target" in text


def test_the_csv_template_comes_back_in_as_it_went_out(login, setting):
    client = login(setting["trust"])
    client.post(edit_url(setting), data=GOOD)
    base = f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}"
    csv = client.get(f"{base}/spreadsheet.csv")
    assert csv.status_code == 200 and csv.headers["Content-Disposition"].endswith('kpi-return-2017-08.csv"')
    edited = csv.data.replace(b"11.3", b"9.1")
    assert client.post(f"{base}/upload", data={"file": (BytesIO(edited), "august.csv")}).status_code == 302
    figures = stored(setting)
    assert figures["NI43"].value == D("9.1") and figures["NI66"].numerator == D(77)


def test_exported_text_cannot_run_as_a_formula(login, setting):
    client = login(setting["trust"])
    client.post(edit_url(setting), data={**GOOD, "c-NI43": '=HYPERLINK("http://example.test","click")'})
    base = f"/contracts/{setting['contract'].id}/kpi-returns/{setting['return'].id}"
    csv = client.get(f"{base}/spreadsheet.csv").get_data(as_text=True)
    assert "'=HYPERLINK(" in csv
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(f"{base}/spreadsheet.xlsx").data))
    cells = [c.value for row in book.active.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://example.test","click")' in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)


def test_the_dashboard_shows_a_change_at_once_though_it_keeps_its_content(f, login, setting):
    """The dashboard's content is kept between requests, until any record changes."""
    from monitoring.returns import operations

    contract = setting["contract"]
    october = f.create_kpi_return(contract, "2017-10", {"NI66": (85, 100), "NI43": 7, "LAC1": 512}, status="submitted")
    client = login(setting["commissioner"])
    url = f"/contracts/{contract.id}/performance?period=2017-10"

    def page() -> str:
        return re.sub(r'nonce="[^"]+"', "", client.get(url).get_data(as_text=True))

    first = page()
    assert "Provisional" in first and page() == first
    operations.accept(october.latest, setting["commissioner"])
    db.session.flush()
    assert "Provisional" not in page()


def test_the_form_groups_measures_under_each_objective_once(f, login):
    from monitoring.performance.models import Objective

    contract = f.create_contract(with_scope=True)
    safe, care = Objective(name="Keeping children safe", position=1), Objective(name="Children in care", position=2)
    measures = [
        f.create_indicator(code, objective=objective, target=D(50))
        for code, objective in [("A1", care), ("B1", safe), ("C1", care), ("D1", safe)]
    ]
    f.create_basket(contract, measures)
    monthly = f.create_kpi_return(contract, "2017-08", status="draft")
    page = (
        login(f.create_user(Role.TRUST_OFFICER, contract))
        .get(f"/contracts/{contract.id}/kpi-returns/{monthly.id}/edit")
        .get_data(as_text=True)
    )
    assert page.count(">Keeping children safe</h2>") == 1 and page.count(">Children in care</h2>") == 1
    assert page.index(">Keeping children safe</h2>") < page.index("B1 ") < page.index("D1 ") < page.index("A1 ")


def test_starting_a_return_for_a_bad_or_future_month_is_refused(login, setting):
    client = login(setting["trust"])
    start = f"/contracts/{setting['contract'].id}/returns/start"
    assert client.post(start, data={"kind": "kpi", "period": "August"}).status_code == 400
    assert client.post(start, data={"kind": "pension", "period": "2017-09"}).status_code == 400
    future = client.post(start, data={"kind": "kpi", "period": "2099-01"}, follow_redirects=True)
    assert "January 2099 has not started yet" in future.get_data(as_text=True)
    assert db.session.query(MonthlyReturn).count() == 1  # only the August return of the fixture


def test_a_correction_needs_its_reason(login, setting, f):
    contract = setting["contract"]
    accepted = f.create_kpi_return(contract, "2017-09", {"NI66": (80, 100), "NI43": D(5), "LAC1": D(500)})
    client = login(setting["trust"])
    url = f"/contracts/{contract.id}/returns/{accepted.id}/correction"
    response = client.post(url, data={"reason": "  "})
    assert response.status_code == 400 and "Enter why the accepted figures need correcting" in response.text
    assert len(db.session.get(MonthlyReturn, accepted.id).revisions) == 1
    assert client.post(url, data={"reason": "NI43 double-counted"}).status_code == 302
    assert len(db.session.get(MonthlyReturn, accepted.id).revisions) == 2
