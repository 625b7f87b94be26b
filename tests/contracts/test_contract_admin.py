"""Setting up organisations and contracts, and changing a contract's terms, services and population."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.contracts.models import ChildPopulation, Contract, ContractService, GainShare, Organisation
from monitoring.contracts.models import OrganisationKind as Kind
from monitoring.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(f, login):
    user = f.create_user(Role.ADMIN)
    login(user)
    return user


def test_organisations_are_added_with_their_kind(client, admin):
    assert (
        client.post("/admin/organisations/new", data={"name": "Doncaster Council", "kind": "council"}).status_code
        == 302
    )
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Doncaster Council"))
    assert organisation.kind is Kind.COUNCIL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "council"}, "Enter the organisation&#39;s name"),
        ({"name": "A Trust", "kind": ""}, "Select whether this is a council or a trust"),
        ({"name": "A Trust", "kind": "charity"}, "Not a valid choice"),
        ({"name": "x" * 201, "kind": "trust"}, "Name must be 200 characters or fewer"),
    ],
)
def test_bad_organisations_are_refused(client, admin, data, message):
    before = count(Organisation)
    response = client.post("/admin/organisations/new", data=data)
    assert response.status_code == 400
    assert message.encode() in response.data
    assert count(Organisation) == before


def test_an_organisation_name_is_unique_and_a_party_keeps_its_kind(client, f, admin):
    contract = f.create_contract()
    response = client.post("/admin/organisations/new", data={"name": contract.council.name.upper(), "kind": "council"})
    assert response.status_code == 400
    assert b"There is already an organisation called" in response.data
    response = client.post(f"/admin/organisations/{contract.council_id}", data={"name": "Renamed", "kind": "trust"})
    assert response.status_code == 400
    assert b"is a party to a contract, so its type cannot change" in response.data
    assert db.session.get(Organisation, contract.council_id).kind is Kind.COUNCIL


def contract_form(council, trust, **overrides):
    data = {
        "name": "Children's services contract",
        "council_id": str(council.id),
        "trust_id": str(trust.id),
        "start_date": ["1", "10", "2014"],
        "council_share": "70",
        "gain_share": "retained_by_trust",
        "return_deadline_working_days": "10",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_contract(client, f, admin):
    council, trust = f.create_organisation(Kind.COUNCIL), f.create_organisation(Kind.TRUST)
    response = client.post("/admin/contracts/new", data=contract_form(council, trust, council_share="66.5"))
    assert response.status_code == 302
    contract = db.session.scalar(select(Contract))
    assert (contract.council_id, contract.trust_id) == (council.id, trust.id)
    assert contract.start_date == date(2014, 10, 1)
    assert contract.council_share == Decimal("66.50")
    assert contract.gain_share is GainShare.RETAINED_BY_TRUST
    assert response.headers["Location"] == f"/contracts/{contract.id}/settings"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the contract&#39;s name"),
        ({"council_id": ""}, "Select the council"),
        ({"start_date": ["31", "2", "2017"]}, "Start date must be a real date"),
        ({"start_date": ["", "", ""]}, "Enter the date the contract started"),
        ({"council_share": "150"}, "between 0 and 100 percent"),
        ({"council_share": "-1"}, "between 0 and 100 percent"),
        ({"council_share": "seventy"}, "Council&#39;s share of an overspend must be a number"),
        ({"council_share": "70.125"}, "at most two decimal places"),
        ({"return_deadline_working_days": "61"}, "must be between 0 and 60"),
        ({"return_deadline_working_days": "ten"}, "must be a whole number"),
        ({"gain_share": "keep it"}, "Not a valid choice"),
    ],
)
def test_bad_contracts_are_refused(client, f, admin, overrides, message):
    council, trust = f.create_organisation(Kind.COUNCIL), f.create_organisation(Kind.TRUST)
    response = client.post("/admin/contracts/new", data=contract_form(council, trust, **overrides))
    assert response.status_code == 400
    assert message.encode() in response.data
    assert count(Contract) == 0


def test_the_parties_must_be_a_council_and_a_trust(client, f, admin):
    council, trust = f.create_organisation(Kind.COUNCIL), f.create_organisation(Kind.TRUST)
    response = client.post("/admin/contracts/new", data=contract_form(trust, trust))
    assert response.status_code == 400
    assert b"the commissioner must be a council" in response.data
    response = client.post("/admin/contracts/new", data=contract_form(council, council))
    assert b"the provider must be a trust" in response.data
    assert count(Contract) == 0


@pytest.fixture
def commissioner(f, login):
    contract = f.create_contract(with_scope=True)
    user = f.create_user(Role.COMMISSIONER, contract)
    login(user)
    return contract


def terms(contract, **overrides):
    data = {
        "name": contract.name,
        "start_date": ["1", "10", "2014"],
        "council_share": "70",
        "gain_share": "shared_as_risk_share",
        "return_deadline_working_days": "12",
        "finance_explanation_threshold": "50,000",
        "notes": "Amended at the 2017 annual review",
    }
    data.update(overrides)
    return data


def test_a_commissioner_changes_the_terms_and_the_change_is_in_the_history(client, commissioner):
    response = client.post(f"/contracts/{commissioner.id}/settings", data=terms(commissioner))
    assert response.status_code == 302
    contract = db.session.get(Contract, commissioner.id)
    assert contract.gain_share is GainShare.SHARED_AS_RISK_SHARE
    assert contract.return_deadline_working_days == 12
    history = client.get(f"/contracts/{contract.id}/history").get_data(as_text=True)
    assert "shared_as_risk_share" in history
    assert "retained_by_trust" in history  # the value before


def test_bad_terms_change_nothing(client, commissioner):
    response = client.post(f"/contracts/{commissioner.id}/settings", data=terms(commissioner, council_share="101"))
    assert response.status_code == 400
    assert b"between 0 and 100 percent" in response.data
    assert db.session.get(Contract, commissioner.id).gain_share is GainShare.RETAINED_BY_TRUST


def test_the_finance_explanation_threshold_is_a_contract_term(client, commissioner):
    contract = db.session.get(Contract, commissioner.id)
    assert contract.finance_explanation_threshold == Decimal("50000.00")
    page = client.get(f"/contracts/{contract.id}/settings").get_data(as_text=True)
    assert "Finance variances the trust must explain" in page and 'value="50000.00"' in page
    response = client.post(
        f"/contracts/{contract.id}/settings", data=terms(contract, finance_explanation_threshold="£75,000.50")
    )
    assert response.status_code == 302
    assert db.session.get(Contract, contract.id).finance_explanation_threshold == Decimal("75000.50")


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("", "Enter the variance above which the trust must explain a finance line"),
        ("fifty thousand", "must be an amount in pounds, like 50,000"),
        ("-1", "The explanation threshold cannot be negative"),
        ("50000.001", "must be in pounds and pence"),
    ],
)
def test_a_bad_explanation_threshold_is_refused(client, commissioner, threshold, message):
    response = client.post(
        f"/contracts/{commissioner.id}/settings", data=terms(commissioner, finance_explanation_threshold=threshold)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    contract = db.session.get(Contract, commissioner.id)
    assert contract.finance_explanation_threshold == Decimal("50000.00")
    assert contract.return_deadline_working_days == 10  # nothing else was saved either


def test_the_start_cannot_move_after_a_service_transferred(client, commissioner):
    response = client.post(
        f"/contracts/{commissioner.id}/settings", data=terms(commissioner, start_date=["1", "1", "2015"])
    )
    assert response.status_code == 400
    assert b"on or before the first service transfer, 1 October 2014" in response.data


def test_services_are_added_changed_and_removed(client, commissioner):
    url = f"/contracts/{commissioner.id}/services/new"
    data = {"name": "Family Support", "transferred_on": ["1", "4", "2016"], "description": "Family hubs"}
    assert client.post(url, data=data).status_code == 302
    service = db.session.scalar(select(ContractService).where(ContractService.name == "Family Support"))
    assert service.transferred_on == date(2016, 4, 1)
    edit = f"/contracts/{commissioner.id}/services/{service.id}"
    assert client.post(edit, data={**data, "transferred_on": ["1", "10", "2016"]}).status_code == 302
    assert db.session.get(ContractService, service.id).transferred_on == date(2016, 10, 1)
    assert client.post(f"{edit}/remove").status_code == 302
    assert db.session.scalar(select(ContractService).where(ContractService.name == "Family Support")) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "transferred_on": ["1", "4", "2016"]}, "Enter the service&#39;s name"),
        ({"name": "Early Help", "transferred_on": ["1", "4", "2013"]}, "on or after the contract&#39;s start"),
        ({"name": "Early Help", "transferred_on": ["", "", ""]}, "Enter the date the service transferred"),
        ({"name": "Early Help", "transferred_on": ["30", "2", "2016"]}, "must be a real date"),
        ({"name": "children&#39;s SOCIAL care", "transferred_on": ["1", "4", "2016"]}, "already in the contract"),
    ],
)
def test_bad_services_are_refused(client, commissioner, data, message):
    before = count(ContractService)
    data["name"] = data["name"].replace("&#39;", "'")
    response = client.post(f"/contracts/{commissioner.id}/services/new", data=data)
    assert response.status_code == 400
    assert message.encode() in response.data
    assert count(ContractService) == before


def test_population_is_set_per_year_and_replaced(client, commissioner):
    url = f"/contracts/{commissioner.id}/populations/new"
    assert client.post(url, data={"financial_year": "2018/19", "children": "65740"}).status_code == 302
    assert client.post(url, data={"financial_year": "2018/19", "children": "65800"}).status_code == 302
    rows = db.session.scalars(
        select(ChildPopulation).where(
            ChildPopulation.contract_id == commissioner.id, ChildPopulation.financial_year == 2018
        )
    ).all()
    assert [r.children for r in rows] == [65800]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"financial_year": "2018-19", "children": "65000"}, "in the form 2017/18"),
        ({"financial_year": "2018/20", "children": "65000"}, "in the form 2017/18"),
        ({"financial_year": "", "children": "65000"}, "Enter the financial year"),
        ({"financial_year": "2018/19", "children": "0"}, "must be between 1 and 5,000,000"),
        ({"financial_year": "2018/19", "children": "lots"}, "must be a whole number"),
        ({"financial_year": "2018/19", "children": ""}, "Enter the number of children"),
    ],
)
def test_bad_populations_are_refused(client, commissioner, data, message):
    before = count(ChildPopulation)
    response = client.post(f"/contracts/{commissioner.id}/populations/new", data=data)
    assert response.status_code == 400
    assert message.encode() in response.data
    assert count(ChildPopulation) == before


def test_the_population_in_force_is_the_latest_up_to_the_year(f):
    from monitoring.core.periods import FinancialYear

    contract = f.create_contract()
    contract.populations.extend(
        [ChildPopulation(financial_year=2015, children=64_950), ChildPopulation(financial_year=2017, children=65_492)]
    )
    db.session.flush()
    assert contract.population_for(FinancialYear(2014)) is None
    assert contract.population_for(FinancialYear(2016)) == 64_950
    assert contract.population_for(FinancialYear(2017)) == 65_492
    assert contract.population_for(FinancialYear(2020)) == 65_492


def test_members_see_the_contract_and_nobody_else_does(client, f, login):
    contract = f.create_contract(with_scope=True)
    login(f.create_user(Role.TRUST_OFFICER, contract))
    page = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "Council 70.00%, trust 30.00%" in page
    assert "Children&#39;s social care" in page
    login(f.create_user(Role.COMMISSIONER, f.create_contract()))
    assert client.get(f"/contracts/{contract.id}").status_code == 404
    assert client.get(f"/contracts/{contract.id}/settings").status_code == 404


def test_a_hand_made_request_without_the_date_is_refused_politely(client, commissioner):
    response = client.post(f"/contracts/{commissioner.id}/services/new", data={"name": "Early Help"})
    assert response.status_code == 400
    assert b"Enter the date the service transferred" in response.data
    response = client.post(
        f"/contracts/{commissioner.id}/services/new", data={"name": "Early Help", "transferred_on": ["1", "4"]}
    )
    assert response.status_code == 400
    assert b"must be a real date" in response.data
