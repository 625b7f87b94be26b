"""The words of each scheduled email: subject and body, with the summary's PDF attached or linked."""

from __future__ import annotations

from email.message import EmailMessage

from flask import current_app

from monitoring.core.periods import Period
from monitoring.core.timeutil import LONDON, format_date
from monitoring.extensions import db
from monitoring.reports import mailer, rendering, rules
from monitoring.reports.digest import app_path, digest_for, outstanding_returns
from monitoring.reports.models import Delivery, DeliveryPurpose, DeliverySchedule, ScheduleKind
from monitoring.reports.periods import period_title
from monitoring.reports.template_helpers import pdf_name


def subject(schedule: DeliverySchedule, occasion: rules.Occasion) -> str:
    name = schedule.contract.name
    if schedule.kind is ScheduleKind.QUARTERLY_SUMMARY:
        return f"{name}: {occasion.label} summary for scrutiny"
    if schedule.kind is ScheduleKind.RETURN_REMINDER:
        return f"{name}: {occasion.label}"
    return f"{name}: weekly digest for the {occasion.label}"


def link(path: str) -> str:
    """An absolute link into the app: BASE_URL, else the scheme and SERVER_NAME, else the development address."""
    config = current_app.config
    base = config.get("BASE_URL")
    if not base and config.get("SERVER_NAME"):
        base = f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}"
    return (base or "http://127.0.0.1:5000").rstrip("/") + path


def _attach(delivery: Delivery) -> bool:
    choice = next((s for s in delivery.schedule.subscriptions if s.user_id == delivery.recipient_id), None)
    return True if choice is None else choice.attach_pdf


def _summary_body(delivery: Delivery, attach: bool) -> str:
    version = delivery.version
    summary = version.summary
    where = (
        "The summary is attached as a PDF."
        if attach
        else "Read or download it here (you will be asked to sign in):\n"
        + link(app_path("reports.version_pdf", summary_id=summary.id, number=version.number))
    )
    approved = (
        f" It was approved on {format_date(version.decided_at.astimezone(LONDON).date())}."
        if version.decided_at
        else ""
    )
    return (
        f"The {period_title(summary.period)} summary of {summary.contract.name} for the scrutiny panel "
        f"has been published.{approved}\n\n{where}\n"
    )


def _reminder_body(delivery: Delivery) -> str:
    contract = delivery.schedule.contract
    period = Period.parse(delivery.period_key)
    deadline = rules.return_deadline(period, contract.return_deadline_working_days)
    lines = [
        f"The {period.name} monthly returns for {contract.name} are due on {format_date(deadline)}, "
        f"{contract.return_deadline_working_days} working days after the month ends.",
    ]
    outstanding = outstanding_returns(contract, period)
    if outstanding:
        lines += ["", "Still to come:", *[f"- {item}" for item in outstanding]]
    return "\n".join(lines) + "\n"


def _digest_body(delivery: Delivery) -> str:
    contract = delivery.schedule.contract
    today = delivery.due_at.astimezone(LONDON).date()
    lines = [f"What is overdue or waiting on {contract.name} on {format_date(today)}:"]
    for title, items in digest_for(contract, today):
        lines += ["", title, *[f"- {i.text}" + (f"\n  {link(i.path)}" if i.path else "") for i in items]]
    if len(lines) == 1:
        lines += ["", "Nothing is overdue or waiting."]
    return "\n".join(lines) + "\n"


def _notice_body(delivery: Delivery) -> str:
    schedule = delivery.schedule
    log_link = link(app_path("deliveries.deliveries", contract_id=schedule.contract_id))
    if delivery.period_key.startswith("notice:unpublished:"):
        return (
            f"{delivery.subject}.\n\nThe schedule “{schedule.description}” could not send it. It will go out as soon "
            f"as a director approves the summary, until the next quarter's summary falls due.\n\nSummaries: "
            + link(app_path("reports.index", contract_id=schedule.contract_id))
            + "\n"
        )
    about = db.session.get(Delivery, delivery.about_id) if delivery.about_id else None
    detail = f"\n\nWhat happened: {about.last_error}" if about else ""
    return (
        f"{delivery.subject}.{detail}\n\nThe delivery log shows every email and lets you send one again:\n{log_link}\n"
    )


def build(delivery: Delivery) -> EmailMessage:
    recipient = delivery.recipient
    schedule = delivery.schedule
    greeting = f"Dear {recipient.name},\n\n"
    footer = (
        "\n--\nYou receive this because of the schedule “"
        + schedule.kind.label.lower()
        + f"” on {schedule.contract.name}. Choose what you receive: {link(app_path('deliveries.subscriptions'))}\n"
    )
    attach_pdf = False
    if delivery.purpose is DeliveryPurpose.OWNER_NOTICE:
        body = _notice_body(delivery)
        footer = "\n--\nYou are told because you own this schedule.\n"
    elif schedule.kind is ScheduleKind.QUARTERLY_SUMMARY:
        attach_pdf = _attach(delivery)
        body = _summary_body(delivery, attach_pdf)
    elif schedule.kind is ScheduleKind.RETURN_REMINDER:
        body = _reminder_body(delivery)
    else:
        body = _digest_body(delivery)
    message = mailer.new_message(
        to_name=recipient.name,
        to_address=recipient.email,
        subject=delivery.subject,
        body=greeting + body + footer,
        message_key=f"cm-{delivery.schedule_id}-{delivery.period_key}-{delivery.recipient_id}",
    )
    if attach_pdf:
        mailer.attach_pdf(
            message, rendering.version_pdf(delivery.version), pdf_name(delivery.version.summary, delivery.version)
        )
    return message
