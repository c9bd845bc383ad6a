"""Pieces of the OpenAPI document: an operation and its parameters, described once for every address.

The modules answering addresses describe them with these (read.py's PATHS); openapi.py puts them together.
"""

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
LIMIT_HEADERS = {
    "RateLimit-Limit": {"description": "Requests allowed in the window", "schema": {"type": "integer"}},
    "RateLimit-Remaining": {"description": "Requests left in the window", "schema": {"type": "integer"}},
    "RateLimit-Reset": {"description": "Seconds until the window ends", "schema": {"type": "integer"}},
}
CACHE_HEADERS = {
    "ETag": {"description": "Send it back in If-None-Match: 304 while nothing changed", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When what readers see last changed", "schema": {"type": "string"}},
}
ERRORS = {
    "400": "A parameter is wrong: `errors` names it and says what is wrong",
    "404": "Nothing at this address",
    "406": "The caller accepts no JSON",
    "429": "Too many requests: wait the seconds Retry-After gives",
}


def path_slug(name: str, what: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s slug", "schema": SLUG}


def query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


AFTER = query("after", 'Where the page starts: the "next" address of the page before carries it')
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False,
                 "description": "The ETag of an answer held: 304 while it is still current",
                 "schema": {"type": "string"}}


def operation(operation_id: str, summary: str, shape: str, parameters: list[dict], paged: bool = False,
              extra: dict | None = None) -> dict:
    """A GET answering `shape` (a component schema), its errors as problem details, 304 for an answer held."""
    headers = {**CACHE_HEADERS, **LIMIT_HEADERS}
    if paged:
        headers["Link"] = {"description": 'The next page, rel="next"', "schema": {"type": "string"}}
    responses = {
        "200": {"description": summary, "headers": headers,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{shape}"}}}},
        "304": {"description": "Not modified: the answer held (If-None-Match) is current"},
        **{status: {"description": text, "content": PROBLEM} for status, text in ERRORS.items()},
    }
    responses["429"]["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}},
                                   **LIMIT_HEADERS}
    responses.update(extra or {})
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": [*parameters, IF_NONE_MATCH],
                    "responses": responses}}


def deleted(what: str) -> dict:
    return {"410": {"description": f"The {what} was deleted", "content": PROBLEM}}
