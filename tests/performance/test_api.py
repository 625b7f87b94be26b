"""The path a case-management system's export takes: put a month's figures over the API, submit,
be queried, answer, be accepted — then read the computed performance, all in exact decimals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.performance.models import KpiValue


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api(f):
    contract = f.create_contract(with_scope=True)
    seeds = f.create_seed_measures()
    f.create_basket(contract, [seeds["NI66"], seeds["NI43"]])
    people = {role: f.create_user(role, contract) for role in (Role.TRUST_OFFICER, Role.COMMISSIONER)}
    tokens = {role: bearer(f.create_token(person)[1]) for role, person in people.items()}
    return {"contract": contract, "trust": tokens[Role.TRUST_OFFICER], "council": tokens[Role.COMMISSIONER]}


def base(api) -> str:
    return f"/api/v1/contracts/{api['contract'].id}/returns/kpi/2017-08"


def figures() -> dict[str, KpiValue]:
    return {v.indicator.code: v for v in db.session.query(KpiValue)}


GOOD = {
    "values": [
        {"code": "NI66", "numerator": 774, "denominator": 1000},
        {"code": "NI43", "value": 11.35, "commentary": "Sentencing in the west area"},
    ]
}


def test_figures_put_over_the_api_are_kept_exactly(client, api):
    response = client.put(f"{base(api)}/values", json=GOOD, headers=api["trust"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["revisions"][0]["status"] == "draft"
    stored = figures()
    assert stored["NI43"].value == D("11.35") and str(stored["NI43"].value) == "11.35"
    assert (stored["NI66"].numerator, stored["NI66"].denominator) == (D(774), D(1000))


@pytest.mark.parametrize(
    ("values", "key", "message"),
    [
        ([{"code": "NI66", "numerator": 120, "denominator": 100}], "n-NI66", "cannot be more than the denominator"),
        ([{"code": "NI43", "value": -1}], "v-NI43", "NI43 Custodial sentences"),
        ([{"code": "XX99", "value": 1}], "v-XX99", "XX99 is not a measure due in the KPI basket for August 2017"),
        ([{"code": "NI43", "value": 1}, {"code": "NI43", "value": 2}], "v-NI43", "appears twice"),
    ],
)
def test_bad_figures_over_the_api_are_named_and_nothing_is_saved(client, api, values, key, message):
    response = client.put(f"{base(api)}/values", json={"values": values}, headers=api["trust"])
    assert response.status_code == 422
    body = response.get_json()
    assert message in body["errors"][key]
    assert figures() == {}


def test_the_workflow_over_the_api_ends_with_locked_figures(client, api):
    client.put(f"{base(api)}/values", json=GOOD, headers=api["trust"])
    submitted = client.post(f"{base(api)}/submit", headers=api["trust"])
    assert submitted.status_code == 200 and submitted.get_json()["revisions"][0]["status"] == "submitted"
    assert client.post(f"{base(api)}/accept", headers=api["trust"]).status_code == 403
    assert client.put(f"{base(api)}/values", json=GOOD, headers=api["council"]).status_code == 403

    query = client.post(
        f"{base(api)}/queries", json={"subject": "NI66", "question": "Why lower?"}, headers=api["council"]
    )
    assert query.status_code == 201
    unknown = client.post(f"{base(api)}/queries", json={"subject": "ZZ1", "question": "?"}, headers=api["council"])
    assert unknown.status_code == 422 and "Choose the value" in unknown.get_json()["message"]
    early = client.post(f"{base(api)}/resubmit", headers=api["trust"])
    assert early.status_code == 422 and "Answer every query" in early.get_json()["message"]
    answer = client.post(
        f"{base(api)}/queries/{query.get_json()['id']}/answer", json={"answer": "Sickness"}, headers=api["trust"]
    )
    assert answer.status_code == 200 and answer.get_json()["answer"] == "Sickness"
    assert client.post(f"{base(api)}/resubmit", headers=api["trust"]).status_code == 200
    accepted = client.post(f"{base(api)}/accept", headers=api["council"])
    assert accepted.status_code == 200 and accepted.get_json()["in_force_revision"] == 1

    locked = client.put(f"{base(api)}/values", json={"values": [{"code": "NI43", "value": 1}]}, headers=api["trust"])
    assert locked.status_code == 409 and "accepted and is locked" in locked.get_json()["message"]
    assert figures()["NI43"].value == D("11.35")

    correction = client.post(
        f"{base(api)}/corrections", json={"reason": "Sentences double-counted"}, headers=api["trust"]
    )
    assert correction.status_code == 201
    assert [r["status"] for r in correction.get_json()["revisions"]] == ["accepted", "draft"]


def test_the_council_cannot_read_the_trusts_draft_over_the_api(client, api):
    client.put(f"{base(api)}/values", json=GOOD, headers=api["trust"])
    assert client.get(base(api), headers=api["council"]).status_code == 404
    assert client.get(base(api), headers=api["trust"]).status_code == 200


def test_the_computed_performance_for_a_month(client, api):
    client.put(f"{base(api)}/values", json=GOOD, headers=api["trust"])
    client.post(f"{base(api)}/submit", headers=api["trust"])
    body = client.get(f"/api/v1/contracts/{api['contract'].id}/performance/2017-08", headers=api["council"]).get_json()
    measures = {m["code"]: m for m in body["measures"]}
    assert measures["NI66"]["value"] == "77.4" and measures["NI66"]["rag"] == "amber"
    assert measures["NI66"]["provisional"] is True
    assert measures["NI66"]["national"] == {"comparator": "90.5", "difference": "-13.1", "better": False}
    assert measures["NI43"]["rag"] == "red" and measures["NI43"]["face"] == "unlikely"
    assert body["objectives"][0]["counts"] == {"green": 0, "amber": 1, "red": 1, "grey": 0}


def test_indicator_definitions_and_the_basket(client, api):
    indicators = client.get("/api/v1/indicators", headers=api["council"]).get_json()
    ni66 = next(i for i in indicators if i["code"] == "NI66")
    assert ni66["is_ratio"] is True and ni66["years"][0] == {
        "financial_year": "2017/18",
        "target": "80",
        "tolerance": "5",
        "national": "90.5",
        "neighbours": "88",
    }
    basket = client.get(f"/api/v1/contracts/{api['contract'].id}/kpi-basket/2017-08", headers=api["council"])
    assert [e["code"] for e in basket.get_json()["entries"]] == ["NI66", "NI43"]


def test_another_contracts_member_finds_nothing(client, api, f):
    outsider = f.create_user(Role.COMMISSIONER, f.create_contract())
    headers = bearer(f.create_token(outsider)[1])
    assert client.get(f"/api/v1/contracts/{api['contract'].id}/performance/2017-08", headers=headers).status_code == 404
    assert client.put(f"{base(api)}/values", json=GOOD, headers=headers).status_code in (403, 404)


def test_a_figure_a_float_would_round_arrives_exactly(client, api, f):
    days = f.create_indicator("ADP03", title="Average days to adoption", unit="days", polarity="lower_is_better")
    f.create_basket(api["contract"], [days], starts="2017-08")
    # Seventeen significant digits: as a float this would come back as 1234567890123.4568.
    body = b'{"values": [{"code": "ADP03", "value": 1234567890123.4567}]}'
    response = client.put(f"{base(api)}/values", data=body, content_type="application/json", headers=api["trust"])
    assert response.status_code == 200, response.get_json()
    assert figures()["ADP03"].value == D("1234567890123.4567")
