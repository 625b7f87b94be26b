"""Every demo user signs in through the real form and lands on a home page fit for their role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.demo import load_demo
from monitoring.extensions import db

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"

# (email, heading on their home page, menu items they see, menu items they must not see)
JOURNEYS = [
    ("commissioner@demo.test", "Good to see you, Priya", ["Home", "Contracts", "Your account"], ["Users", "Audit log"]),
    ("trust@demo.test", "Good to see you, Tom", ["Home", "Contracts", "Your account"], ["Users", "Audit log"]),
    ("director@demo.test", "Good to see you, Helen", ["Home", "Contracts", "Your account"], ["Users"]),
    ("scrutiny@demo.test", "Performance summaries for scrutiny", ["Home", "Your account"], ["Contracts", "Users"]),
    ("admin@demo.test", "Administration", ["Users", "Organisations", "Audit log"], ["Contracts"]),
]


@pytest.fixture
def demo() -> None:
    with acting_as(SYSTEM):
        load_demo(PASSWORD)
    db.session.commit()


@pytest.mark.parametrize(("email", "heading", "sees", "hidden"), JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_demo_user_signs_in_and_sees_their_home(demo, new_page, email, heading, sees, hidden) -> None:
    page = new_page()
    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    menu = page.get_by_role("navigation", name="Menu")
    for item in sees:
        expect(menu.get_by_role("link", name=item, exact=True)).to_be_visible()
    for item in hidden:
        expect(menu.get_by_role("link", name=item, exact=True)).to_have_count(0)
    assert accessibility_violations(page) == [], describe(accessibility_violations(page))

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))


def test_wrong_password_is_explained_and_keyboard_alone_can_sign_in(demo, new_page) -> None:
    page = new_page()
    sign_in(page, "commissioner@demo.test", "not the password")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The email address or password is not correct")
    assert accessibility_violations(page) == [], describe(accessibility_violations(page))

    # Keyboard only: skip link first, then the fields in order, Enter submits.
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Email address").focus()
    page.keyboard.type("commissioner@demo.test")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Priya")


def test_commissioner_pages_pass_the_accessibility_check(demo, new_page) -> None:
    page = new_page()
    sign_in(page, "commissioner@demo.test", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Contracts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's social care services contract")
    assert accessibility_violations(page) == [], describe(accessibility_violations(page))
    page.get_by_role("link", name="Change the contract's terms, services and population").click()
    page.get_by_label("Council's share of an overspend").fill("150")
    page.get_by_role("button", name="Save terms").click()
    expect(page.get_by_role("alert")).to_contain_text("between 0 and 100")
    assert accessibility_violations(page) == [], describe(accessibility_violations(page))
