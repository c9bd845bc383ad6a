"""Reading a write's JSON body: anything but a JSON object of the request's fields, of the right types, is a
problem (RFC 9457) naming each field at fault and what is wrong with it.

The body's shape (which fields, of which JSON types) is a pydantic model per request, the same models the
OpenAPI document describes; what a value must be (a link, a date, a slug...) is the write core's business,
which applies tracker/rules.py as for the forms and the importer.
"""

import json
from typing import TypeVar

from flask import abort, current_app, request
from pydantic import BaseModel, ConfigDict, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.problems import problem


class Body(BaseModel):
    """A request body: no field beyond those named, and no value of another JSON type (no "5" for 5)."""

    model_config = ConfigDict(extra="forbid", strict=True)


T = TypeVar("T", bound=Body)


def json_body(model: type[T]) -> T:
    """The request's body as `model`; else a problem response (415, 413, 400 or 422) ends the request."""
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        abort(problem(415, "Send the body as JSON, with “Content-Type: application/json”.",
                      headers={"Accept-Post": "application/json"}))
    try:
        data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        abort(too_large())
    try:
        value = json.loads(data.decode("utf-8"))
        errors = unstorable(value)
    except UnicodeDecodeError:
        abort(problem(400, "The body is not UTF-8 text: JSON is sent as UTF-8."))
    except json.JSONDecodeError as error:
        abort(problem(400, f"The body is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."))
    except RecursionError:
        abort(problem(400, "The body's JSON is nested too deeply: no request of this API nests values."))
    if errors:
        abort(problem(422, "Some text cannot be stored: " + "; ".join(f"{e['field']}: {e['message']}"
                                                                       for e in errors) + ".", errors))
    if not isinstance(value, dict):
        abort(problem(422, f"The body must be a JSON object of the fields ({', '.join(model.model_fields)}), "
                           f"not {json_kind(value)}."))
    try:
        return model.model_validate(value)
    except ValidationError as error:
        errors = [{"field": field_of(item["loc"]), "message": message(item, model)} for item in error.errors()]
        abort(problem(422, "Some fields are not right: " + "; ".join(f"{e['field']}: {e['message']}"
                                                                    for e in errors) + ".", errors))


def unstorable(value, at: tuple = ()) -> list[dict]:
    """Text no database keeps, wherever it is in the body: NUL (PostgreSQL cannot even compare it), and a
    lone surrogate (JSON's "\\ud800" is no character: it has no UTF-8)."""
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in unstorable(key, at) + unstorable(item, (*at, key))]
    if isinstance(value, list):
        return [e for i, item in enumerate(value) for e in unstorable(item, (*at, i))]
    if not isinstance(value, str):
        return []
    if "\x00" in value:
        return [{"field": field_of(at), "message": "holds a NUL character (an invisible character that cannot be "
                                                   "stored); remove it"}]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return [{"field": field_of(at), "message": "holds a lone surrogate (such as \\ud800), which is not a "
                                                   "character; send the text as UTF-8"}]
    return []


def too_large():
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return problem(413, f"The body is larger than this site takes in one request: at most {limit:,} bytes.")


def field_of(loc: tuple) -> str:
    """A pydantic location as the field's name: "tags", "evidence[2]"."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "body"


# What a JSON type is called in a message.
KINDS = {"string": "text", "int": "a whole number", "bool": "true or false", "list": "a list", "dict": "an object"}


def message(item: dict, model: type[Body]) -> str:
    """Pydantic's complaint, as this site words its rules."""
    kind = item["type"]
    if kind == "extra_forbidden":
        return f"is not a field of this request (its fields are: {', '.join(model.model_fields)})"
    if kind == "missing":
        return "is required"
    if kind.endswith("_type"):
        wanted = KINDS.get(kind.removesuffix("_type"), kind.removesuffix("_type"))
        return f"must be {wanted}, not {json_kind(item.get('input'))}"
    text = item["msg"]
    return text[0].lower() + text[1:]


def json_kind(value) -> str:
    return {str: "text", bool: "true or false", int: "a number", float: "a number", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)
