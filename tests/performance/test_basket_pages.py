"""A contract's KPI basket through its pages: commissioners revise it from a month on, every earlier
version stays readable with its measures, the trust reads it; bad input is named and nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.performance import queries
from monitoring.performance.models import Basket, BasketEntry


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)  # started 1 October 2014
    safe = f.create_objective("Keeping children safe", position=1)
    care = f.create_objective("Children in care", position=2)
    repeat = f.create_indicator("CP05", title="Repeat protection plans", objective=safe, polarity="lower_is_better")
    reviews = f.create_indicator("CLA07", title="Looked-after reviews on time", objective=care)
    moves = f.create_indicator("CLA04", title="Three or more placements", objective=care, polarity="lower_is_better")
    f.create_basket(contract, [repeat, reviews], starts="2017-04", reason="Agreed at the 2017 annual review")
    return {
        "contract": contract,
        "repeat": repeat,
        "reviews": reviews,
        "moves": moves,
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
    }


def url(s, tail: str = "") -> str:
    return f"/contracts/{s['contract'].id}/basket{tail}"


def revision(s, **overrides):
    data = {
        "effective_from": "2018-04",
        "reason": "Agreed at the 2018 annual contract review",
        "indicators": [str(s["repeat"].id), str(s["moves"].id)],
        "required": [str(s["repeat"].id)],
    }
    data.update(overrides)
    return data


def codes(basket) -> list[tuple[str, bool]]:
    return [(e.indicator.code, e.required) for e in basket.entries]


def test_the_form_starts_from_the_basket_in_force_grouped_by_objective(login, client, setting):
    login(setting["commissioner"])
    page = client.get(url(setting, "/new"))
    assert page.status_code == 200
    text = page.text
    for key in ("repeat", "reviews"):
        assert f'name="indicators" type="checkbox" value="{setting[key].id}" checked' in text
    assert f'name="indicators" type="checkbox" value="{setting["moves"].id}" data-aria-controls' in text
    assert text.index("Keeping children safe</legend>") < text.index("CP05") < text.index("Children in care</legend>")
    # Every measure has its own labelled "required" box, so the form works by keyboard and screen reader.
    assert f'<label class="govuk-label govuk-checkboxes__label" for="required-{setting["moves"].id}">Required' in text


def test_a_commissioner_revises_the_basket_from_a_later_month_and_the_old_version_stays(login, client, setting):
    login(setting["commissioner"])
    response = client.post(url(setting, "/new"), data=revision(setting))
    assert response.status_code == 302
    assert response.headers["Location"] == url(setting)
    old, new = queries.baskets(setting["contract"].id)
    assert codes(old) == [("CP05", True), ("CLA07", True)]
    assert codes(new) == [("CP05", True), ("CLA04", False)]
    assert (new.first_period, new.reason) == (Period(2018, 4), "Agreed at the 2018 annual contract review")
    assert new.created_by_id == setting["commissioner"].id
    # Each month reads the version in force for it.
    assert codes(queries.basket_for(setting["contract"].id, Period(2017, 8))) == codes(old)
    assert codes(queries.basket_for(setting["contract"].id, Period(2018, 5))) == codes(new)

    text = client.get(url(setting)).text
    assert "KPI basket from April 2018 saved with 2 measures" in text
    assert "From April 2018" in text and "From April 2017 to March 2018" in text
    assert "Agreed at the 2017 annual review" in text and setting["commissioner"].name in text
    replaced = text[text.index("From April 2017 to March 2018") :]
    assert "CLA07" in replaced and "Looked-after reviews on time" in replaced
    assert "Optional" in text[: text.index("From April 2017 to March 2018")]


def test_the_trust_reads_the_basket_but_cannot_revise_it(login, client, setting):
    login(setting["trust"])
    page = client.get(url(setting))
    assert page.status_code == 200
    assert "CP05" in page.text and "In force now" in page.text
    assert "Revise the basket" not in page.text
    assert page.text.count('aria-current="page"') == 1  # only "KPI basket" is the current section
    assert client.get(url(setting, "/new")).status_code == 403
    assert client.post(url(setting, "/new"), data=revision(setting)).status_code == 403
    assert count(Basket) == 1


def test_another_contracts_commissioner_sees_nothing(login, client, f, setting):
    elsewhere = f.create_contract()
    login(f.create_user(Role.COMMISSIONER, elsewhere))
    assert client.get(url(setting)).status_code == 404
    assert client.post(url(setting, "/new"), data=revision(setting)).status_code == 404
    assert count(Basket) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"indicators": []}, "Choose at least one measure for the basket"),
        ({"indicators": ["999999"]}, "Choose measures from the list"),
        ({"effective_from": "2014-09"}, "The basket cannot start before the contract did"),
        ({"effective_from": "April 2018"}, "Enter the first month as YYYY-MM, for example 2018-04"),
        ({"effective_from": "2018-13"}, "Enter the first month as YYYY-MM, for example 2018-04"),
        ({"effective_from": ""}, "Enter the first month the new basket applies to"),
        ({"effective_from": "2017-04"}, "There is already a basket starting in April 2017"),
        ({"reason": ""}, "Enter why the basket is changing (for example, the annual contract review)"),
        ({"reason": "   "}, "Enter why the basket is changing (for example, the annual contract review)"),
    ],
)
def test_bad_input_is_shown_again_and_nothing_is_saved(login, client, setting, overrides, message):
    login(setting["commissioner"])
    response = client.post(url(setting, "/new"), data=revision(setting, **overrides))
    assert response.status_code == 400
    assert message.encode() in response.data
    assert b"There is a problem" in response.data
    assert count(Basket) == 1 and count(BasketEntry) == 2


def test_a_basket_cannot_start_where_returns_have_been_accepted(login, client, f, setting):
    contract = setting["contract"]
    f.create_kpi_return(contract, "2017-08", {"CP05": 18, "CLA07": 90}, status="accepted")
    login(setting["commissioner"])
    response = client.post(url(setting, "/new"), data=revision(setting, effective_from="2017-06"))
    assert response.status_code == 400
    assert "KPI returns from June 2017 on have been accepted against the basket then in force" in response.text
    assert count(Basket) == 1
    # From the month after the last accepted return it is allowed.
    assert client.post(url(setting, "/new"), data=revision(setting, effective_from="2017-09")).status_code == 302
    assert count(Basket) == 2
