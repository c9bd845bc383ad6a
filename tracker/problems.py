"""RFC 9457 problem details: the errors of the JSON addresses, which programs read and people are shown."""

from flask import current_app
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, errors: list[dict] | None = None, headers: dict | None = None):
    """A response saying what went wrong; `errors` name each field and its problem ({"field", "message"})."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail}
    if errors:
        body["errors"] = errors
    response = current_app.json.response(body)
    response.status_code = status
    response.content_type = PROBLEM_TYPE
    response.headers.extend(headers or {})
    return response
