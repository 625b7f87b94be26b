"""The API's blueprint class: request bodies are read with the app's JSON provider, so a number with a
fraction arrives as an exact Decimal (webargs would otherwise read it as a float first)."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import missing
from webargs.flaskparser import FlaskParser, is_json_request


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
