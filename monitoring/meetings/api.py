"""The JSON API of the governance cycle: meetings, agenda items, outcomes, actions and deep dives.

Every contract member with read access may read; commissioning managers write; an action's owner
(a trust officer, for the trust's actions) may change its status. Writes go through the same
operations as the pages, so they are validated and audited the same way.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields, validate

from monitoring.accounts.models import User
from monitoring.api.blueprint import IF_MATCH_DOC, ApiBlueprint, invalid, send_version, version_from_request
from monitoring.contracts.models import Contract, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_today, parse_time
from monitoring.extensions import db
from monitoring.meetings import operations, outcomes, queries
from monitoring.meetings.followups import Action, ActionStatus, DeepDive, DeepDiveStatus
from monitoring.meetings.models import AgendaItem, Meeting, MeetingType, OutcomeKind
from monitoring.permissions import Permission, requires

blp = ApiBlueprint("meetings_api", __name__, description="Meetings, agendas, outcomes, actions and deep dives")

VIEW = Permission.VIEW_CONTRACT
MANAGE = Permission.MANAGE_CONTRACT


class OutcomeSchema(Schema):
    id = fields.Integer()
    agenda_item_id = fields.Integer()
    kind = fields.Function(lambda o: o.kind.value, metadata={"enum": [k.value for k in OutcomeKind]})
    text = fields.String()
    recorded_at = fields.DateTime()


class AgendaItemSchema(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    description = fields.String()
    presenter = fields.String()
    source_kind = fields.String(
        metadata={"description": "Where the item came from: manual, standing, action, deep_dive…"}
    )
    source_id = fields.Integer(allow_none=True)
    outcomes = fields.List(fields.Nested(OutcomeSchema))


class MeetingSchema(Schema):
    id = fields.Integer()
    contract_id = fields.Integer()
    meeting_type = fields.Function(
        lambda m: {"id": m.meeting_type.id, "name": m.meeting_type.name, "kind": m.meeting_type.kind.value}
    )
    slot = fields.String(allow_none=True, metadata={"description": "The period of the rhythm the meeting serves"})
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    location = fields.String()
    status = fields.Function(lambda m: m.status.value, metadata={"enum": ["scheduled", "cancelled"]})
    cancelled_reason = fields.String()
    moved_from = fields.DateTime(allow_none=True)
    minutes_approved = fields.Function(lambda m: m.is_locked)


class MeetingDetailSchema(MeetingSchema):
    items = fields.List(fields.Nested(AgendaItemSchema))


class ActionSchema(Schema):
    id = fields.Integer()
    contract_id = fields.Integer()
    title = fields.String()
    detail = fields.String()
    owner_organisation_id = fields.Integer()
    owner_user_id = fields.Integer(allow_none=True)
    owner = fields.Function(lambda a: a.owner_label)
    due_date = fields.Date()
    status = fields.Function(lambda a: a.status.value, metadata={"enum": [s.value for s in ActionStatus]})
    status_note = fields.String()
    completed_on = fields.Date(allow_none=True)
    meeting_id = fields.Integer(allow_none=True)
    overdue = fields.Function(lambda a: a.is_overdue(london_today()))
    lock_version = fields.Integer(metadata={"description": "The action's version (also its ETag): send it back"})


class DeepDiveSchema(Schema):
    id = fields.Integer()
    contract_id = fields.Integer()
    title = fields.String()
    terms_of_reference = fields.String()
    owner = fields.String()
    owner_organisation_id = fields.Integer()
    due_date = fields.Date()
    status = fields.Function(lambda d: d.status.value, metadata={"enum": [s.value for s in DeepDiveStatus]})
    closure_criteria = fields.String()
    findings = fields.String()
    closure_note = fields.String()
    indicators = fields.String()
    referred_at_meeting_id = fields.Integer(allow_none=True)
    report_meeting_id = fields.Integer()


class YearQuery(Schema):
    year = fields.String(load_default=None, metadata={"example": "2017/18"})


class NewMeetingArgs(Schema):
    meeting_type_id = fields.Integer(required=True)
    date = fields.Date(required=True)
    start_time = fields.String(required=True, metadata={"example": "10:00"})
    duration_minutes = fields.Integer(load_default=120)
    location = fields.String(load_default="")


class NewItemArgs(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(load_default="")
    presenter = fields.String(load_default="", validate=validate.Length(max=200))


class NewOutcomeArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["noted", "decision", "carried_over", "action"]))
    text = fields.String(load_default="")
    # For an action:
    title = fields.String(load_default="")
    owner_organisation_id = fields.Integer(load_default=None)
    owner_user_id = fields.Integer(load_default=None)
    due_date = fields.Date(load_default=None)


class ActionStatusArgs(Schema):
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ActionStatus]))
    note = fields.String(load_default="")
    lock_version = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "The version you read: if the action changed since, nothing is saved (409)"},
    )


class DeepDiveProgressArgs(Schema):
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in DeepDiveStatus]))
    findings = fields.String(load_default="")
    closure_note = fields.String(load_default="")


class ActionFilterQuery(Schema):
    status = fields.String(
        load_default="", metadata={"description": "open, in_progress, done, dropped, outstanding or overdue"}
    )
    owner_user_id = fields.Integer(load_default=None)
    owner_organisation_id = fields.Integer(load_default=None)
    meeting_id = fields.Integer(load_default=None)


def _meeting(contract_id: int, meeting_id: int) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    if meeting.contract_id != contract_id:
        abort(404)
    return meeting


def _item(contract_id: int, meeting_id: int, agenda_item_id: int) -> AgendaItem:
    item = db.get_or_404(AgendaItem, agenda_item_id)
    if item.meeting_id != meeting_id or item.contract_id != contract_id:
        abort(404)
    return item


@blp.route("/contracts/<int:contract_id>/meetings")
@blp.arguments(YearQuery, location="query")
@blp.response(200, MeetingSchema(many=True))
@requires(VIEW)
def list_meetings(query: dict, contract_id: int) -> Any:
    """The contract's meetings in a financial year (this one unless `year` is given, like 2017/18)."""
    try:
        year = FinancialYear.parse(query["year"]) if query["year"] else FinancialYear.containing(london_today())
    except ValueError:
        return invalid(InvalidInput({"year": "Give the financial year like 2017/18"}))
    return queries.meetings_in_year(contract_id, year)


