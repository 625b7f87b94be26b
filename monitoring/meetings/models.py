"""Meeting types and their rhythm, meetings, agendas, papers, outcomes, minutes and calendar feeds.

Every table carries `contract_id`, copied from its parent by the operations, so URLs that name
any of these rows are scoped to their contract (permissions.register_scope) and the audit trail
files each write under its contract.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.contracts.models import Contract, Organisation
from monitoring.core.db import enum_type
from monitoring.core.periods import Period
from monitoring.core.timeutil import describe_time, to_london, utcnow
from monitoring.extensions import db
from monitoring.meetings.rules import Cadence, CadenceRule, Frequency, describe


class MeetingKind(enum.StrEnum):
    """The forums of the monitoring cycle (DOMAIN.md); other areas find meetings by kind."""

    JOINT_PERFORMANCE_FINANCE = "joint_performance_finance"
    JOINT_QUARTERLY = "joint_quarterly"
    HIGH_LEVEL = "high_level"
    SCRUTINY = "scrutiny"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "joint_performance_finance": "Joint Performance & Finance",
            "joint_quarterly": "Joint Quarterly Performance Monitoring",
            "high_level": "High-level Quarterly Performance",
            "scrutiny": "Report to Scrutiny",
            "other": "Other meeting",
        }[self.value]

    @property
    def escalates_to(self) -> MeetingKind | None:
        """Joint meetings escalate concerns to the high-level meeting."""
        joint = (MeetingKind.JOINT_PERFORMANCE_FINANCE, MeetingKind.JOINT_QUARTERLY)
        return MeetingKind.HIGH_LEVEL if self in joint else None


class MeetingType(db.Model):
    """A recurring forum of one contract, with its rhythm, standing items and standing attendees."""

    __tablename__ = "meeting_type"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind, "meeting_kind"))
    name: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency, "meeting_frequency"))
    rule: Mapped[CadenceRule] = mapped_column(enum_type(CadenceRule, "cadence_rule"))
    # With the weekday-of-month rule: 1–4 or -1 (last), 0 (Monday)–4 (Friday), month of the period.
    ordinal: Mapped[int | None]
    weekday: Mapped[int | None]
    month_of_period: Mapped[int] = mapped_column(default=1)
    # With the after-period-end rule: calendar days after the month, quarter or half-year ends.
    offset_days: Mapped[int | None]
    start_time: Mapped[time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(default=120)
    location: Mapped[str] = mapped_column(String(200), default="")

    contract: Mapped[Contract] = relationship()
    standing_items: Mapped[list[StandingItem]] = relationship(
        back_populates="meeting_type", order_by="StandingItem.position", cascade="all, delete-orphan"
    )
    standing_attendees: Mapped[list[StandingAttendee]] = relationship(
        back_populates="meeting_type", order_by="StandingAttendee.id", cascade="all, delete-orphan"
    )

    @property
    def cadence(self) -> Cadence:
        return Cadence(
            frequency=self.frequency,
            rule=self.rule,
            start_time=self.start_time,
            ordinal=self.ordinal,
            weekday=self.weekday,
            month_of_period=self.month_of_period,
            offset_days=self.offset_days,
        )

    @property
    def cadence_words(self) -> str:
        return describe(self.cadence)

    def __str__(self) -> str:
        return self.name


class StandingItem(db.Model):
    """An item on every agenda of a meeting type (e.g. "Family Support performance", finance)."""

    __tablename__ = "standing_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_type_id: Mapped[int] = mapped_column(ForeignKey("meeting_type.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    meeting_type: Mapped[MeetingType] = relationship(back_populates="standing_items")

    def __str__(self) -> str:
        return self.title


class StandingAttendee(db.Model):
    """Someone expected at every meeting of a type; copied to each meeting's attendance."""

    __tablename__ = "standing_attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_type_id: Mapped[int] = mapped_column(ForeignKey("meeting_type.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))

    meeting_type: Mapped[MeetingType] = relationship(back_populates="standing_attendees")
    organisation: Mapped[Organisation] = relationship()

    def __str__(self) -> str:
        return self.name


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Meeting(db.Model):
    """One meeting. `slot` names the period of the rhythm it serves ("2017-08", "2017/18 Q2"), so a
    calendar can be generated again without doubling meetings, and a cancelled slot stays used."""

    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("meeting_type_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_type_id: Mapped[int] = mapped_column(ForeignKey("meeting_type.id", ondelete="RESTRICT"), index=True)
    slot: Mapped[str | None] = mapped_column(String(20))  # None for an extra meeting added by hand
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    # When the meeting was moved: where the rhythm (or the first plan) had put it.
    moved_from: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting_type: Mapped[MeetingType] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="meeting", order_by="Attendee.id", cascade="all, delete-orphan"
    )
    minutes: Mapped[list[MinutesRevision]] = relationship(
        back_populates="meeting",
        order_by="MinutesRevision.number",
        cascade="all, delete-orphan",
        foreign_keys="MinutesRevision.meeting_id",
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    @property
    def local_start(self) -> datetime:
        return to_london(self.starts_at)

    @property
    def day(self) -> date:
        return self.local_start.date()

    @property
    def ends_words(self) -> str:
        """The end time, e.g. "12pm", or the day too when the meeting ends on a later day."""
        end = to_london(self.ends_at)
        words = describe_time(end.time())
        return words if end.date() == self.day else f"{end.day} {end:%B %Y}, {words}"

    @property
    def slot_label(self) -> str:
        """The period of the rhythm in words: "December 2026", "Q3 2026/27", "H1 2026/27"."""
        if not self.slot:
            return ""
        try:
            return Period.parse(self.slot).name
        except ValueError:
            year, _, part = self.slot.partition(" ")
            return f"{part} {year}"

    @property
    def approved_minutes(self) -> MinutesRevision | None:
        approved = [m for m in self.minutes if m.is_approved]
        return approved[-1] if approved else None

    @property
    def draft_minutes(self) -> MinutesRevision | None:
        latest = self.minutes[-1] if self.minutes else None
        return latest if latest is not None and not latest.is_approved else None

    @property
    def has_taken_place(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def is_locked(self) -> bool:
        """Approved minutes lock the record of the meeting: agenda, outcomes and attendance."""
        return any(m.is_approved for m in self.minutes)

    @property
    def title(self) -> str:
        return f"{self.meeting_type.name}, {self.day.day} {self.day:%B %Y}"

    def __str__(self) -> str:
        return self.title


class Attendance(enum.StrEnum):
    EXPECTED = "expected"
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"expected": "Not recorded", "present": "Present", "apologies": "Sent apologies", "absent": "Absent"}[
            self.value
        ]


class Attendee(db.Model):
    """A person at (or sending apologies to) one meeting."""

    __tablename__ = "attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    attendance: Mapped[Attendance] = mapped_column(enum_type(Attendance, "attendance"), default=Attendance.EXPECTED)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    organisation: Mapped[Organisation] = relationship()

    def __str__(self) -> str:
        return self.name


class AgendaItem(db.Model):
    """An item on a meeting's agenda. `source_kind`/`source_id` say where it came from: a standing
    item, an open action (matters arising), a deep dive's report-back, an escalation, another
    area's flag…; one source appears once per agenda."""

    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "source_kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    presenter: Mapped[str] = mapped_column(String(200), default="")
    source_kind: Mapped[str] = mapped_column(String(40), default="manual")
    source_id: Mapped[int | None]

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    papers: Mapped[list[Paper]] = relationship(
        back_populates="item", order_by="Paper.uploaded_at", cascade="all, delete-orphan"
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="item", order_by="Outcome.id", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class Paper(db.Model):
    """A document for an agenda item, stored outside static/ under a random name."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, cleaned; used when downloading
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    item: Mapped[AgendaItem] = relationship(back_populates="papers")

    def __str__(self) -> str:
        return self.filename


class OutcomeKind(enum.StrEnum):
    NOTED = "noted"
    DECISION = "decision"
    ACTION = "action"
    DEEP_DIVE = "deep_dive"
    ESCALATION = "escalation"
    CARRIED_OVER = "carried_over"

    @property
    def label(self) -> str:
        return {
            "noted": "Noted",
            "decision": "Decision",
            "action": "Action",
            "deep_dive": "Referred for a deep dive",
            "escalation": "Escalated",
            "carried_over": "Carried over",
        }[self.value]


class Outcome(db.Model):
    """What a meeting did with an agenda item. Actions, deep dives and escalations point back here."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_type(OutcomeKind, "outcome_kind"))
    text: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    item: Mapped[AgendaItem] = relationship(back_populates="outcomes")

    def __str__(self) -> str:
        return f"{self.kind.label}: {self.text[:80]}"


class MinutesRevision(db.Model):
    """One version of a meeting's minutes. Approved (at a later meeting) means locked: a correction
    is a new revision, and every revision stays readable."""

    __tablename__ = "minutes_revision"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    # Why a correction was made (empty for the first revision).
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    approved_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Moves on with every change: two people editing the draft cannot overwrite each other unseen.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    approved_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[approved_at_meeting_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    __mapper_args__ = {"version_id_col": lock_version}

    def __str__(self) -> str:
        return f"Minutes revision {self.number}"


class CalendarFeed(db.Model):
    """A secret address a calendar program (Outlook, Google) fetches without cookies.

    Only the hash of the random token is stored; the full address is shown once, when created.
    """

    __tablename__ = "calendar_feed"

    PREFIX = "cal_"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"audit": "redact"})
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(info={"audit": "skip"})
    revoked_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
