"""Pure rules of the return workflow: which step may follow which, deadlines and lateness (rule 6)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from monitoring.core.periods import Period
from monitoring.core.workdays import add_working_days, working_days_late


class ReturnStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUERIED = "queried"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"  # accepted once, then replaced by an accepted correction

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "submitted": "Submitted",
            "queried": "Queried",
            "resubmitted": "Resubmitted",
            "accepted": "Accepted",
            "superseded": "Replaced by a correction",
        }[self.value]

    @property
    def is_editable(self) -> bool:
        """The trust may change values: while drafting, and while answering queries."""
        return self in (ReturnStatus.DRAFT, ReturnStatus.QUERIED)

    @property
    def is_locked(self) -> bool:
        return self in (ReturnStatus.ACCEPTED, ReturnStatus.SUPERSEDED)

    @property
    def awaits_review(self) -> bool:
        return self in (ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED)

    @property
    def was_submitted(self) -> bool:
        return self is not ReturnStatus.DRAFT


class Step(enum.StrEnum):
    SUBMIT = "submit"
    QUERY = "query"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"


S = ReturnStatus
TRANSITIONS: dict[Step, dict[ReturnStatus, ReturnStatus]] = {
    Step.SUBMIT: {S.DRAFT: S.SUBMITTED},
    Step.QUERY: {S.SUBMITTED: S.QUERIED, S.RESUBMITTED: S.QUERIED, S.QUERIED: S.QUERIED},
    Step.RESUBMIT: {S.QUERIED: S.RESUBMITTED},
    Step.ACCEPT: {S.SUBMITTED: S.ACCEPTED, S.RESUBMITTED: S.ACCEPTED},
}

# Why a step cannot be taken from a status, in words a user can act on.
REFUSALS: dict[Step, str] = {
    Step.SUBMIT: "Only a draft can be submitted",
    Step.QUERY: "Only a submitted return can be queried",
    Step.RESUBMIT: "Only a queried return can be resubmitted",
    Step.ACCEPT: "Only a submitted or resubmitted return can be accepted",
}


class StepRefused(ValueError):
    pass


def next_status(status: ReturnStatus, step: Step) -> ReturnStatus:
    """The status after `step`; StepRefused (with a message for the user) when it cannot be taken."""
    after = TRANSITIONS[step].get(status)
    if after is None:
        if status.is_locked:
            raise StepRefused("This return has been accepted and is locked; start a correction to change it")
        raise StepRefused(f"{REFUSALS[step]}; this one is {status.label.lower()}")
    return after


def due_date(period: Period, working_days: int) -> date:
    """Rule 6: a monthly return is due N working days after its period ends."""
    return add_working_days(period.end, working_days)


@dataclass(frozen=True)
class Timeliness:
    """When a return was due, when it first arrived, and how late (in working days) it was or is."""

    due: date
    submitted_on: date | None
    days_late: int  # working days late on arrival; 0 when on time or not yet in
    days_overdue: int  # working days past the deadline and still not in; 0 otherwise

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def label(self) -> str:
        if self.submitted_on is None:
            if self.is_overdue:
                return f"Overdue by {_days(self.days_overdue)}"
            return "Not yet submitted"
        return f"Late by {_days(self.days_late)}" if self.is_late else "On time"


def _days(count: int) -> str:
    return f"{count} working day{'s' if count != 1 else ''}"


def timeliness(due: date, submitted_on: date | None, today: date) -> Timeliness:
    if submitted_on is not None:
        return Timeliness(due, submitted_on, working_days_late(due, submitted_on), 0)
    return Timeliness(due, None, 0, working_days_late(due, today))


def can_submit_for(period: Period, today: date) -> bool:
    """A month's return can be submitted once the month has ended."""
    return today > period.end