@blp.route("/contracts/<int:contract_id>/meetings", methods=["POST"])
@blp.arguments(NewMeetingArgs)
@blp.response(201, MeetingDetailSchema)
@requires(MANAGE)
def create_meeting(args: dict, contract_id: int) -> Any:
    """Add a meeting outside the rhythm (commissioning managers)."""
    meeting_type = db.session.get(MeetingType, args["meeting_type_id"])
    try:
        if meeting_type is None or meeting_type.contract_id != contract_id:
            raise InvalidInput({"meeting_type_id": "No meeting type with that id on this contract"})
        try:
            start = parse_time(args["start_time"])
        except ValueError as error:
            raise InvalidInput({"start_time": "start_time must be a time like 10:00"}) from error
        return operations.schedule_meeting(
            meeting_type,
            day=args["date"],
            start_time=start,
            duration_minutes=args["duration_minutes"],
            location=args["location"],
        )
    except InvalidInput as error:
        return invalid(error)


@blp.route("/contracts/<int:contract_id>/meetings/<int:meeting_id>")
@blp.response(200, MeetingDetailSchema)
@requires(VIEW)
def get_meeting(contract_id: int, meeting_id: int) -> Any:
    """One meeting with its agenda and outcomes."""
    return _meeting(contract_id, meeting_id)


@blp.route("/contracts/<int:contract_id>/meetings/<int:meeting_id>/agenda-items")
@blp.response(200, AgendaItemSchema(many=True))
@requires(VIEW)
def list_items(contract_id: int, meeting_id: int) -> Any:
    """A meeting's agenda, in order."""
    return _meeting(contract_id, meeting_id).items


@blp.route("/contracts/<int:contract_id>/meetings/<int:meeting_id>/agenda-items", methods=["POST"])
@blp.arguments(NewItemArgs)
@blp.response(201, AgendaItemSchema)
@requires(MANAGE)
def create_item(args: dict, contract_id: int, meeting_id: int) -> Any:
    """Add an item to a meeting's agenda (commissioning managers)."""
    try:
        return operations.add_agenda_item(_meeting(contract_id, meeting_id), **args)
    except InvalidInput as error:
        return invalid(error)


