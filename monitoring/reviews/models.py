"""The Annual Contract Review and its milestones, service reviews, and Ofsted inspections."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.contracts.models import ContractService, Organisation
from monitoring.core.db import enum_type
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.reviews.rules import MilestoneKind, slip_days


class ExtensionStatus(enum.StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"none": "None", "requested": "Requested", "granted": "Granted", "refused": "Refused"}[self.value]


class AnnualReview(db.Model):
    """The review the Secretary of State requires each year, with its submission deadline."""

    __tablename__ = "annual_review"
    __table_args__ = (UniqueConstraint("contract_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[int]  # the calendar year it starts in: 2017 means 2017/18
    deadline: Mapped[date]  # the Secretary of State's submission deadline as first set
    extension_status: Mapped[ExtensionStatus] = mapped_column(
        enum_type(ExtensionStatus, "extension_status"), default=ExtensionStatus.NONE
    )
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extension_requested_on: Mapped[date | None]
    extended_deadline: Mapped[date | None]  # the new deadline asked for (and, once granted, in force)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestones: Mapped[list[ReviewMilestone]] = relationship(
        back_populates="review", order_by="ReviewMilestone.position", cascade="all, delete-orphan"
    )

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.financial_year)

    @property
    def deadline_in_force(self) -> date:
        if self.extension_status is ExtensionStatus.GRANTED and self.extended_deadline:
            return self.extended_deadline
        return self.deadline

    def slipped(self, today: date) -> list[ReviewMilestone]:
        return [m for m in self.milestones if m.slip_days(today) > 0]

    def __str__(self) -> str:
        return f"Annual Contract Review {self.year.label}"


class MilestoneStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}[self.value]


class ReviewMilestone(db.Model):
    """A named step of the review's timetable, with its owner and status."""

    __tablename__ = "review_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    annual_review_id: Mapped[int] = mapped_column(ForeignKey("annual_review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_type(MilestoneKind, "milestone_kind"))
    position: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date | None]  # for a window, such as the counter-notice window
    due_date: Mapped[date]
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.NOT_STARTED
    )
    completed_on: Mapped[date | None]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))

    review: Mapped[AnnualReview] = relationship(back_populates="milestones")
    owner_organisation: Mapped[Organisation] = relationship()
    meeting = relationship("Meeting")

    @property
    def name(self) -> str:
        return self.kind.label

    def slip_days(self, today: date) -> int:
        return slip_days(self.due_date, self.completed_on if self.status is MilestoneStatus.DONE else None, today)

    def __str__(self) -> str:
        return self.name


class ServiceReviewStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DRAFT_REPORT = "draft_report"
    REPORTED = "reported"

    @property
    def label(self) -> str:
        return {
            "planned": "Planned",
            "in_progress": "In progress",
            "draft_report": "Draft report written",
            "reported": "Reported to a meeting",
        }[self.value]


class ServiceReview(db.Model):
    """A specific area of investigation, such as the annual review of a short-breaks unit."""

    __tablename__ = "service_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("contract_service.id", ondelete="SET NULL"))
    lead: Mapped[str] = mapped_column(String(200), default="")
    review_date: Mapped[date]
    status: Mapped[ServiceReviewStatus] = mapped_column(
        enum_type(ServiceReviewStatus, "service_review_status"), default=ServiceReviewStatus.PLANNED
    )
    draft_report_on: Mapped[date | None]
    draft_summary: Mapped[str] = mapped_column(Text, default="")
    report_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[ContractService | None] = relationship()
    strands: Mapped[list[ReviewStrand]] = relationship(
        back_populates="review", order_by="ReviewStrand.id", cascade="all, delete-orphan"
    )
    actions = relationship("Action", back_populates="service_review", order_by="Action.due_date")
    report_meeting = relationship("Meeting")

    def __str__(self) -> str:
        return self.title


class StrandKind(enum.StrEnum):
    MONITORING_DATA = "monitoring_data"
    COMPLIANCE_CHECK = "compliance_check"
    QUALITY_AUDIT = "quality_audit"

    @property
    def label(self) -> str:
        return {
            "monitoring_data": "Analysis of monthly monitoring data",
            "compliance_check": "Contract compliance check (policies and process)",
            "quality_audit": "Audit of quality",
        }[self.value]


class ReviewStrand(db.Model):
    """One strand of a service review, with what it found."""

    __tablename__ = "review_strand"
    __table_args__ = (UniqueConstraint("service_review_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    service_review_id: Mapped[int] = mapped_column(ForeignKey("service_review.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StrandKind] = mapped_column(enum_type(StrandKind, "strand_kind"))
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.NOT_STARTED
    )
    findings: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[ServiceReview] = relationship(back_populates="strands")

    def __str__(self) -> str:
        return self.kind.label


class Grade(enum.StrEnum):
    """Ofsted's four-point scale."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        return {
            "outstanding": "Outstanding",
            "good": "Good",
            "requires_improvement": "Requires improvement",
            "inadequate": "Inadequate",
        }[self.value]

    @property
    def colour(self) -> str:
        return {"outstanding": "green", "good": "green", "requires_improvement": "amber", "inadequate": "red"}[
            self.value
        ]


class Inspection(db.Model):
    """An Ofsted inspection: notified, on site, draft report for factual accuracy, published."""

    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    notified_on: Mapped[date]
    on_site_from: Mapped[date | None]
    on_site_to: Mapped[date | None]
    draft_report_on: Mapped[date | None]
    published_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    judgements: Mapped[list[InspectionJudgement]] = relationship(
        back_populates="inspection", order_by="InspectionJudgement.id", cascade="all, delete-orphan"
    )

    @property
    def stage(self) -> str:
        if self.published_on:
            return "Published"
        if self.draft_report_on:
            return "Draft report for factual accuracy"
        if self.on_site_from:
            return "On site"
        return "Notified"

    def __str__(self) -> str:
        return self.title


class InspectionJudgement(db.Model):
    """A judgement for one area of an inspection (e.g. "Overall effectiveness": Inadequate)."""

    __tablename__ = "inspection_judgement"
    __table_args__ = (UniqueConstraint("inspection_id", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    area: Mapped[str] = mapped_column(String(200))
    grade: Mapped[Grade] = mapped_column(enum_type(Grade, "inspection_grade"))

    inspection: Mapped[Inspection] = relationship(back_populates="judgements")

    def __str__(self) -> str:
        return f"{self.area}: {self.grade.label}"
