"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json.

Each module answering addresses describes them beside its code: PATHS (OpenAPI path items, see spec.py) and
SCHEMAS (the pydantic models of what it sends and takes). The schemas are generated from those models, the
same ones the answers are dumped from, as JSON Schema 2020-12, which OpenAPI 3.1 uses. The write module joins
in when there is one.
"""

import importlib
import importlib.util
from functools import cache

from flask import current_app
from pydantic.json_schema import models_json_schema

from .blueprint import bp
from .spec import operation

# The modules describing their operations, in the order their paths are listed.
DESCRIBED = ("read", "write")
REF_TEMPLATE = "#/components/schemas/{model}"
INFO = {
    "title": "Tracker API",
    "version": "1",
    "description": "What the tracker's reader pages show, as JSON: disputes, their statements, claims, responses, "
                   "evidence and verdicts. Errors are problem details (RFC 9457). Answers carry an ETag; "
                   "If-None-Match gets 304 while nothing changed. Callers are limited per address (per token when "
                   "signed), and answered 429 with Retry-After beyond the limit.",
}
PATHS = {"/openapi.json": operation("openapi", "This document", "OpenAPIDocument", [])}


def described_modules() -> list:
    found = []
    for name in DESCRIBED:
        module = f"{__package__}.{name}"
        if importlib.util.find_spec(module) is not None:
            found.append(importlib.import_module(module))
    return found


@cache
def document() -> dict:
    """The whole document: every module's paths (a path's methods merged) and the schemas of all their models."""
    paths: dict[str, dict] = {}
    models: list = []
    schemes: dict[str, dict] = {}
    modules = described_modules()
    for described in [*(getattr(module, "PATHS", {}) for module in modules), PATHS]:
        for path, item in described.items():
            paths.setdefault(path, {}).update(item)
    for module in modules:
        models += [model for model in getattr(module, "SCHEMAS", []) if model not in models]
        schemes.update(getattr(module, "SECURITY_SCHEMES", {}))
    _, generated = models_json_schema([(model, "serialization") for model in models], ref_template=REF_TEMPLATE)
    schemas = {**generated.get("$defs", {}), "OpenAPIDocument": {"type": "object", "required": ["openapi", "paths"]}}
    components = {"schemas": schemas, **({"securitySchemes": schemes} if schemes else {})}
    return {"openapi": "3.1.0", "info": INFO, "servers": [{"url": bp.url_prefix}], "paths": paths,
            "components": components}


@bp.get("/openapi.json")
def openapi():
    return current_app.json.response(document())
