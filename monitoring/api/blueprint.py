"""The API's blueprint class: request bodies are read with the app's JSON provider, so a number with a
fraction arrives as an exact Decimal (webargs would otherwise read it as a float first)."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, after_this_request, current_app, jsonify, request
from flask_smorest import Blueprint
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request

from monitoring.core.errors import Conflict, InvalidInput


class ExactParser(FlaskParser):
    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req):
            return missing
        data = req.get_data(cache=True)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(
                f"Bytes decoding error : {error.reason}", doc=repr(data), pos=error.start
            ) from error
        return current_app.json.loads(text)  # monitoring.web.ExactJSONProvider: fractions as Decimal


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ExactParser()


def invalid(error: InvalidInput) -> Any:
    """The API's answer to bad input (422, every problem keyed by field) or to a change refused
    because of the record's state (409: locked, or changed by someone else since it was read)."""
    if isinstance(error, Conflict):
        response = jsonify(code=409, status="Conflict", message=error.message, **error.as_json())
        response.status_code = 409
        return response
    response = jsonify(
        code=422, status="Unprocessable Entity", message="; ".join(error.errors.values()), errors=error.errors
    )
    response.status_code = 422
    return response


# --- Versions: optimistic locking for clients --------------------------------------------------
#
# A record two people can edit carries a version. Reading it gives the version in the `ETag`
# header (and as `lock_version` in the body); a change may send it back in `If-Match` (or as
# `lock_version` in the body). If the record has moved on since, the change is refused with 409
# and a body naming who changed it; without either, the change applies to the latest version.

IF_MATCH_DOC = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag (version) of the record as you read it, such as "3": if someone has changed '
    "it since, nothing is saved and the answer is 409 Conflict. Or send lock_version in the body.",
}


def version_from_request(body_version: int | None = None) -> int | None:
    """The version the client says it read: the If-Match header, else `lock_version` from the body."""
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
        if not tag.isdigit() or len(tag) > 9:
            abort(409, description=f'If-Match must be the ETag you read, such as "3", not {header[:40]!r}')
        return int(tag)
    return body_version


def send_version(version: int) -> None:
    """Put the record's version in this response's ETag header."""

    @after_this_request
    def _etag(response: Any) -> Any:
        if response.status_code < 300:
            response.headers["ETag"] = f'"{version}"'
        return response