@blp.route("/contracts/<int:contract_id>/meetings/<int:meeting_id>/agenda-items/<int:agenda_item_id>/outcomes")
@blp.response(200, OutcomeSchema(many=True))
@requires(VIEW)
def list_outcomes(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    """What the meeting did with an item."""
    return _item(contract_id, meeting_id, agenda_item_id).outcomes


@blp.route(
    "/contracts/<int:contract_id>/meetings/<int:meeting_id>/agenda-items/<int:agenda_item_id>/outcomes",
    methods=["POST"],
)
@blp.arguments(NewOutcomeArgs)
@blp.response(201, OutcomeSchema)
@requires(MANAGE)
def create_outcome(args: dict, contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    """Record noted, a decision, carry-over or an action (with title, owner and due date)."""
    item = _item(contract_id, meeting_id, agenda_item_id)
    try:
        if args["kind"] == "action":
            contract = db.session.get(Contract, contract_id)
            organisation = (
                db.session.get(Organisation, args["owner_organisation_id"]) if args["owner_organisation_id"] else None
            )
            person = db.session.get(User, args["owner_user_id"]) if args["owner_user_id"] else None
            if args["owner_user_id"] and person is None:
                raise InvalidInput({"owner_user_id": "No person with that id works on this contract"})
            action = outcomes.create_action(
                contract,
                title=args["title"],
                detail=args["text"],
                owner_organisation=organisation,
                owner_user=person,
                due_date=args["due_date"],
                item=item,
                user=current_user,
            )
            return action.outcome
        if args["kind"] == "carried_over":
            outcomes.carry_over(item, args["text"], current_user)
            return item.outcomes[-1]
        return outcomes.record_outcome(item, OutcomeKind(args["kind"]), args["text"], current_user)
    except InvalidInput as error:
        return invalid(error)


@blp.route("/contracts/<int:contract_id>/actions")
@blp.arguments(ActionFilterQuery, location="query")
@blp.response(200, ActionSchema(many=True))
@requires(VIEW)
def list_actions(query: dict, contract_id: int) -> Any:
    """The contract's action log; `status=overdue` lists outstanding actions past their due date."""
    return queries.action_log(contract_id, queries.ActionFilters(**query))


@blp.route("/contracts/<int:contract_id>/actions/<int:action_id>")
@blp.response(200, ActionSchema)
@requires(VIEW)
def get_action(contract_id: int, action_id: int) -> Any:
    """One action, with its version in the ETag header."""
    action = db.get_or_404(Action, action_id)
    send_version(action.lock_version)
    return action


@blp.route("/contracts/<int:contract_id>/actions/<int:action_id>", methods=["PATCH"])
@blp.arguments(ActionStatusArgs)
@blp.response(200, ActionSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
@requires(MANAGE, Permission.UPDATE_ASSIGNED_ACTIONS)
def update_action_status(args: dict, contract_id: int, action_id: int) -> Any:
    """Change an action's status: its owner (or the owning organisation's officer) or a commissioner.
    Send the version you read (If-Match or lock_version) to be told, with 409, of a change made since."""
    action = db.get_or_404(Action, action_id)
    if not outcomes.may_update_action(current_user, action):
        abort(403, description="Only the action's owner or a commissioning manager can change its status")
    seen = version_from_request(args["lock_version"])
    try:
        updated = outcomes.set_action_status(action, ActionStatus(args["status"]), args["note"], lock_version=seen)
    except InvalidInput as error:
        return invalid(error)
    db.session.flush()
    send_version(updated.lock_version)
    return updated


@blp.route("/contracts/<int:contract_id>/deep-dives")
@blp.response(200, DeepDiveSchema(many=True))
@requires(VIEW)
def list_deep_dives(contract_id: int) -> Any:
    return queries.deep_dives(contract_id)


@blp.route("/contracts/<int:contract_id>/deep-dives/<int:deep_dive_id>")
@blp.response(200, DeepDiveSchema)
@requires(VIEW)
def get_deep_dive(contract_id: int, deep_dive_id: int) -> Any:
    return db.get_or_404(DeepDive, deep_dive_id)


@blp.route("/contracts/<int:contract_id>/deep-dives/<int:deep_dive_id>", methods=["PATCH"])
@blp.arguments(DeepDiveProgressArgs)
@blp.response(200, DeepDiveSchema)
@requires(MANAGE)
def progress_deep_dive(args: dict, contract_id: int, deep_dive_id: int) -> Any:
    """Move a deep dive to its next stage, with findings or a closure note (commissioning managers)."""
    dive = db.get_or_404(DeepDive, deep_dive_id)
    try:
        return outcomes.progress_deep_dive(
            dive, DeepDiveStatus(args["status"]), findings=args["findings"], closure_note=args["closure_note"]
        )
    except InvalidInput as error:
        return invalid(error)
