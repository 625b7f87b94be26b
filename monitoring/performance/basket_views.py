"""Pages for a contract's KPI basket: every version with its measures, and a new version from a month
on (commissioning managers revise it at the annual review; earlier versions stay as they were)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.periods import Period
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings.views import render
from monitoring.performance import queries
from monitoring.performance.basket_forms import BasketForm
from monitoring.performance.models import Basket, Indicator
from monitoring.performance.operations import new_basket
from monitoring.performance.views import bp
from monitoring.permissions import Permission, requires


@dataclass(frozen=True)
class Version:
    """A basket version and the months it covers: `last` is None while no later version follows."""

    basket: Basket
    last: Period | None
    in_force: bool
    is_future: bool


def versions(all_baskets: list[Basket], now: Period) -> list[Version]:
    """Newest first, each with the month before the next version starts."""
    in_force = queries.basket_in_force(all_baskets, now)
    found = []
    for index, basket in enumerate(all_baskets):
        following = all_baskets[index + 1] if index + 1 < len(all_baskets) else None
        last = following.first_period.shift(-1) if following else None
        found.append(Version(basket, last, basket is in_force, basket.first_period > now))
    return found[::-1]


@bp.get("/basket")
@requires(Permission.VIEW_CONTRACT)
def basket(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return render(
        "performance/basket.html",
        contract,
        versions=versions(queries.baskets(contract.id), Period.containing(london_today())),
    )


def _starting_point(all_baskets: list[Basket]) -> Basket | None:
    """The version to start from: the one in force now, else the latest."""
    return queries.basket_in_force(all_baskets, Period.containing(london_today())) or (
        all_baskets[-1] if all_baskets else None
    )


def _chosen(form: BasketForm, groups: list[tuple[Any, list[Indicator]]]) -> list[Indicator]:
    """The ticked measures, in the order the page lists them (reports list them so)."""
    listed = [indicator for _, members in groups for indicator in members]
    ticked = set(form.indicators.data or [])
    if ticked - {i.id for i in listed}:
        raise InvalidInput({"indicators": "Choose measures from the list"})
    return [i for i in listed if i.id in ticked]


def _form_page(contract: Contract, form: BasketForm, groups: list, status: int = 200) -> Any:
    return render(
        "performance/basket_form.html",
        contract,
        status,
        form=form,
        groups=groups,
        ticked=set(form.indicators.data or []),
        required=set(form.required.data or []),
    )


@bp.route("/basket/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CONTRACT)
def basket_new(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    groups = queries.indicators_by_objective()
    form = BasketForm()
    if request.method == "GET":
        start = _starting_point(queries.baskets(contract.id))
        entries = start.entries if start else []
        form.indicators.data = [e.indicator_id for e in entries]
        # A measure not yet in the basket is required unless unticked, as new_basket has it.
        in_basket = {e.indicator_id: e.required for e in entries}
        form.required.data = [i.id for _, members in groups for i in members if in_basket.get(i.id, True)]
        return _form_page(contract, form, groups)
    if form.validate_on_submit():
        try:
            saved = new_basket(
                contract,
                effective_from=form.month(),
                indicators=_chosen(form, groups),
                reason=form.reason.data,
                required=set(form.required.data or []),
                user=current_user,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            count = len(saved.entries)
            measures = f"{count} measure{'s' if count != 1 else ''}"
            flash(f"KPI basket from {saved.first_period.name} saved with {measures}", "success")
            return redirect(url_for("performance.basket", contract_id=contract.id))
    return _form_page(contract, form, groups, 400)
