"""Commands: the demo data set and account administration from the shell."""

from sqlalchemy import func, select

from monitoring.accounts.models import Role, User
from monitoring.contracts.models import Contract
from monitoring.extensions import db


def test_demo_loads_one_user_per_role_on_one_contract(app, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo password for the test")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    users = {u.email: u for u in db.session.scalars(select(User))}
    expected = {
        "commissioner@demo.test": Role.COMMISSIONER,
        "trust@demo.test": Role.TRUST_OFFICER,
        "director@demo.test": Role.DIRECTOR,
        "scrutiny@demo.test": Role.SCRUTINY,
        "admin@demo.test": Role.ADMIN,
    }
    assert {email: users[email].role for email in expected} == expected
    assert all(users[email].check_password("demo password for the test") for email in expected)
    contract = db.session.scalar(select(Contract))
    assert users["trust@demo.test"].organisation_id == contract.trust_id
    assert users["commissioner@demo.test"].contract_ids == {contract.id}
    assert users["admin@demo.test"].contract_ids == set()
    assert "demo password for the test" not in result.output


def test_demo_prints_a_generated_password_once(app, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("with the password: ")[1].split()[0]
    user = db.session.scalar(select(User).where(User.email == "director@demo.test"))
    assert user.check_password(password)


def test_demo_if_empty_leaves_existing_data_alone(app, f):
    f.create_contract()
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code != 0


def test_create_user_from_the_shell(app, f):
    contract = f.create_contract(name="Main contract")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Helen@Council.example",
            "--name",
            "Helen Ward",
            "--role",
            "director",
            "--organisation",
            contract.council.name,
            "--contract",
            "Main contract",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "helen@council.example"))
    assert user.contract_ids == {contract.id}


def test_create_user_explains_bad_input_and_saves_nothing(app, f):
    contract = f.create_contract()
    runner = app.test_cli_runner()
    base = ["create-user", "--email", "x@council.example", "--name", "X", "--password", "a long enough passphrase"]
    result = runner.invoke(args=[*base, "--role", "director", "--organisation", "Nowhere Council"])
    assert result.exit_code != 0 and "No organisation called 'Nowhere Council'" in result.output
    result = runner.invoke(args=[*base, "--role", "trust_officer", "--organisation", contract.council.name])
    assert result.exit_code != 0 and "must belong to a trust" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "x@council.example",
            "--name",
            "X",
            "--role",
            "director",
            "--organisation",
            contract.council.name,
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "12 characters or more" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_set_password_from_the_shell(app, f):
    user = f.create_user(Role.COMMISSIONER)
    result = app.test_cli_runner().invoke(args=["set-password", user.email, "--password", "another long passphrase"])
    assert result.exit_code == 0, result.output
    assert db.session.get(User, user.id).check_password("another long passphrase")


def test_create_organisation_from_the_shell(app):
    from monitoring.contracts.models import Organisation, OrganisationKind

    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-organisation", "Doncaster Council", "--kind", "council"])
    assert result.exit_code == 0, result.output
    organisation = db.session.scalar(select(Organisation))
    assert (organisation.name, organisation.kind) == ("Doncaster Council", OrganisationKind.COUNCIL)
    result = runner.invoke(args=["create-organisation", "doncaster council", "--kind", "council"])
    assert result.exit_code != 0 and "There is already an organisation called" in result.output
