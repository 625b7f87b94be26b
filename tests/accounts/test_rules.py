"""Pure account rules: where sign-in may send you, when it is refused, which passwords are accepted."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.accounts.rules import password_problem, safe_next_url, sign_in_throttle


@pytest.mark.parametrize(
    ("target", "result"),
    [
        ("/contracts/1", "/contracts/1"),
        ("/contracts/1?tab=history", "/contracts/1?tab=history"),
        ("/", "/"),
        (None, None),
        ("", None),
        ("https://evil.example/", None),
        ("http://localhost/contracts", None),
        ("//evil.example/path", None),
        ("/\\evil.example", None),
        ("\\\\evil.example", None),
        ("javascript:alert(1)", None),
        ("contracts/1", None),
        ("/contracts\r\nSet-Cookie: x=1", None),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # stays a path on this site
    ],
)
def test_next_only_follows_same_site_relative_paths(target, result) -> None:
    assert safe_next_url(target) == result


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def failures(*minutes_ago: int) -> list[tuple[datetime, bool]]:
    return [(NOW - timedelta(minutes=m), False) for m in minutes_ago]


@pytest.mark.parametrize(
    ("account", "address", "allowed", "wait_minutes"),
    [
        ([], [], True, 0),
        (failures(1, 2, 3, 4), [], True, 0),  # four failures: still allowed
        (failures(1, 2, 3, 4, 5), [], False, 10),  # fifth: refused until the oldest counted leaves the window
        (failures(1, 2, 3, 4, 16), [], True, 0),  # one of them is outside the window
        (failures(1, 2, 3, 4) + [(NOW - timedelta(minutes=5), True)] + failures(6, 7), [], True, 0),
        ([], [(NOW - timedelta(seconds=30 * n), False) for n in range(20)], False, 0),  # 20 from one address
        ([], [(NOW - timedelta(seconds=30 * n), False) for n in range(19)], True, 0),
    ],
)
def test_repeated_failures_refuse_sign_in(account, address, allowed, wait_minutes) -> None:
    decision = sign_in_throttle(account, address, NOW, WINDOW, 5, 20)
    assert decision.allowed is allowed
    if not allowed and wait_minutes:
        assert decision.retry_after_minutes == wait_minutes


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("correct horse battery staple", None),
        ("short", "12 characters or more"),
        ("aaaaaaaaaaaaaaaa", "repeat the same few characters"),
        ("priya.shah@demo.test", "must not be your email address"),
        ("x" * 201, "200 characters or fewer"),
    ],
)
def test_password_rules(password, problem) -> None:
    result = password_problem(password, email="priya.shah@demo.test", name="Priya Shah")
    if problem is None:
        assert result is None
    else:
        assert problem in result
