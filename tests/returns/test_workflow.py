"""The return workflow a KPI return goes through: draft, submitted, queried, resubmitted, accepted,
corrected — and accepted figures that never change in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from monitoring.accounts.models import Role
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.performance.models import KpiValue
from monitoring.performance.operations import ValueInput, save_values
from monitoring.returns import operations
from monitoring.returns.guard import LockedReturnError
from monitoring.returns.models import ReturnKind
from monitoring.returns.rules import ReturnStatus


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)
    reviews = f.create_indicator(
        "NI66", title="Looked-after reviews within timescale", is_ratio=True, target=D(80), tolerance=D(5)
    )
    custody = f.create_indicator(
        "NI43", title="Custodial sentences", polarity="lower_is_better", target=D("6.8"), tolerance=D(1)
    )
    f.create_basket(contract, [reviews, custody])
    return {
        "contract": contract,
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
    }


def values(revision) -> dict[str, KpiValue]:
    return {v.indicator.code: v for v in db.session.query(KpiValue).filter_by(revision_id=revision.id)}


def test_a_return_is_drafted_submitted_queried_answered_resubmitted_and_accepted(f, setting):
    contract, trust, council = setting["contract"], setting["trust"], setting["commissioner"]
    monthly = f.create_kpi_return(
        contract, "2017-08", {"NI66": (77, 100), "NI43": {"value": D("5.1")}}, status="draft", user=trust
    )
    revision = monthly.latest
    assert revision.status is ReturnStatus.DRAFT

    operations.submit(revision, trust, today=date(2017, 9, 4))
    assert revision.status is ReturnStatus.SUBMITTED and monthly.first_submitted_at is not None

    query = operations.raise_query(revision, subject_key="NI66", question="Why did reviews fall?", user=council)
    assert revision.status is ReturnStatus.QUERIED and query.subject_label.startswith("NI66")
    with pytest.raises(InvalidInput, match="Answer every query"):
        operations.resubmit(revision, trust)

    operations.answer_query(query, answer="Two reviewing officers were off sick.", user=trust)
    operations.resubmit(revision, trust)
    assert revision.status is ReturnStatus.RESUBMITTED

    operations.accept(revision, council)
    assert revision.status is ReturnStatus.ACCEPTED and revision.accepted_by_id == council.id
    assert monthly.in_force is revision


def test_a_return_cannot_be_submitted_before_its_month_ends(f, setting):
    monthly = f.create_kpi_return(setting["contract"], "2017-08", {"NI66": (80, 100), "NI43": 5}, status="draft")
    with pytest.raises(InvalidInput, match="once the month has ended"):
        operations.submit(monthly.latest, setting["trust"], today=date(2017, 8, 31))
    assert monthly.latest.status is ReturnStatus.DRAFT


def test_a_required_measure_left_blank_stops_submission_and_names_it(f, setting):
    monthly = f.create_kpi_return(setting["contract"], "2017-08", {"NI66": (80, 100)}, status="draft")
    with pytest.raises(InvalidInput) as refused:
        operations.submit(monthly.latest, setting["trust"], today=date(2017, 9, 4))
    assert refused.value.errors == {"v-NI43": "NI43 Custodial sentences: enter a value (it is a required measure)"}
    assert monthly.latest.status is ReturnStatus.DRAFT and monthly.first_submitted_at is None


def test_a_red_figure_needs_commentary_before_it_is_submitted(f, setting):
    monthly = f.create_kpi_return(
        setting["contract"], "2017-08", {"NI66": (80, 100), "NI43": D("11.3")}, status="draft"
    )
    with pytest.raises(InvalidInput) as refused:
        operations.submit(monthly.latest, setting["trust"], today=date(2017, 9, 4))
    assert list(refused.value.errors) == ["c-NI43"]
    assert "NI43 Custodial sentences is Red" in refused.value.errors["c-NI43"]

    save_values(
        monthly.latest,
        [
            ValueInput("NI66", numerator=D(80), denominator=D(100)),
            ValueInput("NI43", value=D("11.3"), commentary="Sentencing in the west area"),
        ],
    )
    operations.submit(monthly.latest, setting["trust"], today=date(2017, 9, 4))
    assert monthly.latest.status is ReturnStatus.SUBMITTED


def test_accepted_figures_cannot_be_changed_in_place(f, setting):
    monthly = f.create_kpi_return(setting["contract"], "2017-08", {"NI66": (80, 100), "NI43": 5})
    revision = monthly.latest
    with pytest.raises(InvalidInput, match="accepted and is locked"):
        save_values(revision, [ValueInput("NI66", numerator=D(1), denominator=D(100)), ValueInput("NI43", value=D(5))])
    # Even code that forgets to ask is stopped at the database's door.
    with pytest.raises(LockedReturnError), db.session.begin_nested():
        values(revision)["NI43"].value = D(9)
        db.session.flush()
    db.session.expire_all()
    assert values(revision)["NI43"].value == D(5)


def test_a_correction_is_a_new_revision_and_the_accepted_one_stays_readable(f, setting):
    contract, trust, council = setting["contract"], setting["trust"], setting["commissioner"]
    monthly = f.create_kpi_return(contract, "2017-08", {"NI66": (80, 100), "NI43": 5}, user=trust, reviewer=council)
    first = monthly.latest
    with pytest.raises(InvalidInput, match="why the accepted figures need correcting"):
        operations.start_correction(monthly, reason=" ", user=trust)

    correction = operations.start_correction(monthly, reason="NI43 double-counted two sentences", user=trust)
    assert correction.number == 2 and correction.status is ReturnStatus.DRAFT
    assert values(correction)["NI66"].numerator == D(80)  # starts from what was agreed
    assert monthly.in_force is first  # the accepted figures stand until the correction is accepted

    save_values(correction, [ValueInput("NI66", numerator=D(80), denominator=D(100)), ValueInput("NI43", value=D(3))])
    operations.submit(correction, trust, today=date(2017, 10, 2))
    operations.accept(correction, council)
    assert monthly.in_force is correction
    assert first.status is ReturnStatus.SUPERSEDED
    assert values(first)["NI43"].value == D(5) and values(correction)["NI43"].value == D(3)


def test_a_correction_not_yet_submitted_can_be_discarded(f, setting):
    monthly = f.create_kpi_return(setting["contract"], "2017-08", {"NI66": (80, 100), "NI43": 5})
    correction = operations.start_correction(monthly, reason="Typo", user=setting["trust"])
    operations.discard_correction(correction)
    assert [r.number for r in monthly.revisions] == [1]
    with pytest.raises(InvalidInput, match="Only a correction"):
        operations.discard_correction(monthly.latest)


@pytest.mark.parametrize(
    ("submitted", "label"),
    [
        (date(2017, 9, 14), "On time"),  # August 2017 is due on the 10th working day: 14 September
        (date(2017, 9, 15), "Late by 1 working day"),
        (date(2017, 9, 16), "Late by 2 working days"),  # a Saturday counts as the Monday after
        (date(2017, 9, 18), "Late by 2 working days"),
    ],
)
def test_lateness_is_counted_in_working_days(f, setting, submitted, label):
    monthly = f.create_kpi_return(
        setting["contract"], "2017-08", {"NI66": (80, 100), "NI43": 5}, status="submitted", submitted_on=submitted
    )
    assert monthly.due_on == date(2017, 9, 14)
    assert monthly.timeliness(date(2017, 12, 1)).label == label


def test_a_december_return_is_due_after_the_christmas_bank_holidays(f, setting):
    monthly = operations.open_return(
        setting["contract"], ReturnKind.KPI, Period(2017, 12), None, today=date(2018, 1, 1)
    )
    # 1 January 2018 is a bank holiday: ten working days after 31 December is 15 January.
    assert monthly.due_on == date(2018, 1, 15)


def test_a_month_that_has_not_started_cannot_be_opened(setting):
    with pytest.raises(InvalidInput, match="has not started yet"):
        operations.open_return(setting["contract"], ReturnKind.KPI, Period(2017, 9), None, today=date(2017, 8, 20))
