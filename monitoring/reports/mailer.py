"""Sending one email over SMTP with the MAIL_* settings (README "Configuration").

The conversation is held step by step so that we know how far it got. Up to the server's
"354 go ahead" nothing has been handed over: any failure means the message was not sent, and it
may be tried again. Once the message's text has started to go, only the server's final reply says
whether it was taken; if that reply never comes (a timeout, a dropped connection) the message may
well have been delivered, so `MailUnconfirmed` is raised and the message is never sent again
without a person deciding to. After a final "250", nothing that goes wrong matters any more.
"""

from __future__ import annotations

import io
import re
import smtplib
import ssl
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import formataddr, getaddresses

from flask import current_app

CRLF = b"\r\n"


class MailError(RuntimeError):
    """The mail server did not take the message; the text says why. Safe to try again."""


class MailUnconfirmed(MailError):
    """The message was handed to the mail server but it never confirmed taking it: it may have been
    delivered. Never sent again automatically."""


def message_id(key: str, domain: str) -> str:
    """A Message-ID made only from the ledger key: the same on every attempt and every resend, so a
    receiving system can drop a duplicate too."""
    return f"<{re.sub(r'[^A-Za-z0-9.-]', '-', key)}@{domain}>"


def new_message(*, to_name: str, to_address: str, subject: str, body: str, message_key: str) -> EmailMessage:
    """A plain-text message; `message_key` names its ledger row and makes its Message-ID."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((config["SERVICE_NAME"] + " – " + config["COUNCIL_NAME"], config["MAIL_FROM"]))
    message["To"] = formataddr((to_name, to_address))
    message["Subject"] = subject
    domain = config["MAIL_FROM"].rpartition("@")[2] or "localhost"
    message["Message-ID"] = message_id(message_key, domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def attach_pdf(message: EmailMessage, pdf: bytes, filename: str) -> None:
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    if config["MAIL_USE_TLS"]:
        smtp.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def _wire_text(message: EmailMessage) -> bytes:
    """The message as it goes over the wire: CRLF line ends, a leading dot doubled, the final dot."""
    buffer = io.BytesIO()
    BytesGenerator(buffer, policy=message.policy.clone(linesep="\r\n")).flatten(message)
    text = re.sub(rb"(?m)^\.", b"..", buffer.getvalue())
    if not text.endswith(CRLF):
        text += CRLF
    return text + b"." + CRLF


def _envelope(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """MAIL FROM and RCPT TO: refusals here mean nothing was sent."""
    sender = getaddresses([message["From"]])[0][1]
    recipients = [address for _, address in getaddresses(message.get_all("To", []))]
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


def send(message: EmailMessage) -> None:
    """Hand `message` to the mail server. MailError: not sent (try again). MailUnconfirmed: handed
    over without a confirmation (do not try again unasked)."""
    handed_over = accepted = False
    smtp: smtplib.SMTP | None = None
    try:
        smtp = _connect()
        _envelope(smtp, message)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        handed_over = True
        smtp.send(_wire_text(message))
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)  # a clear "no" after the text: it was not taken
        accepted = True
    except smtplib.SMTPResponseException as error:
        raise MailError(_describe(error)) from error
    except (smtplib.SMTPException, OSError) as error:
        if handed_over:
            raise MailUnconfirmed(
                "the message was handed to the mail server, which did not confirm it "
                f"({_describe(error)}): it may or may not have been delivered"
            ) from error
        raise MailError(_describe(error)) from error
    finally:
        if smtp is not None:
            _hang_up(smtp, accepted)


def _hang_up(smtp: smtplib.SMTP, accepted: bool) -> None:
    """Say goodbye; once the message was accepted, a failure to do so changes nothing."""
    try:
        smtp.quit() if accepted else smtp.close()
    except (smtplib.SMTPException, OSError):
        smtp.close()


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
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"the mail server closed the connection ({error})"
    return f"{type(error).__name__}: {error}"
