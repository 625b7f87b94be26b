"""A deep dive names the measures it looks into; those the app knows link to their trend pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

from monitoring.accounts.models import Role
from monitoring.core.timeutil import london_today
from monitoring.meetings import outcomes


def test_indicator_codes_in_a_deep_dive_link_to_their_pages(f, login):
    contract = f.create_contract(with_scope=True)
    measure = f.create_indicator("FD05", title="Re-referrals", target=D(22))
    joint = f.create_meeting_type(contract)
    meeting = f.create_meeting(joint, london_today() + timedelta(days=10))
    later = f.create_meeting(joint, london_today() + timedelta(days=60))
    dive = outcomes.refer_deep_dive(
        f.create_item(meeting, "Re-referrals"),
        title="Step up, step down",
        terms_of_reference="Why children come back",
        owner="Early Help Strategy group",
        owner_organisation=contract.trust,
        due_date=london_today() + timedelta(days=50),
        report_meeting=later,
        indicators="FD05 and <b>re-referrals</b>",
    )
    page = (
        login(f.create_user(Role.COMMISSIONER, contract))
        .get(f"/contracts/{contract.id}/deep-dives/{dive.id}")
        .get_data(as_text=True)
    )
    assert f'<a class="govuk-link" href="/contracts/{contract.id}/performance/indicators/{measure.id}">FD05</a>' in page
    assert "&lt;b&gt;re-referrals&lt;/b&gt;" in page
