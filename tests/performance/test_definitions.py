"""Indicator definitions through their operations: objectives, indicators and a year's figures. Every bad
input is named and nothing is saved; a measure with returned figures keeps what they were returned as."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.performance import definitions
from monitoring.performance.definitions import Definition, YearFigures
from monitoring.performance.models import Indicator, IndicatorYear, Objective
from monitoring.performance.vocabulary import Accumulation, Frequency, Polarity, Unit


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def reviews(**overrides) -> Definition:
    """NI66, looked-after reviews on time: a ratio, higher is better."""
    given = Definition(
        code="NI66",
        title="Looked-after reviews within timescale",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.HIGHER,
        is_ratio=True,
        numerator_label="Reviews held on time",
        denominator_label="All reviews due",
    )
    return replace(given, **overrides)


# --- Objectives ---------------------------------------------------------------------------------


def test_objectives_are_created_and_renamed(f):
    objective = definitions.create_objective(" Keeping children safe ", position=2, description="Safeguarding")
    assert (objective.name, objective.position, objective.description) == ("Keeping children safe", 2, "Safeguarding")
    definitions.update_objective(objective, "Safeguarding", position=1)
    stored = db.session.get(Objective, objective.id)
    assert (stored.name, stored.position, stored.description) == ("Safeguarding", 1, "")


@pytest.mark.parametrize(
    ("name", "position", "description", "field", "message"),
    [
        ("", 0, "", "name", "Enter the objective's name"),
        ("   ", 0, "", "name", "Enter the objective's name"),
        ("x" * 201, 0, "", "name", "The name must be 200 characters or fewer"),
        ("KEEPING children safe", 0, "", "name", "There is already an objective called KEEPING children safe"),
        ("Care leavers", -1, "", "position", "The position must be a whole number, 0 or more"),
        ("Care leavers", 0, "x" * 2001, "description", "The description must be 2,000 characters or fewer"),
    ],
)
def test_bad_objectives_are_named_and_nothing_is_saved(f, name, position, description, field, message):
    existing = f.create_objective("Keeping children safe")
    other = f.create_objective("Workforce")
    for attempt in (
        lambda: definitions.create_objective(name, position=position, description=description),
        lambda: definitions.update_objective(other, name, position=position, description=description),
    ):
        with pytest.raises(InvalidInput) as raised:
            attempt()
        assert raised.value.errors[field].startswith(message)
    assert count(Objective) == 2
    assert db.session.get(Objective, other.id).name == "Workforce"
    assert db.session.get(Objective, existing.id).name == "Keeping children safe"


# --- Indicators ---------------------------------------------------------------------------------


def test_an_indicator_is_created_with_its_whole_definition(f):
    objective = f.create_objective("Children in care")
    created = definitions.create_indicator(
        reviews(
            code=" NI66 ",
            frequency=Frequency.QUARTERLY,
            accumulation=Accumulation.RATIO_YTD,
            no_change_band=D("0.5"),
            compare_with_last_year=True,
            minimum=D(0),
            maximum=D(100),
            objective=objective,
            definition="Former NI 66",
            source="DfE SSDA903",
        )
    )
    stored = db.session.get(Indicator, created.id)
    assert (stored.code, stored.unit, stored.polarity, stored.frequency) == (
        "NI66",
        Unit.PERCENTAGE,
        Polarity.HIGHER,
        Frequency.QUARTERLY,
    )
    assert stored.is_ratio and stored.numerator_label == "Reviews held on time"
    assert (stored.no_change_band, stored.minimum, stored.maximum) == (D("0.5"), D(0), D(100))
    assert stored.compare_with_last_year and stored.objective_id == objective.id
    assert (stored.definition, stored.source) == ("Former NI 66", "DfE SSDA903")


def test_a_measure_that_is_not_a_ratio_needs_no_numerator_or_denominator(f):
    created = definitions.create_indicator(
        reviews(code="LAC1", unit=Unit.RATE_PER_10K, polarity=Polarity.NONE, is_ratio=False, numerator_label="")
    )
    assert not created.is_ratio and created.unit is Unit.RATE_PER_10K


BAD_DEFINITIONS = [
    ({"code": ""}, "code", "Enter the indicator's code"),
    ({"code": "NI 66"}, "code", "The code can only contain letters, digits, hyphens (-) and underscores (_)"),
    ({"code": "NI66/A"}, "code", "The code can only contain letters, digits"),
    ({"code": "X" * 31}, "code", "The code must be 30 characters or fewer"),
    ({"code": "ni43"}, "code", "There is already an indicator with the code NI43"),
    ({"title": "  "}, "title", "Enter the indicator's title"),
    ({"title": "x" * 301}, "title", "The title must be 300 characters or fewer"),
    ({"unit": "percent"}, "unit", "Choose the unit from the list"),
    ({"polarity": "up"}, "polarity", "Choose the polarity from the list"),
    ({"frequency": "weekly"}, "frequency", "Choose the frequency from the list"),
    ({"accumulation": "total"}, "accumulation", "Choose the accumulation from the list"),
    ({"unit": Unit.COUNT}, "is_ratio", "so its unit must be Percentage"),
    ({"numerator_label": ""}, "numerator_label", "Describe the numerator"),
    ({"denominator_label": "   "}, "denominator_label", "Describe the denominator"),
    ({"numerator_label": "x" * 1001}, "numerator_label", "The numerator description must be 1,000 characters"),
    ({"no_change_band": D("-0.1")}, "no_change_band", "The no-change band must be 0 or more"),
    ({"no_change_band": D("0.00001")}, "no_change_band", "The no-change band can have at most 4 decimal places"),
    ({"minimum": D("0.12345")}, "minimum", "The minimum can have at most 4 decimal places"),
    ({"minimum": D(50), "maximum": D(40)}, "maximum", "The maximum must be at least the minimum"),
    ({"definition": "x" * 5001}, "definition", "The definition must be 5,000 characters or fewer"),
    ({"source": "x" * 5001}, "source", "The source must be 5,000 characters or fewer"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_DEFINITIONS)
def test_a_bad_new_indicator_is_named_and_nothing_is_saved(f, overrides, field, message):
    f.create_indicator("NI43", polarity="lower_is_better")
    with pytest.raises(InvalidInput) as raised:
        definitions.create_indicator(reviews(**overrides))
    assert message in raised.value.errors[field]
    assert count(Indicator) == 1


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_DEFINITIONS)
def test_a_bad_change_is_named_and_nothing_is_saved(f, overrides, field, message):
    f.create_indicator("NI43", polarity="lower_is_better")
    existing = definitions.create_indicator(reviews())
    with pytest.raises(InvalidInput) as raised:
        definitions.update_indicator(existing, reviews(**overrides))
    assert message in raised.value.errors[field]
    db.session.expire_all()
    assert Definition.of(db.session.get(Indicator, existing.id)) == reviews()


def test_a_code_may_keep_its_own_spelling_when_the_rest_changes(f):
    existing = definitions.create_indicator(reviews())
    definitions.update_indicator(existing, reviews(title="Reviews on time"))
    assert db.session.get(Indicator, existing.id).title == "Reviews on time"


def test_without_returned_figures_the_unit_and_polarity_may_change(f):
    existing = f.create_indicator("NI43", polarity="lower_is_better")
    definitions.update_indicator(existing, replace(Definition.of(existing), unit=Unit.COUNT, polarity=Polarity.NONE))
    assert (existing.unit, existing.polarity) == (Unit.COUNT, Polarity.NONE)


@pytest.mark.parametrize(
    ("change", "field", "what"),
    [
        ({"unit": Unit.DAYS}, "unit", "its unit cannot change"),
        ({"polarity": Polarity.HIGHER}, "polarity", "which way is better cannot change"),
        ({"is_ratio": True, "numerator_label": "In custody", "denominator_label": "Sentenced"}, "is_ratio", "ratio"),
    ],
)
def test_a_measure_with_returned_figures_keeps_its_unit_polarity_and_ratio(f, change, field, what):
    contract = f.create_contract(with_scope=True)
    custody = f.create_indicator("NI43", title="Custodial sentences", polarity="lower_is_better")
    f.create_basket(contract, [custody])
    f.create_kpi_return(contract, "2017-08", {"NI43": D("11.3")}, status="submitted")
    with pytest.raises(InvalidInput) as raised:
        definitions.update_indicator(custody, replace(Definition.of(custody), **change))
    message = raised.value.errors[field]
    assert message.startswith("NI43 already has figures in KPI returns, so ")
    assert what in message and "Add a new indicator instead" in message
    db.session.expire_all()
    stored = db.session.get(Indicator, custody.id)
    assert (stored.unit, stored.polarity, stored.is_ratio) == (Unit.PERCENTAGE, Polarity.LOWER, False)
    # Everything that does not change how the figures read may still change.
    definitions.update_indicator(stored, replace(Definition.of(stored), title="Custody rate", no_change_band=D(1)))
    assert db.session.get(Indicator, custody.id).title == "Custody rate"


# --- A year's figures ---------------------------------------------------------------------------


def test_a_year_is_set_then_replaced_then_cleared(f):
    indicator = f.create_indicator("NI66")
    row = definitions.set_year(indicator, "2017/18", YearFigures(D(80), D(5), D("90.5"), D(88)))
    assert (row.financial_year, row.target, row.tolerance, row.national, row.neighbours) == (
        2017,
        D(80),
        D(5),
        D("90.5"),
        D(88),
    )
    definitions.set_year(indicator, "2017/18", YearFigures(target=D(85)))
    rows = db.session.scalars(select(IndicatorYear).where(IndicatorYear.indicator_id == indicator.id)).all()
    assert [(r.financial_year, r.target, r.tolerance, r.national) for r in rows] == [(2017, D(85), None, None)]
    definitions.set_year(indicator, "2018/19", YearFigures(national=D(91)))
    assert definitions.set_year(indicator, "2017/18", YearFigures()) is None
    rows = db.session.scalars(select(IndicatorYear).where(IndicatorYear.indicator_id == indicator.id)).all()
    assert [r.financial_year for r in rows] == [2018]
    # Clearing a year that was never set is no error, and leaves nothing behind.
    assert definitions.set_year(indicator, "2019/20", YearFigures()) is None
    assert count(IndicatorYear) == 1


def test_only_a_percentage_is_held_to_100(f):
    rate = f.create_indicator("LAC1", unit="rate_per_10k", polarity="none")
    row = definitions.set_year(rate, "2017/18", YearFigures(national=D("82.3"), neighbours=D(120)))
    assert row.neighbours == D(120)


@pytest.mark.parametrize(
    ("year", "figures", "field", "message"),
    [
        ("2017", {"target": D(80)}, "financial_year", "Enter the year in the form 2017/18"),
        ("2017/19", {"target": D(80)}, "financial_year", "Enter the year in the form 2017/18"),
        ("", {"target": D(80)}, "financial_year", "Enter the year in the form 2017/18"),
        ("2017/18", {"tolerance": D(-1)}, "tolerance", "The amber tolerance must be 0 or more"),
        ("2017/18", {"target": D(101)}, "target", "The target is a percentage, so it must be between 0 and 100"),
        ("2017/18", {"national": D("-0.5")}, "national", "The national average is a percentage, so it must be"),
        ("2017/18", {"neighbours": D("100.5")}, "neighbours", "statistical neighbours' average is a percentage"),
        ("2017/18", {"target": D("80.00001")}, "target", "The target can have at most 4 decimal places"),
    ],
)
def test_bad_year_figures_are_named_and_nothing_is_saved(f, year, figures, field, message):
    indicator = f.create_indicator("NI66", target=D(80), tolerance=D(5), national=D("90.5"), neighbours=D(88))
    with pytest.raises(InvalidInput) as raised:
        definitions.set_year(indicator, year, YearFigures(**figures))
    assert message in raised.value.errors[field]
    db.session.expire_all()
    rows = db.session.scalars(select(IndicatorYear)).all()
    assert [(r.financial_year, r.target, r.tolerance, r.national, r.neighbours) for r in rows] == [
        (2017, D(80), D(5), D("90.5"), D(88))
    ]
