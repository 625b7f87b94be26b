"""Case-file audits through their pages: the trust records an audit and its cases; bad input is named
and nothing is saved; an Inadequate case opens its action plan; the council cannot record audits."""

from __future__ import annotations

from datetime import date

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.meetings.followups import Action
from monitoring.performance.models import AuditedCase, CaseAudit


@pytest.fixture
def scene(f):
    contract = f.create_contract(with_scope=True)
    return {
        "contract": contract,
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
        "council": f.create_user(Role.COMMISSIONER, contract),
    }


def audit_form(**changes) -> dict:
    data = {"period": "2017-08", "kind": "monthly_sample", "theme": "", "completed_on": ["30", "8", "2017"]}
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": "August"}, "Enter the month the audit covers, like 2017-08"),
        ({"period": ""}, "Enter the month the audit covers, like 2017-08"),
        ({"completed_on": ["31", "2", "2017"]}, "Date completed must be a real date"),
        ({"completed_on": ["30", "7", "2017"]}, "The audit cannot be completed before August 2017 began"),
        ({"completed_on": ["30", "8", "2099"]}, "must be today or in the past"),
        ({"kind": "thematic"}, "Enter the theme of the thematic audit"),
    ],
)
def test_a_bad_audit_is_named_and_not_saved(login, scene, changes, message):
    url = f"/contracts/{scene['contract'].id}/case-audits/new"
    response = login(scene["trust"]).post(url, data=audit_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.query(CaseAudit).count() == 0


def test_cases_are_added_and_an_inadequate_one_opens_its_action_plan(login, scene):
    client = login(scene["trust"])
    created = client.post(f"/contracts/{scene['contract'].id}/case-audits/new", data=audit_form())
    assert created.status_code == 302
    audit = db.session.query(CaseAudit).one()
    url = f"/contracts/{scene['contract'].id}/case-audits/{audit.id}/cases"
    assert client.post(url, data={"reference": "C-101", "grade": "good"}).status_code == 302
    refused = [
        ({"reference": "", "grade": "good"}, "Enter the case reference"),
        ({"reference": "C-102"}, "Choose the grade the case was given"),
        ({"reference": "c-101", "grade": "good"}, "Case c-101 is already in this audit"),
        ({"reference": "C-103", "grade": "inadequate"}, "Enter the Head of Service who will monitor the action plan"),
        ({"reference": "C-104", "grade": "excellent"}, "Not a valid choice"),
    ]
    for data, message in refused:
        response = client.post(url, data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert db.session.query(AuditedCase).count() == 1 and db.session.query(Action).count() == 0

    client.post(url, data={"reference": "C-103", "grade": "inadequate", "head_of_service": "Jo Ellis"})
    case = db.session.query(AuditedCase).filter_by(case_reference="C-103").one()
    assert case.reaudit_due == date(2018, 2, 28)
    assert case.action.due_date == date(2018, 2, 28) and case.action.owner_organisation_id == scene["contract"].trust_id

    reaudit = f"{url}/{case.id}/reaudit"
    early = client.post(reaudit, data={"reaudited_on": ["1", "8", "2017"], "grade": "good"})
    assert early.status_code == 400 and "The re-audit must come after the audit it follows up" in early.get_data(
        as_text=True
    )
    done = client.post(reaudit, data={"reaudited_on": ["1", "2", "2018"], "grade": "good"})
    assert done.status_code == 302
    db.session.expire_all()
    assert case.reaudit_grade.value == "good" and case.action.status.value == "done"


def test_the_council_reads_audits_but_does_not_record_them(login, scene):
    client = login(scene["council"])
    assert client.get(f"/contracts/{scene['contract'].id}/case-audits").status_code == 200
    assert client.post(f"/contracts/{scene['contract'].id}/case-audits/new", data=audit_form()).status_code == 403
