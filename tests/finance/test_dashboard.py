"""The finance dashboard, the year and the history of a line, as directors and commissioners read them:
the seed's risk share with the shortfall the council must meet, movements in words, care-ladder
pressures, every figure traced to its revision, provisional figures marked; and who may see them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.returns import operations as workflow


def text(response) -> str:
    """The page's main content as a reader would read it."""
    page = response.get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    words = re.sub(r"<[^>]+>", " ", main).replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    return " ".join(words.split())


@pytest.fixture
def year(f):
    """Quarter 1 at £1.86m over, quarter 2 at £1.63m (the seed), and August between them."""
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    trust = f.create_user(Role.TRUST_OFFICER, contract, name="Tom Barker")
    council = f.create_user(Role.COMMISSIONER, contract, name="Priya Shah")

    def figures(placements_forecast: str):
        base = f.finance_figures()
        base.revenue[0] = replace(base.revenue[0], forecast_outturn=D(placements_forecast))
        return base

    f.create_finance_return(contract, "2017-06", figures("25510000"), user=trust, reviewer=council)
    f.create_finance_return(contract, "2017-08", figures("25330000"), user=trust, reviewer=council)
    september = f.create_finance_return(contract, "2017-09", status="submitted", user=trust)
    return {"contract": contract, "trust": trust, "council": council, "september": september}


def dashboard(client, s, period="2017-09"):
    return client.get(f"/contracts/{s['contract'].id}/finance?period={period}")


def test_the_director_sees_the_seeds_risk_share_and_the_shortfall(f, login, year):
    client = login(f.create_user(Role.DIRECTOR, year["contract"]))
    page = text(dashboard(client, year))
    assert "Forecast outturn £51.83m" in page and "Net budget £50.20m" in page
    assert "Variance £1.63m : an overspend of £1.63m" in page
    assert "A reduction of £0.23m since quarter 1." in page
    assert "A reduction of £0.05m since August 2017." in page
    assert (
        "The trust's reserves of £0.07m do not cover its £0.49m share: the council also meets the shortfall of £0.42m."
        in page
    )
    assert "the council pays 70%, £1.14m, and the trust 30%, £0.49m" in page
    assert "Shortfall falling to the council £0.42m" in page and "Council's real exposure £1.56m" in page
    # Not accepted yet, and traced to the revision it came from.
    assert "Provisional These figures come from a return the council has not accepted yet." in page
    assert "From the finance return for September 2017, revision 1, submitted" in page and "by Tom Barker" in page
    html = dashboard(client, year).text
    assert f'/returns/{year["september"].id}/revisions/1"' in html


def test_care_ladder_pressures_come_biggest_first_with_activity_against_the_contract(login, year):
    page = text(dashboard(login(year["council"]), year))
    pressures = page[page.index("Care-ladder pressures") :]
    assert pressures.index("Out of authority residential") < pressures.index("18+") < pressures.index("Independent")
    assert (
        "Out of authority residential 10 placements over contract; average cost below the unit contract value 21 31 31"
        in pressures
    )
    assert "£1,490k overspend" in pressures
    assert 'role="img"' in dashboard(login(year["council"]), year).text  # the chart, with its own description
    assert "Out of authority residential: placements against the contract, 2017/18" in page


def test_accepted_figures_name_who_accepted_them_and_when(login, year):
    page = text(dashboard(login(year["council"]), year, "2017-08"))
    assert "From the finance return for August 2017, revision 1, accepted" in page and "by Priya Shah" in page
    assert "Provisional" not in page.split("The figure for the year")[0]


def test_the_year_shows_each_month_the_quarters_and_the_years_figure(login, year):
    client = login(year["council"])
    page = text(client.get(f"/contracts/{year['contract'].id}/finance/year?year=2017/18"))
    assert (
        "The figure for the year is the latest month's forecast: £1.63m , an overspend of £1.63m, as at September 2017"
        in page
    )
    assert "including a shortfall of £0.42m" in page
    assert "Quarter 1 (June 2017) £52.06m £1.86m" in page
    assert "Quarter 2 (September 2017) Provisional £51.83m £1.63m" in page
    assert "Quarter 3 (December 2017) Not reported" in page
    assert "July 2017 No return in force" in page
    assert "Carr House Centre improvements £1.40m £1.25m £1.25m – – £0.30m" in page


def test_the_history_of_a_line_shows_a_correction(f, login, year):
    contract, trust, council = year["contract"], year["trust"], year["council"]
    from monitoring.finance.operations import save_return
    from monitoring.returns.models import MonthlyReturn

    august = db.session.scalar(db.select(MonthlyReturn).where(MonthlyReturn.month == 8))
    correction = workflow.start_correction(august, reason="Late legal invoices", user=trust)
    figures = f.finance_figures()
    figures.revenue[1] = replace(figures.revenue[1], forecast_outturn=D("12205000"))
    save_return(correction, figures)
    workflow.submit(correction, trust, today=date(2017, 10, 1))
    workflow.accept(correction, council)
    db.session.flush()
    client = login(council)
    url = f"/contracts/{contract.id}/finance/revenue-lines?line=Safeguarding and social work&year=2017/18"
    page = text(client.get(url))
    assert "August 2017 £11,900,000.00 £12,205,000.00 £305,000.00" in page
    assert "Revision 2 , accepted; changed by a correction" in page
    assert "August 2017: every revision" in page
    assert "Revision 1 Replaced by a correction £11,900,000.00 £12,160,000.00 £260,000.00" in page
    assert "Revision 2 Accepted, in force £11,900,000.00 £12,205,000.00 £305,000.00" in page
    # September's movement is measured against August's corrected figure.
    assert "September 2017 Provisional £11,900,000.00 £12,160,000.00 £260,000.00 −£45,000" in page


