"""Pure decisions about accounts: where to go after sign-in, when to refuse sign-in, passwords."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only if it is a path on this site ("/contracts/1"), else None.

    Refuses absolute URLs, scheme-relative ones ("//evil.example") and backslash tricks
    ("/\\evil.example"), which browsers treat as "//".
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@dataclass(frozen=True)
class SignInThrottle:
    allowed: bool
    retry_after_seconds: int = 0

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _recent_failures(
    attempts: Iterable[tuple[datetime, bool]], since: datetime, success_resets: bool
) -> list[datetime]:
    """Failures after `since` (and, where a success resets the count, after the most recent success)."""
    failures: list[datetime] = []
    for at, succeeded in sorted(attempts):
        if at <= since:
            continue
        if succeeded:
            if success_resets:
                failures.clear()
        else:
            failures.append(at)
    return failures


def sign_in_throttle(
    account_attempts: Iterable[tuple[datetime, bool]],
    address_attempts: Iterable[tuple[datetime, bool]],
    now: datetime,
    window: timedelta,
    max_account_failures: int,
    max_address_failures: int,
) -> SignInThrottle:
    """Refuse sign-in while an account, or an address, has too many recent failures.

    Attempts are (time, succeeded). An account's count starts again when that account signs in
    (the person got their password right); an address's never does, or someone guessing other
    people's passwords could clear it by signing in to their own account now and then. The refusal
    lasts until the oldest counted failure leaves the window, so a person who waits can always try again.
    """
    since = now - window
    for attempts, limit, resets in (
        (account_attempts, max_account_failures, True),
        (address_attempts, max_address_failures, False),
    ):
        failures = _recent_failures(attempts, since, resets)
        if len(failures) >= limit:
            oldest_counted = failures[-limit]
            wait = (oldest_counted + window - now).total_seconds()
            return SignInThrottle(False, max(1, math.ceil(wait)))
    return SignInThrottle(True)


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a new password is unacceptable, or None. Length matters more than character rules (NCSC)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    lowered = password.lower()
    if email and lowered == email.lower():
        return "Password must not be your email address"
    if email and lowered in email.lower():
        return "Password must not be part of your email address"
    if name and lowered == name.lower():
        return "Password must not be your name"
    if len(set(password)) < 4:
        return "Password must not repeat the same few characters"
    return None
