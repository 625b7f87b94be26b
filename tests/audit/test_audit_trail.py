"""Every write records when (UTC), who, their organisation, what, and the values before and after."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from monitoring.accounts.models import Role
from monitoring.audit.models import AuditEvent
from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.contracts import operations
from monitoring.contracts.models import Contract
from monitoring.extensions import db


def events_for(object_type: str, object_id) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.id)
        )
    )


def test_a_change_through_the_web_is_recorded_with_who_and_what(client, f, login):
    contract = f.create_contract(with_scope=True)
    commissioner = f.create_user(Role.COMMISSIONER, contract)
    login(commissioner)
    started = datetime.now(UTC) - timedelta(seconds=1)
    client.post(
        f"/contracts/{contract.id}/settings",
        data={
            "name": contract.name,
            "start_date": ["1", "10", "2014"],
            "council_share": "65",
            "gain_share": "retained_by_trust",
            "return_deadline_working_days": "10",
            "finance_explanation_threshold": "50000",
            "notes": "",
        },
    )
    event = events_for("Contract", contract.id)[-1]
    assert event.action == "update"
    assert event.user_id == commissioner.id
    assert event.organisation_id == contract.council_id
    assert event.contract_id == contract.id
    assert event.before == {"council_share": "70.00"}
    assert event.after == {"council_share": "65.00"}
    assert started <= event.at <= datetime.now(UTC)
    assert event.at.tzinfo is UTC


def test_creation_and_deletion_record_the_whole_object(f, client, login):
    contract = f.create_contract(with_scope=True)
    login(f.create_user(Role.COMMISSIONER, contract))
    client.post(
        f"/contracts/{contract.id}/services/new",
        data={"name": "Early Help", "transferred_on": ["1", "4", "2017"], "description": ""},
    )
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.object_label == "Early Help"))
    assert created.action == "create"
    assert created.before is None
    assert created.after["transferred_on"] == "2017-04-01"
    client.post(f"/contracts/{contract.id}/services/{created.object_id}/remove")
    deleted = events_for("ContractService", created.object_id)[-1]
    assert deleted.action == "delete"
    assert deleted.before["name"] == "Early Help"
    assert deleted.after is None


def test_secrets_are_never_written_to_the_trail(client, f, login):
    admin = f.create_user(Role.ADMIN)
    person = f.create_user(Role.COMMISSIONER)
    login(admin)
    client.post(f"/admin/users/{person.id}/password", data={"new_password": "a fresh long passphrase"})
    event = events_for("User", person.id)[-1]
    assert event.action == "change_password"
    assert event.after["password_hash"] == "(hidden)"
    assert event.before["password_hash"] == "(hidden)"
    assert "scrypt" not in str(event.after) and "scrypt" not in str(event.before)


def test_named_actions_and_writes_by_the_system(f):
    contract = f.create_contract()
    with acting_as(SYSTEM):
        operations.set_population(contract, financial_year="2019/20", children=66_000)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "ChildPopulation"))
    assert (event.user_id, event.organisation_id, event.contract_id) == (None, None, contract.id)


def test_an_unchanged_save_records_nothing(client, f, login):
    contract = f.create_contract()
    login(f.create_user(Role.COMMISSIONER, contract))
    before = len(events_for("Contract", contract.id))
    client.post(
        f"/contracts/{contract.id}/settings",
        data={
            "name": contract.name,
            "start_date": ["1", "10", "2014"],
            "council_share": "70",
            "gain_share": "retained_by_trust",
            "return_deadline_working_days": "10",
            "finance_explanation_threshold": "50000",
            "notes": "",
        },
    )
    assert len(events_for("Contract", contract.id)) == before


def test_a_refused_change_leaves_no_trace(client, f, login):
    contract = f.create_contract()
    login(f.create_user(Role.COMMISSIONER, contract))
    before = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    client.post(f"/contracts/{contract.id}/populations/new", data={"financial_year": "2019/20", "children": "0"})
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == before


def test_administrators_read_the_log_and_each_object_shows_its_history(client, f, login):
    contract = f.create_contract()
    person = f.create_user(Role.DIRECTOR, contract, name="Helen Ward")
    admin = f.create_user(Role.ADMIN)
    login(admin)
    client.post(
        f"/admin/users/{person.id}",
        data={
            "email": person.email,
            "name": "Helen Ward-Smith",
            "role": "director",
            "organisation_id": str(contract.council_id),
            "contract_ids": [str(contract.id)],
        },
    )
    log = client.get("/admin/audit?object_type=User").get_data(as_text=True)
    assert "Helen Ward-Smith" in log
    assert admin.name in log
    own = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Helen Ward" in own and "Helen Ward-Smith" in own


def test_only_administrators_read_the_whole_log_and_members_read_their_contracts_history(client, f, login):
    contract = f.create_contract()
    login(f.create_user(Role.DIRECTOR, contract))
    assert client.get("/admin/audit").status_code == 403
    assert client.get(f"/contracts/{contract.id}/history").status_code == 200
    login(f.create_user(Role.TRUST_OFFICER, contract))
    assert client.get(f"/contracts/{contract.id}/history").status_code == 403
    login(f.create_user(Role.DIRECTOR, f.create_contract()))
    assert client.get(f"/contracts/{contract.id}/history").status_code == 404


def test_contract_history_lists_only_that_contracts_changes(client, f, login):
    mine, theirs = f.create_contract(name="Mine"), f.create_contract(name="Theirs")
    with acting_as(SYSTEM):
        operations.set_population(mine, financial_year="2019/20", children=11_111)
        operations.set_population(theirs, financial_year="2019/20", children=22_222)
    login(f.create_user(Role.COMMISSIONER, mine))
    page = client.get(f"/contracts/{mine.id}/history").get_data(as_text=True)
    assert "11111" in page
    assert "22222" not in page
    assert db.session.get(Contract, mine.id) is not None
