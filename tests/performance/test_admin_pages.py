"""Administrators look after indicator definitions through their pages: indicators, their years,
objectives and the catalogue. Bad input is named, answered 400 and nothing is saved; nobody else may."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.performance.models import Indicator, IndicatorYear, Objective
from monitoring.performance.vocabulary import Polarity, Unit


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(f, login):
    user = f.create_user(Role.ADMIN)
    login(user)
    return user


def indicator_form(**overrides):
    data = {
        "code": "NI66",
        "title": "Looked-after reviews within timescale",
        "objective_id": "",
        "unit": "percentage",
        "polarity": "higher_is_better",
        "frequency": "monthly",
        "accumulation": "snapshot",
        "is_ratio": "y",
        "numerator_label": "Reviews held on time",
        "denominator_label": "All reviews due",
        "no_change_band": "0",
        "minimum": "",
        "maximum": "",
        "definition": "Former NI 66",
        "source": "Care Planning Regulations 2010",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_adds_an_indicator(client, f, admin):
    objective = f.create_objective("Children in care")
    response = client.post(
        "/admin/indicators/new",
        data=indicator_form(objective_id=str(objective.id), compare_with_last_year="y", no_change_band="0.5"),
    )
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator))
    assert response.headers["Location"] == f"/admin/indicators/{indicator.id}"
    assert (indicator.code, indicator.unit, indicator.polarity) == ("NI66", Unit.PERCENTAGE, Polarity.HIGHER)
    assert indicator.is_ratio and indicator.compare_with_last_year and not indicator.from_case_audits
    assert (indicator.objective_id, indicator.no_change_band) == (objective.id, D("0.5"))
    assert indicator.denominator_label == "All reviews due"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": ""}, "Enter the indicator&#39;s code"),
        ({"code": "NI 66"}, "The code can only contain letters, digits"),
        ({"code": "x" * 31}, "Code must be 30 characters or fewer"),
        ({"code": "ni43"}, "There is already an indicator with the code NI43"),
        ({"title": ""}, "Enter the indicator&#39;s title"),
        ({"unit": None}, "Choose the unit"),
        ({"unit": "percent"}, "Not a valid choice"),
        ({"polarity": None}, "Choose which way is better"),
        ({"is_ratio": "y", "unit": "count"}, "so its unit must be Percentage"),
        ({"numerator_label": ""}, "Describe the numerator"),
        ({"denominator_label": ""}, "Describe the denominator"),
        ({"no_change_band": "-1"}, "The no-change band must be 0 or more"),
        ({"no_change_band": "a little"}, "No-change band must be a number"),
        ({"minimum": "50", "maximum": "40"}, "The maximum must be at least the minimum"),
        ({"objective_id": "999999"}, "Choose an objective from the list"),
        ({"definition": "x" * 5001}, "Definition must be 5,000 characters or fewer"),
    ],
)
def test_a_bad_new_indicator_is_shown_again_with_the_message(client, f, admin, overrides, message):
    f.create_indicator("NI43")
    response = client.post("/admin/indicators/new", data=indicator_form(**overrides))
    assert response.status_code == 400
    assert message.encode() in response.data
    assert b"There is a problem" in response.data
    assert count(Indicator) == 1


def test_an_administrator_changes_an_indicator(client, f, admin):
    objective = f.create_objective("Youth justice")
    custody = f.create_indicator("NI43", title="Custody", polarity="lower_is_better")
    page = client.get(f"/admin/indicators/{custody.id}/edit")
    assert page.status_code == 200 and 'value="NI43"' in page.text
    response = client.post(
        f"/admin/indicators/{custody.id}/edit",
        data=indicator_form(
            code="NI43",
            title="Custodial sentences",
            polarity="lower_is_better",
            is_ratio=None,
            objective_id=str(objective.id),
        ),
    )
    assert response.status_code == 302
    stored = db.session.get(Indicator, custody.id)
    assert (stored.title, stored.objective_id, stored.is_ratio) == ("Custodial sentences", objective.id, False)


def test_a_bad_change_is_shown_again_and_nothing_is_saved(client, f, admin):
    f.create_indicator("NI66")
    custody = f.create_indicator("NI43", title="Custody", polarity="lower_is_better")
    response = client.post(f"/admin/indicators/{custody.id}/edit", data=indicator_form(code="NI66", title="Renamed"))
    assert response.status_code == 400
    assert b"There is already an indicator with the code NI66" in response.data
    assert db.session.get(Indicator, custody.id).title == "Custody"


def test_the_unit_of_a_measure_with_returned_figures_cannot_change_on_its_page(client, f, admin):
    contract = f.create_contract(with_scope=True)
    custody = f.create_indicator("NI43", title="Custody", polarity="lower_is_better")
    f.create_basket(contract, [custody])
    f.create_kpi_return(contract, "2017-08", {"NI43": D("11.3")}, status="submitted")
    page = client.get(f"/admin/indicators/{custody.id}/edit")
    assert "KPI returns already hold figures for this indicator" in page.text
    response = client.post(
        f"/admin/indicators/{custody.id}/edit",
        data=indicator_form(code="NI43", title="Custody", unit="count", polarity="lower_is_better", is_ratio=None),
    )
    assert response.status_code == 400
    assert "NI43 already has figures in KPI returns, so its unit cannot change" in response.text
    assert db.session.get(Indicator, custody.id).unit is Unit.PERCENTAGE


def test_the_list_groups_indicators_by_objective_and_filters_them(client, f, admin):
    safe = f.create_objective("Keeping children safe", position=1)
    care = f.create_objective("Children in care", position=2)
    f.create_indicator("CP05", title="Repeat plans", objective=safe)
    f.create_indicator("CLA04", title="Placement moves", objective=care)
    f.create_indicator("X01", title="Unfiled measure")
    text = client.get("/admin/indicators").text

    def place(caption: str) -> int:
        return text.index(f"{caption}</caption>")

    assert place("Keeping children safe") < text.index("Repeat plans") < place("Children in care")
    assert text.index("Placement moves") < place("No objective") < text.index("Unfiled measure")
    assert "3 indicators" in text
    only = client.get(f"/admin/indicators?objective={care.id}").text
    assert "Placement moves" in only and "Repeat plans" not in only and "1 of 3 indicators" in only
    unfiled = client.get("/admin/indicators?objective=none").text
    assert "Unfiled measure" in unfiled and "Placement moves" not in unfiled


def test_an_indicator_page_shows_its_years_and_sets_one(client, f, admin):
    reviews = f.create_indicator("NI66", target=D(80), tolerance=D(5), national=D("90.5"), neighbours=D(88))
    page = client.get(f"/admin/indicators/{reviews.id}")
    assert page.status_code == 200
    assert "2017/18" in page.text and "90.5%" in page.text and "Set a year" in page.text
    filled = client.get(f"/admin/indicators/{reviews.id}?year=2017/18").text
    assert 'value="90.5"' in filled
    response = client.post(
        f"/admin/indicators/{reviews.id}/years",
        data={"financial_year": "2018/19", "target": "82", "tolerance": "4", "national": "", "neighbours": "89"},
    )
    assert response.status_code == 302
    rows = {y.financial_year: y for y in db.session.scalars(select(IndicatorYear))}
    assert (rows[2018].target, rows[2018].tolerance, rows[2018].national, rows[2018].neighbours) == (
        D(82),
        D(4),
        None,
        D(89),
    )
    response = client.post(f"/admin/indicators/{reviews.id}/years", data={"financial_year": "2017/18"})
    assert response.status_code == 302
    assert sorted(y.financial_year for y in db.session.scalars(select(IndicatorYear))) == [2018]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"financial_year": ""}, "Enter the year, for example 2017/18"),
        ({"financial_year": "2017"}, "Enter the year in the form 2017/18"),
        ({"financial_year": "2018/19", "target": "eighty"}, "Target must be a number"),
        ({"financial_year": "2018/19", "target": "150"}, "The target is a percentage, so it must be between 0 and 100"),
        ({"financial_year": "2018/19", "tolerance": "-2"}, "The amber tolerance must be 0 or more"),
        ({"financial_year": "2018/19", "neighbours": "101"}, "average is a percentage"),
    ],
)
def test_bad_year_figures_are_shown_again_and_nothing_is_saved(client, f, admin, data, message):
    reviews = f.create_indicator("NI66", target=D(80), tolerance=D(5))
    response = client.post(f"/admin/indicators/{reviews.id}/years", data=data)
    assert response.status_code == 400
    assert message.encode() in response.data.replace(b"&#39;", b"'")
    rows = db.session.scalars(select(IndicatorYear)).all()
    assert [(r.financial_year, r.target, r.tolerance) for r in rows] == [(2017, D(80), D(5))]


def test_an_administrator_adds_and_changes_objectives(client, f, admin):
    response = client.post("/admin/objectives/new", data={"name": "Care leavers", "position": "4", "description": ""})
    assert response.status_code == 302
    objective = db.session.scalar(select(Objective))
    assert (objective.name, objective.position) == ("Care leavers", 4)
    assert "Care leavers" in client.get("/admin/objectives").text
    response = client.post(
        f"/admin/objectives/{objective.id}", data={"name": "Care leavers and care experience", "position": "5"}
    )
    assert response.status_code == 302
    assert db.session.get(Objective, objective.id).name == "Care leavers and care experience"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "position": "0"}, "Enter the objective&#39;s name"),
        ({"name": "workforce", "position": "0"}, "There is already an objective called workforce"),
        ({"name": "Care leavers", "position": "-1"}, "Position must be between 0 and 999"),
        ({"name": "Care leavers", "position": "first"}, "Position must be a whole number"),
        ({"name": "Care leavers", "position": ""}, "Enter the objective&#39;s position"),
    ],
)
def test_bad_objectives_are_shown_again_and_nothing_is_saved(client, f, admin, data, message):
    f.create_objective("Workforce", position=1)
    other = f.create_objective("Early help", position=2)
    for url in ("/admin/objectives/new", f"/admin/objectives/{other.id}"):
        response = client.post(url, data=data)
        assert response.status_code == 400
        assert message.encode() in response.data
    stored = db.session.scalars(select(Objective).order_by(Objective.position))
    assert [(o.name, o.position) for o in stored] == [("Workforce", 1), ("Early help", 2)]


def test_the_catalogue_is_loaded_from_the_indicators_page(client, admin):
    page = client.get("/admin/indicators")
    assert "Load the catalogue" in page.text
    response = client.post("/admin/indicators/catalogue")
    assert response.status_code == 302
    assert "Catalogue loaded: 60 indicators created, 0 updated" in client.get(response.headers["Location"]).text
    assert count(Indicator) == 60
    client.post("/admin/indicators/catalogue")
    assert "0 indicators created, 60 updated" in client.get("/admin/indicators").text


def test_a_catalogue_that_cannot_load_says_why_and_loads_nothing(client, f, admin):
    contract = f.create_contract(with_scope=True)
    # A local FD05 counted as a number, with figures returned: the catalogue's percentage cannot replace it.
    local = f.create_indicator("FD05", unit="count", polarity="none")
    f.create_basket(contract, [local])
    f.create_kpi_return(contract, "2017-08", {"FD05": 12}, status="submitted")
    response = client.post("/admin/indicators/catalogue")
    assert response.status_code == 400
    assert "The catalogue was not loaded" in response.text
    assert "Row 6 (FD05), column unit: FD05 already has figures in KPI returns" in response.text
    assert count(Indicator) == 1 and count(Objective) == 0


def test_the_menu_offers_indicators_to_administrators_only(client, f, login, admin):
    assert 'href="/admin/indicators"' in client.get("/home").text
    contract = f.create_contract(with_scope=True)
    login(f.create_user(Role.COMMISSIONER, contract))
    assert 'href="/admin/indicators"' not in client.get("/home").text


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TRUST_OFFICER, Role.DIRECTOR])
def test_nobody_else_may_change_definitions(client, f, login, role):
    contract = f.create_contract(with_scope=True)
    reviews = f.create_indicator("NI66", target=D(80))
    objective = f.create_objective("Workforce")
    login(f.create_user(role, contract))
    for url in ("/admin/indicators", f"/admin/indicators/{reviews.id}", "/admin/objectives"):
        assert client.get(url).status_code == 403
    attempts = [
        ("/admin/indicators/new", indicator_form(code="NEW1")),
        (f"/admin/indicators/{reviews.id}/edit", indicator_form(title="Changed")),
        (f"/admin/indicators/{reviews.id}/years", {"financial_year": "2017/18", "target": "90"}),
        ("/admin/objectives/new", {"name": "Another", "position": "1"}),
        (f"/admin/objectives/{objective.id}", {"name": "Changed", "position": "1"}),
        ("/admin/indicators/catalogue", {}),
    ]
    for url, data in attempts:
        assert client.post(url, data=data).status_code == 403
    assert count(Indicator) == 1 and count(Objective) == 1
    assert db.session.get(Indicator, reviews.id).years[0].target == D(80)
