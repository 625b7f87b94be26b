"""Loading the packaged catalogue of 60 measures: what it creates, that loading again only updates, that a
bad file is named by row and column with nothing saved, and `flask indicators load` and `list`."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.performance import definitions
from monitoring.performance.catalogue import CATALOGUE, COLUMNS, load_catalogue
from monitoring.performance.definitions import YearFigures
from monitoring.performance.models import Indicator, IndicatorYear, Objective
from monitoring.performance.vocabulary import Polarity, Unit


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def catalogue_rows() -> list[dict[str, str]]:
    with open(CATALOGUE, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def by_code() -> dict[str, Indicator]:
    return {i.code: i for i in db.session.scalars(select(Indicator))}


def write(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_packaged_catalogue_is_the_shared_reference_data_with_its_header():
    rows = catalogue_rows()
    assert len(rows) == 60
    assert tuple(rows[0]) == COLUMNS


def test_loading_the_catalogue_creates_its_60_measures_as_it_defines_them():
    assert load_catalogue(CATALOGUE) == (60, 0)
    found = by_code()
    assert len(found) == 60
    for row in catalogue_rows():
        indicator = found[row["code"]]
        assert indicator.title == row["title"]
        assert (indicator.unit, indicator.polarity) == (Unit(row["unit"]), Polarity(row["polarity"]))
        assert (indicator.frequency.value, indicator.accumulation.value) == (row["frequency"], row["accumulation"])
        assert indicator.is_ratio == (row["unit"] == "percentage" and bool(row["denominator"]))
        assert (indicator.numerator_label, indicator.denominator_label) == (row["numerator"], row["denominator"])
        assert (indicator.definition, indicator.source) == (row["definition_source"], row["figures_source"])
        assert all(y.target is None and y.tolerance is None and y.neighbours is None for y in indicator.years)


def test_england_figures_become_the_national_comparator_for_each_financial_year():
    load_catalogue(CATALOGUE)
    found = by_code()
    national = {y.financial_year: y.national for y in found["FD05"].years}
    assert national == {2015: D("22.5"), 2016: D("21.9"), 2017: D("21.9"), 2018: D("22.6"), 2019: D("22.6")}
    assert found["FD05"].year(FinancialYear.parse("2015/16")).national == D("22.5")
    # Empty cells are "no figure found": no row, not a zero.
    assert {y.financial_year for y in found["CLA05"].years} == {2017, 2018, 2019}
    assert found["FD01"].years == []


def test_the_catalogue_marks_ratios_and_the_case_audit_measure():
    load_catalogue(CATALOGUE)
    found = by_code()
    assert found["FD05"].is_ratio and found["FD05"].polarity is Polarity.LOWER
    assert not found["FD04"].is_ratio and found["FD04"].unit is Unit.RATE_PER_10K  # a rate, not a ratio
    assert not found["FD01"].is_ratio and found["FD01"].unit is Unit.COUNT
    assert not found["WF06"].is_ratio  # days have a denominator in words but are not a percentage
    assert [code for code, i in found.items() if i.from_case_audits] == ["QA01"]
    assert found["QA01"].title == "Case file audits graded good or better"


def test_each_measure_is_given_the_objective_its_code_implies():
    load_catalogue(CATALOGUE)
    found = by_code()
    expected = {
        "FD05": "Front door and assessment",
        "AS01": "Front door and assessment",
        "CIN01": "Keeping children safe",
        "CP05": "Keeping children safe",
        "CLA04": "Children in care and permanence",
        "ADP01": "Children in care and permanence",
        "CL01": "Care leavers",
        "YJ03": "Youth justice",
        "WF01": "Workforce",
        "QA01": "Quality of practice",
        "EH01": "Early help",
        "FIN01": "Value for money",
    }
    assert {code: found[code].objective.name for code in expected} == expected
    assert all(i.objective is not None for i in found.values())
    objectives = db.session.scalars(select(Objective).order_by(Objective.position)).all()
    assert [o.name for o in objectives][:3] == [
        "Front door and assessment",
        "Keeping children safe",
        "Children in care and permanence",
    ]
    assert len(objectives) == 9


def test_an_existing_objective_is_used_whatever_its_case(f):
    mine = f.create_objective("keeping children safe", position=7)
    load_catalogue(CATALOGUE)
    assert by_code()["CP05"].objective_id == mine.id
    assert db.session.get(Objective, mine.id).position == 7
    assert count(Objective) == 9


def test_loading_again_updates_and_keeps_what_was_decided_locally(f):
    load_catalogue(CATALOGUE)
    fd05 = by_code()["FD05"]
    local_figures = YearFigures(target=D(20), tolerance=D(2), national=D("21.9"), neighbours=D(23))
    definitions.set_year(fd05, "2017/18", local_figures)
    definitions.set_year(fd05, "2020/21", YearFigures(national=D(23)))
    local = f.create_objective("Our front door")
    fd05.objective = local
    fd05.title = "Re-referrals (edited)"
    db.session.flush()
    years, objectives = count(IndicatorYear), count(Objective)

    assert load_catalogue(CATALOGUE) == (0, 60)

    db.session.expire_all()
    assert count(Indicator) == 60 and count(IndicatorYear) == years and count(Objective) == objectives
    fd05 = by_code()["FD05"]
    assert fd05.title == "Re-referrals within 12 months of a previous referral"  # the catalogue's own
    assert fd05.objective_id == local.id  # a local choice
    row = next(y for y in fd05.years if y.financial_year == 2017)
    assert (row.target, row.tolerance, row.national, row.neighbours) == (D(20), D(2), D("21.9"), D(23))
    assert next(y for y in fd05.years if y.financial_year == 2020).national == D(23)


def test_rows_can_be_given_directly():
    first = catalogue_rows()[:2]
    assert load_catalogue(first) == (2, 0)
    assert sorted(by_code()) == ["FD01", "FD02"]


def changed(which: str, **cells: str) -> list[dict[str, str]]:
    """The catalogue's rows with some cells of one measure's row changed."""
    rows = catalogue_rows()
    for row in rows:
        if row["code"] == which:
            row.update(cells)
    return rows


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (changed("FD02", unit="percent"), "Row 3 (FD02), column unit: 'percent' is not a valid unit; use one of"),
        (changed("FD05", polarity="down"), "Row 6 (FD05), column polarity: 'down' is not a valid polarity"),
        (changed("CP05", frequency="weekly"), "column frequency: 'weekly' is not a valid frequency"),
        (changed("CP05", accumulation="sum"), "column accumulation: 'sum' is not a valid accumulation"),
        (changed("FD05", england_2016_17="n/a"), "Row 6 (FD05), column england_2016_17: 'n/a' is not a number"),
        (changed("FD05", england_2018_19="122.6"), "column england_2018_19: The national average is a percentage"),
        (changed("FD05", code="FD 05"), "Row 6 (FD 05), column code: The code can only contain letters"),
        (changed("FD05", code="FD04"), "Row 6 (FD04), column code: FD04 appears twice (first in row 5)"),
        (changed("FD05", title=""), "Row 6 (FD05), column title: Enter the indicator's title"),
        (changed("FD05", numerator=""), "Row 6 (FD05), column numerator: Describe the numerator"),
        (changed("FD05", code=""), "Row 6, column code: Enter the indicator's code"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_saved(tmp_path, rows, message):
    path = write(tmp_path / "indicators.csv", rows)
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(path)
    assert any(m.startswith(message) or message in m for m in raised.value.errors.values()), raised.value.errors
    assert count(Indicator) == 0 and count(Objective) == 0 and count(IndicatorYear) == 0


def test_a_file_without_a_column_or_not_in_utf8_is_refused(tmp_path):
    columns = [c for c in COLUMNS if c != "unit"]
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(write(tmp_path / "no-unit.csv", catalogue_rows(), columns))
    assert raised.value.errors == {"columns": "Row 1 (the header) lacks the column(s) unit"}
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CATALOGUE.read_bytes().replace(b"FD01,", "FD01 é,".encode("latin-1")))
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(latin)
    assert raised.value.errors == {"file": "The catalogue must be a CSV file saved as UTF-8"}
    assert count(Indicator) == 0


def test_a_reload_cannot_change_the_unit_of_a_measure_with_returned_figures(f, tmp_path):
    load_catalogue(CATALOGUE)
    contract = f.create_contract(with_scope=True)
    fd05 = by_code()["FD05"]
    f.create_basket(contract, [fd05])
    f.create_kpi_return(contract, "2017-08", {"FD05": (22, 100)}, status="submitted")
    path = write(tmp_path / "indicators.csv", changed("FD05", unit="count", denominator=""))
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(path)
    assert raised.value.errors["row 6 unit"].startswith(
        "Row 6 (FD05), column unit: FD05 already has figures in KPI returns, so its unit cannot change"
    )
    assert "whether it is a ratio cannot change" in raised.value.errors["row 6 denominator"]
    db.session.expire_all()
    assert by_code()["FD05"].unit is Unit.PERCENTAGE


# --- The commands -------------------------------------------------------------------------------


def test_flask_indicators_load_prints_how_many_were_created_and_updated(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["indicators", "load"])
    assert result.exit_code == 0, result.output
    assert "indicators.csv: 60 indicators created, 0 updated" in result.output
    result = runner.invoke(args=["indicators", "load", str(CATALOGUE)])
    assert result.exit_code == 0, result.output
    assert "0 indicators created, 60 updated" in result.output
    assert count(Indicator) == 60


def test_flask_indicators_load_names_a_bad_row_and_saves_nothing(app, tmp_path):
    path = write(tmp_path / "mine.csv", changed("FD02", unit="percent"))
    result = app.test_cli_runner().invoke(args=["indicators", "load", str(path)])
    assert result.exit_code != 0
    assert "Row 3 (FD02), column unit: 'percent' is not a valid unit" in result.output
    assert count(Indicator) == 0


def test_flask_indicators_list_shows_them_by_objective(app):
    runner = app.test_cli_runner()
    assert "No indicators yet" in runner.invoke(args=["indicators", "list"]).output
    runner.invoke(args=["indicators", "load"])
    output = runner.invoke(args=["indicators", "list"]).output
    lines = output.splitlines()
    assert lines[0] == "Front door and assessment"
    assert any(line.split()[:4] == ["FD05", "percentage", "lower_is_better", "monthly"] for line in lines)
    assert lines.index("Care leavers") < lines.index("Youth justice")
    assert lines[-1] == "60 indicators."


def test_englands_totals_are_not_made_a_comparator_for_one_areas_counts() -> None:
    load_catalogue(CATALOGUE)
    measures = by_code()
    assert measures["FD03"].unit is Unit.COUNT and measures["FD03"].years == []  # England's 642,980 referrals
    assert "LAIT" in measures["FD03"].source  # the figures' source stays with the definition
    assert measures["FD04"].year(FinancialYear(2019)).national == D("545.3")  # the rate is comparable