def test_a_category_history_has_its_chart(login, year):
    from monitoring.finance.queries import categories

    ooa = next(c for c in categories(year["contract"].id) if c.name == "Out of authority residential")
    response = login(year["council"]).get(f"/contracts/{year['contract'].id}/finance/care-ladder/{ooa.id}?year=2017/18")
    assert response.status_code == 200
    page = text(response)
    assert "June 2017 21 31 31 £180,000.00 £170,000.00 £1,490,000.00" in page
    assert "<svg" in response.text and "Contracted" in page


def test_a_month_without_a_return_says_so(login, year):
    page = text(dashboard(login(year["council"]), year, "2017-07"))
    assert "No finance return for July 2017 has been submitted yet." in page


# --- Money is exact --------------------------------------------------------------------------------


def test_figures_that_floats_would_round_wrongly_are_exact_on_the_pages_and_in_json(f, login):
    contract = f.create_contract(with_scope=True)
    council = f.create_user(Role.COMMISSIONER, contract)
    figures = f.finance_figures(
        revenue=[
            ("Placements", "0.10", "0.10", "1630000.10", "Placements"),  # 0.1 + 0.2 is 0.30000000000000004 in floats
            ("Social work", "0.20", "0.20", "0.25", ""),
        ],
        care_ladder=[("Out of authority residential", "3", "0.10", "31", "30.5", "33.33", "A pressure")],
    )
    monthly = f.create_finance_return(contract, "2017-09", figures, status="accepted", reviewer=council)
    client = login(council)
    page = text(client.get(f"/contracts/{contract.id}/returns/{monthly.id}"))
    # The net overspend is £1,630,000.05; 70% of it is £1,141,000.035, half up £1,141,000.04 (floats: .03).
    assert "Total £0.30 £0.30 £1,630,000.35 £1,630,000.05" in page
    assert "Council share (70%) £1.14m" in page
    # 30.5 placements at £33.33 is £1,016.565, half up £1,016.57 (floats: £1,016.56).
    assert "£0.30 £1,016.57 £1,016.27" in page
    _, secret = f.create_token(council)
    share = client.get(
        f"/api/v1/contracts/{contract.id}/finance/2017-09/risk-share", headers={"Authorization": f"Bearer {secret}"}
    ).json
    assert (share["net_variance"], share["council_share"], share["trust_share"]) == (
        "1630000.05",
        "1141000.04",
        "489000.01",
    )
    assert (share["shortfall"], share["council_exposure"]) == ("419000.01", "1560000.05")
    ladder = client.get(
        f"/api/v1/contracts/{contract.id}/finance/2017-09/care-ladder", headers={"Authorization": f"Bearer {secret}"}
    ).json
    assert (ladder["care_ladder"][0]["forecast_cost"], ladder["variance"]) == ("1016.57", "1016.27")


def test_the_lines_of_a_column_add_up_to_its_total_to_the_penny(f, login):
    contract = f.create_contract(with_scope=True)
    council = f.create_user(Role.COMMISSIONER, contract)
    thirds = [(f"Team {n}", "33.33", "33.33", "33.34", "") for n in range(1, 4)]
    monthly = f.create_finance_return(
        contract, "2017-09", f.finance_figures(revenue=thirds, care_ladder=[]), reviewer=council
    )
    _, secret = f.create_token(council)
    data = (
        login(council)
        .get(
            f"/api/v1/contracts/{contract.id}/returns/finance/2017-09/figures",
            headers={"Authorization": f"Bearer {secret}"},
        )
        .json
    )
    lines = data["revenue"]
    assert sum(D(r["net_budget"]) for r in lines) == D(data["totals"]["net_budget"]) == D("99.99")
    assert sum(D(r["variance"]) for r in lines) == D(data["totals"]["net_variance"]) == D("0.03")
    assert monthly.latest.status.value == "accepted"


# --- Who may see it --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.COMMISSIONER, 200),
        (Role.TRUST_OFFICER, 200),
        (Role.SCRUTINY, 403),
        (Role.ADMIN, 403),
    ],
)
def test_only_the_contracts_readers_see_its_finance(f, login, year, role, status):
    client = login(f.create_user(role, year["contract"]))
    assert dashboard(client, year).status_code == status
    assert client.get(f"/contracts/{year['contract'].id}/finance/year").status_code == status


def test_another_contracts_people_find_nothing(f, login, year):
    elsewhere = f.create_contract()
    client = login(f.create_user(Role.COMMISSIONER, elsewhere))
    assert dashboard(client, year).status_code == 404
    assert client.get(f"/contracts/{year['contract'].id}/returns/{year['september'].id}").status_code == 404


def test_only_commissioners_add_placement_categories(login, year):
    url = f"/contracts/{year['contract'].id}/finance/categories"
    trust = login(year["trust"])
    assert "Add a category" not in trust.get(url).text
    assert trust.post(url, data={"name": "Secure"}).status_code == 403
    council = login(year["council"])
    assert council.post(url, data={"name": "Secure accommodation"}).status_code == 302
    assert "Secure accommodation" in council.get(url).text
    refused = council.post(url, data={"name": "secure ACCOMMODATION"})
    assert refused.status_code == 400 and "secure ACCOMMODATION is already on the care ladder" in refused.text
    assert 'href="#name"' in refused.text
