"""The finance API: a month's return with every figure as a string of pounds, putting the whole return
(all or nothing, problems named by line), the care ladder and the computed risk share with the revision
it comes from."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.finance.models import RevenueLine
from monitoring.returns import operations as workflow
from monitoring.returns.models import MonthlyReturn


@pytest.fixture
def api(f, client):
    contract = f.create_contract(with_scope=True)
    people = {role: f.create_user(role, contract) for role in (Role.TRUST_OFFICER, Role.COMMISSIONER, Role.DIRECTOR)}

    def call(role, method, path, **kwargs):
        _, secret = f.create_token(people[role])
        return client.open(
            f"/api/v1/contracts/{contract.id}{path}",
            method=method,
            headers={"Authorization": f"Bearer {secret}"},
            **kwargs,
        )

    return {"contract": contract, "people": people, "call": call}


BODY = {
    "revenue": [
        {
            "service_area": "Children in care placements",
            "gross_budget": "24,500,000",
            "net_budget": 23800000,
            "forecast_outturn": 25280000.00,
            "explanation": "More out-of-authority placements",
        },
        {
            "service_area": "Youth offending",
            "gross_budget": "2600000",
            "net_budget": "1900000",
            "forecast_outturn": 0.1,
        },
    ],
    "care_ladder": [
        {
            "category": "Out of authority residential",
            "contracted_volume": 21,
            "unit_contract_value": "180000",
            "actual_activity": 31,
            "forecast_activity": 30.5,
            "forecast_unit_cost": "170000.00",
            "explanation": "Ten more placements",
        }
    ],
    "funding": [{"description": "Additional care ladder funding", "amount": "1100000", "agreed_on": "2017-04-01"}],
    "savings": [{"description": "Agency", "target": "600000", "forecast_delivery": "420000"}],
    "capital": [{"scheme": "Carr House", "revised_budget": 1400000, "forecast": 1250000, "actual_to_date": 0.2}],
    "position": {"trust_reserves": "70000", "agency_staff": 87.5, "agency_cost": "3400000", "commentary": ""},
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_trust_puts_a_whole_return_and_reads_it_back_exactly(api):
    call = api["call"]
    response = call(Role.TRUST_OFFICER, "PUT", "/returns/finance/2017-08/figures", json=BODY)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["period"] == "2017-08" and data["provisional"] is True and data["source"]["status"] == "draft"
    youth = data["revenue"][1]
    assert (youth["forecast_outturn"], youth["variance"]) == ("0.10", "-1899999.90")
    ladder = data["care_ladder"][0]
    assert ladder["forecast_activity"] == "30.5" and ladder["forecast_cost"] == "5185000.00"
    assert data["capital"][0]["actual_to_date"] == "0.20"
    assert data["trust"]["agency_staff"] == "87.5"
    assert data["totals"]["net_variance"] == "-419999.90"
    assert data["funding"][0]["agreed_on"] == "2017-04-01"
    again = call(Role.TRUST_OFFICER, "GET", "/returns/finance/2017-08/figures")
    assert again.json["revenue"] == data["revenue"]
    # The council does not see the trust's draft.
    assert call(Role.COMMISSIONER, "GET", "/returns/finance/2017-08/figures").status_code == 404


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (
            lambda b: b["revenue"][1].update(net_budget="lots"),
            "revenue-2-net_budget",
            "Youth offending: the net budget must be a number",
        ),
        (
            lambda b: b["revenue"][1].update(net_budget="-1"),
            "revenue-2-net_budget",
            "Youth offending: the net budget cannot be negative",
        ),
        (
            lambda b: b["revenue"][1].update(service_area="children in care placements"),
            "revenue-2-service_area",
            "appears twice",
        ),
        (
            lambda b: b["care_ladder"][0].update(category="Boarding school"),
            "care_ladder-1-category",
            "Boarding school is not a placement category",
        ),
        (
            lambda b: b["funding"][0].update(agreed_on="2017-02-30"),
            "funding-1-agreed_on",
            "the date agreed must be a real date",
        ),
        (lambda b: b["position"].update(trust_reserves="-5"), "position-1-trust_reserves", "cannot be negative"),
    ],
)
def test_a_bad_figure_is_named_by_its_line_and_nothing_is_saved(api, change, key, message):
    body = copy.deepcopy(BODY)
    change(body)
    response = api["call"](Role.TRUST_OFFICER, "PUT", "/returns/finance/2017-08/figures", json=body)
    assert response.status_code == 422
    assert message in response.json["errors"][key]
    assert count(RevenueLine) == 0 and count(MonthlyReturn) == 0


def test_a_figure_of_the_wrong_type_is_refused(api):
    body = {"revenue": [{"service_area": "X", "net_budget": [1]}]}
    response = api["call"](Role.TRUST_OFFICER, "PUT", "/returns/finance/2017-08/figures", json=body)
    assert response.status_code == 422 and "strings of pounds" in str(response.json)


def test_accepted_figures_are_locked_through_the_api_and_only_the_trust_puts_figures(f, api):
    call, people = api["call"], api["people"]
    assert call(Role.COMMISSIONER, "PUT", "/returns/finance/2017-08/figures", json=BODY).status_code == 403
    f.create_finance_return(
        api["contract"], "2017-08", user=people[Role.TRUST_OFFICER], reviewer=people[Role.COMMISSIONER]
    )
    locked = call(Role.TRUST_OFFICER, "PUT", "/returns/finance/2017-08/figures", json=BODY)
    assert locked.status_code == 409 and "accepted and is locked" in locked.json["message"]
    figures = call(Role.DIRECTOR, "GET", "/returns/finance/2017-08/figures").json
    assert figures["revenue"][4]["forecast_outturn"] == "1870000.00"  # unchanged


def test_the_computed_risk_share_is_the_seeds_with_its_revision(f, api):
    people = api["people"]
    monthly = f.create_finance_return(api["contract"], "2017-09", status="submitted", user=people[Role.TRUST_OFFICER])
    share = api["call"](Role.DIRECTOR, "GET", "/finance/2017-09/risk-share")
    assert share.status_code == 200
    data = share.json
    assert (data["net_variance"], data["council_share"], data["trust_share"]) == (
        "1630000.00",
        "1141000.00",
        "489000.00",
    )
    assert (data["trust_reserves"], data["shortfall"], data["council_exposure"]) == (
        "70000.00",
        "419000.00",
        "1560000.00",
    )
    assert (data["revision_id"], data["status"], data["provisional"]) == (monthly.latest.id, "submitted", True)
    assert data["source"]["revision"] == 1
    assert "the council also meets the shortfall of £0.42m" in data["words"][1]
    workflow.accept(monthly.latest, people[Role.COMMISSIONER])
    db.session.flush()
    accepted = api["call"](Role.DIRECTOR, "GET", "/finance/2017-09/risk-share").json
    assert (accepted["status"], accepted["provisional"]) == ("accepted", False)


def test_an_overspend_with_no_reserves_recorded_has_no_known_shortfall(f, api):
    """Unknown is not zero: a client must be able to tell "covered" from "not known"."""
    f.create_finance_return(api["contract"], "2017-09", f.finance_figures(reserves=None), status="submitted")
    data = api["call"](Role.DIRECTOR, "GET", "/finance/2017-09/risk-share").json
    assert (data["net_variance"], data["council_share"]) == ("1630000.00", "1141000.00")
    assert (data["trust_reserves"], data["trust_covered"], data["shortfall"], data["council_exposure"]) == (
        None,
        None,
        None,
        None,
    )
    assert "not known" in data["words"][1]
    covered = f.finance_figures(reserves="600000")
    f.create_finance_return(api["contract"], "2017-10", covered, status="submitted")
    data = api["call"](Role.DIRECTOR, "GET", "/finance/2017-10/risk-share").json
    assert (data["shortfall"], data["council_exposure"]) == ("0.00", "1141000.00")


def test_an_underspend_follows_the_gain_share_and_no_reserves_means_no_known_shortfall(f, api):
    figures = f.finance_figures(
        revenue=[("Youth offending", "2600000", "1900000", "1400000", "Fewer remands")], reserves=None
    )
    f.create_finance_return(api["contract"], "2017-09", figures, status="submitted")
    data = api["call"](Role.COMMISSIONER, "GET", "/finance/2017-09/risk-share").json
    assert (data["net_variance"], data["gain_to_trust"], data["gain_to_council"]) == ("-500000.00", "500000.00", "0.00")
    assert data["trust_reserves"] is None and data["shortfall"] == "0.00"


def test_the_care_ladder_for_a_month(f, api):
    f.create_finance_return(api["contract"], "2017-09", status="submitted")
    data = api["call"](Role.TRUST_OFFICER, "GET", "/finance/2017-09/care-ladder").json
    assert [r["category"] for r in data["care_ladder"]][0] == "Out of authority residential"
    assert data["care_ladder"][0]["variance"] == "1490000.00" and data["variance"] == "1508400.00"
    assert api["call"](Role.TRUST_OFFICER, "GET", "/finance/2017-10/care-ladder").status_code == 404
    assert api["call"](Role.TRUST_OFFICER, "GET", "/finance/next-month/care-ladder").status_code == 404


def test_another_contracts_people_and_scrutiny_cannot_read_it(f, api, client):
    f.create_finance_return(api["contract"], "2017-09", status="submitted")
    outsider = f.create_user(Role.COMMISSIONER, f.create_contract())
    _, secret = f.create_token(outsider)
    path = f"/api/v1/contracts/{api['contract'].id}/finance/2017-09/risk-share"
    assert client.get(path, headers={"Authorization": f"Bearer {secret}"}).status_code == 404
    scrutiny = f.create_user(Role.SCRUTINY, api["contract"])
    _, secret = f.create_token(scrutiny)
    assert client.get(path, headers={"Authorization": f"Bearer {secret}"}).status_code == 403
