"""Two or more people saving the same thing at the same moment: each gets a result or a clear
"changed by someone else" (409), never a server error, and nothing is lost or doubled.

The app is served in threads against data committed for real; on PostgreSQL (DATABASE_URL) the
requests truly overlap, on SQLite they queue for the write lock."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import LoginAttempt, Role
from monitoring.audit.models import AuditEvent
from monitoring.extensions import db
from monitoring.performance.models import KpiValue

from .conftest import Client, at_once

pytestmark = pytest.mark.committed

PASSWORD = "correct horse battery staple"


@pytest.fixture
def kpi(f, committed):
    def make():
        contract = f.create_contract(with_scope=True)
        seeds = f.create_seed_measures()
        f.create_basket(contract, [seeds["NI66"], seeds["NI43"]])
        trust = [f.create_user(Role.TRUST_OFFICER, contract) for _ in range(3)]
        tokens = [f.create_token(person)[1] for person in trust]
        return {"contract_id": contract.id, "tokens": tokens, "trust": trust}

    return committed(make)


def values_path(kpi) -> str:
    return f"/api/v1/contracts/{kpi['contract_id']}/returns/kpi/2017-08/values"


def test_parallel_saves_of_one_return_each_get_a_result_or_a_conflict(served, kpi):
    """Three officers' systems put the same month's figures at once, fifteen times over."""
    clients = [Client(served, Authorization=f"Bearer {token}") for token in kpi["tokens"]]
    statuses = []
    for round_number in range(15):
        bodies = [{"values": [{"code": "NI43", "value": round_number * 3 + n}]} for n in range(3)]
        responses = at_once(
            [lambda c=c, b=b: c.put(values_path(kpi), json=b) for c, b in zip(clients, bodies, strict=True)]
        )
        for response in responses:
            statuses.append(response.status_code)
            assert response.status_code in (200, 409), response.text
            if response.status_code == 409:  # lost to another save, or opened the month's return at the same moment
                message = response.json()["message"]
                assert "was changed by" in message or "saved the same thing at the same moment" in message
                assert "Your changes have not been saved" in message
        # Whatever happened, one of the values sent that round is what is stored: none lost, none mixed.
        db.session.expire_all()
        stored = db.session.scalars(select(KpiValue.value)).all()
        assert len(stored) == 1 and int(stored[0]) in {round_number * 3 + n for n in range(3)}
        db.session.commit()
    assert 200 in statuses


def test_a_stale_version_is_refused_with_who_changed_it(served, kpi):
    first, second = (Client(served, Authorization=f"Bearer {t}") for t in kpi["tokens"][:2])
    saved = first.put(values_path(kpi), json={"values": [{"code": "NI43", "value": 11}]})
    version = saved.headers["ETag"]
    assert second.put(values_path(kpi), json={"values": [{"code": "NI43", "value": 12}]}).status_code == 200

    stale = first.put(values_path(kpi), json={"values": [{"code": "NI43", "value": 13}]}, headers={"If-Match": version})
    assert stale.status_code == 409
    body = stale.json()
    assert body["changed_by"].startswith(kpi["trust"][1].name) and body["changed_at"]
    assert "Your changes have not been saved" in body["message"]
    db.session.expire_all()
    assert [int(v) for v in db.session.scalars(select(KpiValue.value))] == [12]
    # …and the refusal is in the audit trail, with who tried.
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).one()
    assert refused.user_id == kpi["trust"][0].id and refused.after["status"] == 409
    db.session.commit()

    current = first.get(f"/api/v1/contracts/{kpi['contract_id']}/returns/kpi/2017-08").headers["ETag"]
    fresh = first.put(values_path(kpi), json={"values": [{"code": "NI43", "value": 13}]}, headers={"If-Match": current})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != current


def test_sign_ins_while_another_process_keeps_writing(served, f, committed, busy_writer):
    """`make run`: the scheduler commits every few seconds while people sign in. On SQLite a sign-in
    that read before the scheduler's commit and wrote after it used to fail with "database is locked"."""
    emails = committed(
        lambda: [f.create_user(Role.COMMISSIONER, email=f"person{n}@council.test").email for n in range(8)]
    )
    for _round in range(3):
        clients = [Client(served) for _ in range(24)]  # 24 people who have not signed in yet
        calls = [
            lambda c=c, n=n: c.post("/sign-in", data={"email": emails[n % 8], "password": PASSWORD})
            for n, c in enumerate(clients)
        ]
        for response in at_once(calls):
            assert response.status_code == 302, response.text[:500]
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 72
    db.session.commit()


def test_parallel_wrong_passwords_for_one_account_are_checked_at_most_five_times(served, f, committed):
    email = committed(lambda: f.create_user(Role.COMMISSIONER, email="target@council.test").email)
    clients = [Client(served) for _ in range(30)]
    responses = at_once(
        [lambda c=c: c.post("/sign-in", data={"email": email, "password": "a wrong guess"}) for c in clients]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 5 and statuses.count(429) == 25, statuses
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5
    db.session.commit()
