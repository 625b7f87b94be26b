"""Administrators create and change accounts; bad input is named and nothing is saved."""

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role, User
from monitoring.contracts.models import OrganisationKind
from monitoring.extensions import db


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def admin(f, login):
    user = f.create_user(Role.ADMIN)
    login(user)
    return user


def new_user_form(contract, **overrides):
    data = {
        "email": "new.person@council.example",
        "name": "New Person",
        "role": "commissioner",
        "organisation_id": str(contract.council_id),
        "contract_ids": [str(contract.id)],
        "password": "a long enough passphrase",
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_an_account_with_its_contracts(client, f, admin):
    contract = f.create_contract()
    response = client.post("/admin/users/new", data=new_user_form(contract))
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new.person@council.example"))
    assert person.role is Role.COMMISSIONER
    assert person.contract_ids == {contract.id}
    assert person.check_password("a long enough passphrase")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Enter an email address"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"name": ""}, "Enter the person&#39;s full name"),
        ({"role": ""}, "Select a role"),
        ({"role": "overlord"}, "Not a valid choice"),
        ({"organisation_id": ""}, "Select an organisation"),
        ({"organisation_id": "999999"}, "Select an organisation from the list"),
        ({"password": "short"}, "Password must be 12 characters or more"),
        ({"role": "trust_officer"}, "must belong to a trust"),
        ({"contract_ids": ["999999"]}, "is not a valid choice"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client, f, admin, overrides, message):
    contract = f.create_contract()
    before = count_users()
    response = client.post("/admin/users/new", data=new_user_form(contract, **overrides))
    assert response.status_code == 400
    assert message.encode() in response.data
    assert count_users() == before


def test_a_person_cannot_join_a_contract_their_organisation_is_not_party_to(client, f, admin):
    contract = f.create_contract()
    other = f.create_contract()
    response = client.post("/admin/users/new", data=new_user_form(contract, contract_ids=[str(other.id)]))
    assert response.status_code == 400
    assert b"is not a party to the contract" in response.data
    assert db.session.scalar(select(User).where(User.email == "new.person@council.example")) is None


def test_an_email_cannot_be_used_twice(client, f, admin):
    contract = f.create_contract()
    f.create_user(Role.DIRECTOR, contract, email="new.person@council.example")
    response = client.post("/admin/users/new", data=new_user_form(contract, email="New.Person@Council.example"))
    assert response.status_code == 400
    assert b"There is already an account for new.person@council.example" in response.data


def test_changing_role_and_contracts_is_saved_and_audited(client, f, admin):
    contract = f.create_contract()
    person = f.create_user(Role.COMMISSIONER, contract)
    response = client.post(
        f"/admin/users/{person.id}",
        data={
            "email": person.email,
            "name": "Renamed Person",
            "role": "director",
            "organisation_id": str(contract.council_id),
            "contract_ids": [str(contract.id)],
        },
    )
    assert response.status_code == 302
    person = db.session.get(User, person.id)
    assert (person.name, person.role) == ("Renamed Person", Role.DIRECTOR)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Renamed Person" in page and "director" in page


def test_a_bad_edit_changes_nothing(client, f, admin):
    contract = f.create_contract()
    person = f.create_user(Role.COMMISSIONER, contract)
    response = client.post(
        f"/admin/users/{person.id}",
        data={
            "email": person.email,
            "name": "Changed",
            "role": "trust_officer",
            "organisation_id": str(contract.council_id),
            "contract_ids": [str(contract.id)],
        },
    )
    assert response.status_code == 400
    assert b"must belong to a trust" in response.data
    person = db.session.get(User, person.id)
    assert (person.name, person.role) != ("Changed", Role.TRUST_OFFICER)


def test_an_administrator_sets_a_password(client, f, admin):
    person = f.create_user(Role.COMMISSIONER)
    response = client.post(f"/admin/users/{person.id}/password", data={"new_password": "tiny"})
    assert response.status_code == 400
    assert b"Password must be 12 characters or more" in response.data
    response = client.post(f"/admin/users/{person.id}/password", data={"new_password": "a fresh long passphrase"})
    assert response.status_code == 302
    assert db.session.get(User, person.id).check_password("a fresh long passphrase")


def test_an_administrator_cannot_deactivate_themselves(client, f, admin):
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert b"You cannot deactivate your own account" in response.data
    assert db.session.get(User, admin.id).active is True


def test_users_list_filters(client, f, admin):
    council = f.create_organisation(OrganisationKind.COUNCIL)
    f.create_user(Role.DIRECTOR, organisation=council, name="Helen Ward")
    f.create_user(Role.SCRUTINY, organisation=council, name="Margaret Hale")
    page = client.get("/admin/users?q=helen").get_data(as_text=True)
    assert "Helen Ward" in page and "Margaret Hale" not in page
    page = client.get("/admin/users?role=scrutiny").get_data(as_text=True)
    assert "Margaret Hale" in page and "Helen Ward" not in page
