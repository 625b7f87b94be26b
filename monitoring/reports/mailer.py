"""Sending one email over SMTP with the MAIL_* settings (README "Configuration")."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app


class MailError(RuntimeError):
    """The mail server did not take the message; the text says why."""


def new_message(*, to_name: str, to_address: str, subject: str, body: str, message_key: str) -> EmailMessage:
    """A plain-text message; `message_key` makes a Message-ID that is the same on every retry."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["SERVICE_NAME"] + " – " + config["COUNCIL_NAME"], config["MAIL_FROM"]))
    message["To"] = formataddr((to_name, to_address))
    message["Subject"] = subject
    domain = config["MAIL_FROM"].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=message_key, domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def attach_pdf(message: EmailMessage, pdf: bytes, filename: str) -> None:
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)


def send(message: EmailMessage) -> None:
    """Hand `message` to the mail server; raise MailError if it is not accepted."""
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    try:
        if config["MAIL_USE_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            refused = smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(_describe(error)) from error
    if refused:
        raise MailError(f"the mail server refused {', '.join(refused)}")


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        )
        return f"the mail server answered {error.smtp_code}: {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the recipient: " + "; ".join(
            f"{code} {msg.decode(errors='replace')}" for code, msg in error.recipients.values()
        )
    if isinstance(error, ConnectionRefusedError):
        return "could not connect to the mail server (connection refused)"
    if isinstance(error, TimeoutError):
        return "the mail server did not answer in time"
    return f"{type(error).__name__}: {error}"
