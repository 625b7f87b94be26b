"""The finance return through its pages: the trust fills in the form or uploads the Excel template and is
told exactly which line and cell is wrong; nothing half-done is saved; the council reads exact figures,
queries and accepts; accepted figures cannot be changed through any page."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.finance import queries
from monitoring.finance.models import RevenueLine
from monitoring.returns.models import MonthlyReturn
from monitoring.returns.rules import ReturnStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)
    trust = f.create_user(Role.TRUST_OFFICER, contract)
    monthly = f.create_finance_return(contract, "2017-08", status="draft", user=trust)
    return {
        "contract": contract,
        "return": monthly,
        "trust": trust,
        "commissioner": f.create_user(Role.COMMISSIONER, contract, name="Priya Shah"),
    }


def edit_url(s) -> str:
    return f"/contracts/{s['contract'].id}/finance-returns/{s['return'].id}/edit"


def upload_url(s) -> str:
    return f"/contracts/{s['contract'].id}/finance-returns/{s['return'].id}/upload"


def return_url(s) -> str:
    return f"/contracts/{s['contract'].id}/returns/{s['return'].id}"


def revenue(s) -> dict[str, RevenueLine]:
    revision = db.session.get(MonthlyReturn, s["return"].id).latest
    rows = db.session.scalars(select(RevenueLine).where(RevenueLine.revision_id == revision.id))
    return {r.service_area: r for r in rows}


def category_id(s, name: str) -> int:
    return next(c.id for c in queries.categories(s["contract"].id) if c.name == name)


def form_data(client, s) -> dict[str, str]:
    """What the form posts back unchanged: every input as the page filled it."""
    import re

    page = client.get(edit_url(s)).text
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    data.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    data.pop("csrf_token", None)
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in data.items()}


def test_the_trust_changes_forecasts_and_the_care_ladder_in_the_form(login, setting):
    client = login(setting["trust"])
    page = client.get(edit_url(setting))
    assert page.status_code == 200
    assert "Children in care placements" in page.text and "Forecast average activity" in page.text
    data = form_data(client, setting)
    ooa = category_id(setting, "Out of authority residential")
    data.update({"r-1-forecast_outturn": "25,300,000.10", f"c-{ooa}-forecast_activity": "31.5"})
    saved = client.post(edit_url(setting), data=data)
    assert saved.status_code == 302
    assert revenue(setting)["Children in care placements"].forecast_outturn == D("25300000.10")
    position = queries.position_of_revision(
        setting["contract"], db.session.get(MonthlyReturn, setting["return"].id).latest
    )
    assert position.category(ooa).forecast_activity == D("31.5")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        (
            "r-1-forecast_outturn",
            "25.3m",
            "Children in care placements: the forecast outturn must be a number, like 1,630,000.10",
        ),
        ("r-5-net_budget", "-5", "Youth offending: the net budget cannot be negative"),
        ("r-2-service_area", "Children in care placements", "appears twice in the revenue lines"),
        ("f-1-agreed_on", "31/2/2017", "the date agreed must be a real date, like 1/4/2017"),
        (
            "p-trust_reserves",
            "seventy thousand",
            "The trust's position: the trust's available reserves must be a number",
        ),
        ("r-7-net_budget", "100", "Row 7 of the revenue lines: enter the service area"),
    ],
)
def test_a_bad_value_is_named_with_its_line_and_nothing_is_saved(login, setting, field, typed, message):
    client = login(setting["trust"])
    data = form_data(client, setting)
    data["r-1-explanation"] = "Changed, but not to be saved"
    data[field] = typed
    response = client.post(edit_url(setting), data=data)
    assert response.status_code == 400
    assert message in response.text.replace("&#39;", "'")
    assert 'href="#' + field[:4] in response.text  # the error summary links to the line's fields
    assert revenue(setting)["Children in care placements"].explanation == "More out-of-authority placements"


def test_a_care_ladder_error_names_the_category(login, setting):
    client = login(setting["trust"])
    data = form_data(client, setting)
    ooa = category_id(setting, "Out of authority residential")
    data[f"c-{ooa}-actual_activity"] = "thirty-one"
    response = client.post(edit_url(setting), data=data)
    assert response.status_code == 400
    assert "Out of authority residential: the actual activity must be a number, like 30.5" in response.text
    assert f'href="#c-{ooa}-actual_activity"' in response.text


def test_submitting_needs_every_large_variance_explained(login, setting):
    client = login(setting["trust"])
    data = form_data(client, setting)
    data["r-1-explanation"] = ""
    assert client.post(edit_url(setting), data=data).status_code == 302
    refused = client.post(f"{return_url(setting)}/submit")
    assert refused.status_code == 400
    assert "Children in care placements: the variance of £1.48m is over the £50k threshold; explain it" in refused.text
    assert db.session.get(MonthlyReturn, setting["return"].id).latest.status is ReturnStatus.DRAFT


# --- The spreadsheet ----------------------------------------------------------------------------------


def template(client, s) -> Workbook:
    response = client.get(f"/contracts/{s['contract'].id}/finance-returns/{s['return'].id}/spreadsheet.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    return load_workbook(BytesIO(response.data))


def upload(client, s, book: Workbook, name: str = "finance.xlsx"):
    out = BytesIO()
    book.save(out)
    return client.post(
        upload_url(s), data={"file": (BytesIO(out.getvalue()), name)}, content_type="multipart/form-data"
    )


def cell_of(sheet, title: str, row_name: str):
    header = next(r for r in sheet.iter_rows() if any(c.value == title for c in r))
    column = next(c.column for c in header if c.value == title)
    row = next(r for r in sheet.iter_rows(min_row=header[0].row + 1) if r[0].value == row_name)
    return sheet.cell(row[0].row, column)


def test_the_template_comes_filled_and_goes_back_exactly(login, setting):
    client = login(setting["trust"])
    book = template(client, setting)
    assert book.sheetnames == ["Revenue", "Care ladder", "Funding", "Savings", "Capital", "Trust position"]
    ladder = book["Care ladder"]
    assert [r[0].value for r in ladder.iter_rows(min_row=5)][:3] == [
        "Out of authority residential",
        "Independent fostering agency",
        "18+ (staying put and supported lodgings)",
    ]
    assert "In-house fostering" in [r[0].value for r in ladder.iter_rows(min_row=5)]  # every category is offered
    cell_of(book["Revenue"], "Forecast outturn", "Youth offending").value = "1,880,000.10"
    response = upload(client, setting, book)
    assert response.status_code == 302, response.text
    assert revenue(setting)["Youth offending"].forecast_outturn == D("1880000.10")
    assert revenue(setting)["Children in care placements"].forecast_outturn == D("25280000.00")


def test_a_bad_cell_is_named_by_sheet_cell_and_line_and_the_file_saves_nothing(login, setting):
    client = login(setting["trust"])
    book = template(client, setting)
    cell_of(book["Revenue"], "Forecast outturn", "Youth offending").value = 1
    bad = cell_of(book["Care ladder"], "Actual activity", "Out of authority residential")
    bad.value = "thirty-one"
    response = upload(client, setting, book)
    assert response.status_code == 400
    assert (
        f"Sheet ‘Care ladder’, cell {bad.coordinate} (Out of authority residential): must be a number" in response.text
    )
    assert revenue(setting)["Youth offending"].forecast_outturn == D("1870000.00")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda book: book.remove(book["Capital"]), "The file has no sheet called ‘Capital’"),
        (
            lambda book: setattr(cell_of(book["Revenue"], "Net budget", "Youth offending"), "value", -4),
            "(Youth offending): the net budget cannot be negative",
        ),
        (
            lambda book: setattr(
                cell_of(book["Care ladder"], "Placement category", "In-house fostering"), "value", "Boarding school"
            ),
            "",  # a category row left without figures is simply not a line
        ),
        (
            lambda book: book["Revenue"].cell(1, 1, "Month: 2017-07 (July 2017)"),
            "This file is the return for 2017-07, not for August 2017",
        ),
    ],
)
def test_bad_files_are_refused_whole(login, setting, change, message):
    client = login(setting["trust"])
    book = template(client, setting)
    cell_of(book["Revenue"], "Forecast outturn", "Management and support").value = 1
    change(book)
    response = upload(client, setting, book)
    if not message:
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert message in response.text
    assert revenue(setting)["Management and support"].forecast_outturn == D("3570000.00")


def test_an_unknown_category_in_an_upload_is_refused(login, setting):
    client = login(setting["trust"])
    book = template(client, setting)
    row = cell_of(book["Care ladder"], "Placement category", "In-house fostering").row
    sheet = book["Care ladder"]
    sheet.cell(row, 1, "Boarding school")
    for column in range(2, 7):
        sheet.cell(row, column, 1)
    response = upload(client, setting, book)
    assert response.status_code == 400
    assert "Boarding school is not a placement category of this contract" in response.text


def test_a_csv_cannot_hold_a_finance_return(login, setting):
    client = login(setting["trust"])
    response = client.post(
        upload_url(setting),
        data={"file": (BytesIO(b"Service area,Net budget\r\nYouth offending,1\r\n"), "finance.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "it cannot be a CSV file" in response.text


def test_exports_are_safe_against_formula_injection_and_names_read_back(f, login, setting):
    name = '=HYPERLINK("http://evil.example","Click")'
    figures = f.finance_figures(revenue=[(name, "100", "100", "100", "")])
    monthly = f.create_finance_return(setting["contract"], "2017-09", figures, status="submitted")
    client = login(setting["trust"])
    response = client.get(f"/contracts/{setting['contract'].id}/finance-returns/{monthly.id}/spreadsheet.xlsx")
    sheet = load_workbook(BytesIO(response.data))["Revenue"]
    names = [r[0].value for r in sheet.iter_rows(min_row=5)]
    assert "'" + name in names
    csv = client.get(f"/contracts/{setting['contract'].id}/finance/export/revenue.csv?period=2017-09")
    assert csv.status_code == 200
    assert "'=HYPERLINK" in csv.data.decode("utf-8-sig") and "\n=HYPERLINK" not in csv.data.decode("utf-8-sig")
    # Uploaded back, the name is the name that was exported, not the ' that kept it safe.
    from monitoring.finance.spreadsheet import read_upload

    figures = read_upload(monthly.period, "back.xlsx", response.data)
    assert figures.revenue[0].service_area == name


# --- Locked once accepted ---------------------------------------------------------------------------


def test_accepted_figures_cannot_be_changed_through_the_form_or_an_upload(f, login, setting):
    client = login(setting["trust"])
    book = template(client, setting)
    data = form_data(client, setting)
    monthly = db.session.get(MonthlyReturn, setting["return"].id)
    from datetime import date

    from monitoring.returns import operations as workflow

    workflow.submit(monthly.latest, setting["trust"], today=date(2017, 9, 5))
    workflow.accept(monthly.latest, setting["commissioner"])
    db.session.flush()
    data["r-5-forecast_outturn"] = "1"
    changed = client.post(edit_url(setting), data=data)
    assert changed.status_code == 302 and changed.headers["Location"].endswith(return_url(setting))
    uploaded = upload(client, setting, book)
    assert uploaded.status_code == 409 and "accepted and is locked" in uploaded.text
    assert revenue(setting)["Youth offending"].forecast_outturn == D("1870000.00")


def test_the_council_reads_exact_figures_and_queries_a_line(f, login, setting):
    from datetime import date

    from monitoring.finance.returns import subject_key
    from monitoring.returns import operations as workflow

    workflow.submit(
        db.session.get(MonthlyReturn, setting["return"].id).latest, setting["trust"], today=date(2017, 9, 5)
    )
    db.session.flush()
    client = login(setting["commissioner"])
    page = client.get(return_url(setting)).text
    assert "£25,280,000.00" in page and "£1,630,000.00" in page  # exact, with pence
    assert "Accept the return" in page and "Query<span" in page
    key = subject_key("revenue", "Children in care placements")
    asked = client.post(f"{return_url(setting)}/queries", data={"subject": key, "question": "Which placements?"})
    assert asked.status_code == 302
    monthly = db.session.get(MonthlyReturn, setting["return"].id)
    assert monthly.latest.status is ReturnStatus.QUERIED
    assert monthly.latest.queries[0].subject_label == "Revenue: Children in care placements"


def test_a_return_of_another_kind_is_not_edited_here(f, login, setting):
    from monitoring.core.periods import Period
    from monitoring.returns import operations as workflow
    from monitoring.returns.models import ReturnKind

    kpi = workflow.open_return(setting["contract"], ReturnKind.KPI, Period(2017, 8), setting["trust"])
    client = login(setting["trust"])
    response = client.get(f"/contracts/{setting['contract'].id}/finance-returns/{kpi.id}/edit")
    assert response.status_code == 302 and "/kpi-returns/" in response.headers["Location"]
