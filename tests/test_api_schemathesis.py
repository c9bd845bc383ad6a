"""Every operation of the API's OpenAPI document, called with data generated from it (and with data that breaks
it), against the app on the seeded database: never a server error, and every answer as the document says
(status, content type, headers, body schema)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from tracker.api.openapi import document

from .database import SEED_DISPUTE

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Addresses of the seed's items: generated slugs almost never name one, so these are called too.
SEEDED = [
    ("/disputes/{slug}", {"slug": SEED_DISPUTE}),
    ("/disputes/{dispute_slug}/statements/{slug}", {"dispute_slug": SEED_DISPUTE, "slug": "prc-embassy-press-release"}),
    ("/disputes/{dispute_slug}/claims/{slug}", {"dispute_slug": SEED_DISPUTE, "slug": "pompeo-accuses-cooperation"}),
    ("/disputes/{dispute_slug}/claims/{slug}", {"dispute_slug": SEED_DISPUTE, "slug": "embassy-open-and-transparent"}),
    ("/actors/{slug}", {"slug": "michael-r-pompeo"}),
]


@pytest.fixture
def api_schema(app, seeded):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# Operations from the document itself: one added to it is tested without a word here. Data breaking the
# document is sent to those with a path or query parameter (no header value breaks a plain string).
OPERATIONS = [
    (path, method.upper(), mode)
    for path, item in document()["paths"].items() for method, operation in item.items()
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or any(p["in"] in ("path", "query") for p in operation.get("parameters", []))
]


@pytest.mark.parametrize(("path", "method", "mode"), OPERATIONS, ids=[f"{m} {p} {g}" for p, m, g in OPERATIONS])
def test_every_operation_keeps_to_its_document(api_schema, path, method, mode):
    """Data that fits the document (positive) and data that breaks it (negative), a bounded number of each."""
    @given(case=api_schema[path][method].as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case):
        case.call_and_validate(checks=CHECKS)

    call()


@pytest.mark.parametrize(("path", "values"), SEEDED, ids=[values["slug"] for _, values in SEEDED])
def test_the_seed_s_items_keep_to_the_document(api_schema, path, values):
    response = api_schema[path]["GET"].Case(path_parameters=values).call_and_validate(checks=CHECKS)
    assert response.status_code == 200


def test_the_document_describes_every_api_route(app, api_schema):
    routed = {rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}") or "/"
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    routed = {path.replace("{int:", "{") for path in routed}
    assert routed == set(api_schema.raw_schema["paths"])
