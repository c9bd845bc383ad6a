"""Every route of the URL map, as every kind of user, sent generated addresses, queries and forms: never a 5xx.

A route's variables are filled with real slugs and ids of the seed, or with generated text and numbers (huge
ones, NUL and other controls, any Unicode, long strings); the query and the form (of the site's own field
names, or any) likewise; a form goes with or without its CSRF token, urlencoded, multipart or with a file.
The tests run on the seeded database inside the test's transaction, so what they change is undone.

TRACKER_FUZZ_EXAMPLES sets the examples per route, method and role (4 by default; say 100 for a deep run).
The terminal summary says how many requests were sent (conftest.py).
"""

import io
import os
import re
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tracker import create_app
from tracker.db import db
from tracker.models import (Actor, Claim, Dispute, Evidence, Response, Revision, Role, Statement, User,
                            Verdict)

from .client import CSRF_FIELD, HTTPS, PASSWORD, SAME_SITE, sign_in
from .factories import create_user

EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "4"))
ROLES = ["anonymous", "contributor", "editor", "admin"]
VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <converter(arguments):name> in a rule


def every_route() -> list[tuple[str, str]]:
    """(rule, method) for every rule of the URL map and every method it takes (HEAD and OPTIONS are Flask's)."""
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule.rule, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def form_field_names() -> list[str]:
    """The name of every field of every form of the site (its FlaskForm classes and their mixins)."""
    names, classes = set(), [FlaskForm]
    while classes:
        form = classes.pop()
        classes.extend(form.__subclasses__())
        for cls in form.__mro__:
            names.update(name for name, value in vars(cls).items() if isinstance(value, UnboundField))
    return sorted(names)


ROUTES = every_route()
FIELDS = form_field_names()  # after create_app: every feature's forms are imported
PARAMETERS = ["q", "after", "before", "page", "tag", "status", "actor", "relation", "stance", "left", "right",
              "next", "quote", "start", "end"]
ODD = ["", "0", "1", "-1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
       "99999999999999999999", "9" * 5000, "1.5", "1e9", "NaN", "2020", "2020-01", "2020-01-22", "2020-02-30",
       "2020-01-01T00:00:00~1", "2020-01-01~99999999999999999999", "1.2147483648", "approve", "reject", "open",
       "admin", "editor", "rebuts", "supports", "claim", "dispute", "user", "y", "true", "https://example.org/x",
       "javascript:alert(1)", "//evil.example", "/\\evil.example", "\x00", "a\x00b", "\x01", "\x1f", "\x7f",
       "\t", "\r\n", "\u202e", "\ufeff", "\u200b", "\U0010ffff", "../../etc/passwd", "%00", "%", "~", ".",
       "<script>alert(1)</script>", "' OR 1=1 --", "x" * 3000]
NUMBER = st.one_of(st.integers(0, 2**31 + 10), st.integers(-(2**80), 2**80)).map(str)
TEXT = st.text(max_size=40)  # any code point but surrogates, controls and NUL included


def values(real: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(real), st.sampled_from(ODD), NUMBER, TEXT)


@pytest.fixture
def real(seeded) -> dict[str, list[str]]:
    """Slugs and ids of the seed, for a part of the requests to reach past "no such thing"."""
    def every(column) -> list[str]:
        return [str(value) for value in db.session.scalars(sa.select(column))] or ["1"]
    return {
        "slug": every(Dispute.slug) + every(Statement.slug)[:3] + every(Claim.slug)[:5] + every(Actor.slug),
        "id": every(Claim.id)[:5] + every(Statement.id) + every(Dispute.id) + every(Evidence.id)
        + every(Response.id)[:3] + every(Revision.id)[:5] + every(User.id) + every(Verdict.id),
        "word": ["claim", "dispute", "statement", "evidence", "response", "verdict", "actor", "user", "style.css",
                 "cut.js"],
    }


class Statuses(Counter):
    """Requests sent, counted by the status they got; and whether the client is signed in for the next one."""

    signed_in = False


@pytest.fixture
def counted(record_property):
    """Requests sent and their statuses, for the terminal summary."""
    statuses = Statuses()
    yield statuses
    record_property("fuzz requests", sum(statuses.values()))
    record_property("fuzz statuses", dict(statuses))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule, method", ROUTES)
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_request_to_any_route_gets_a_server_error(app, client, real, counted, rule, method, role, data):
    if role != "anonymous" and not counted.signed_in:  # the first example, or the last one signed out
        if not db.session.scalar(sa.select(User.id).filter_by(email=f"{role}@example.org")):
            create_user(f"{role}@example.org", role.capitalize(), Role(role), PASSWORD)
            db.session.commit()
        assert sign_in(client, email=f"{role}@example.org").status_code == 302
        counted.signed_in = rule != "/logout"  # signing out is what that route does: sign in before each example
    path = fill(rule, real, data)
    query = data.draw(st.dictionaries(st.sampled_from(PARAMETERS) | TEXT, values(real["slug"] + real["id"]),
                                      max_size=4), label="query")
    url = path + ("?" + urlencode(query, quote_via=quote) if query else "")
    if method == "GET":
        note(f"GET {url}")
        response = client.get(url, base_url=HTTPS)
    else:
        form = data.draw(st.dictionaries(st.sampled_from(FIELDS) | TEXT, values(real["id"] + real["slug"])
                                         | st.lists(values(real["id"]), max_size=3), max_size=8), label="form")
        if data.draw(st.booleans(), label="with its CSRF token"):
            form[CSRF_FIELD] = client.csrf_token()
        encoding = data.draw(st.sampled_from(["urlencoded", "multipart", "with a file"]), label="encoding")
        if encoding == "with a file":
            form[data.draw(st.sampled_from(FIELDS), label="file field")] = (io.BytesIO(b"words"), "words.txt")
        note(f"{method} {url} ({encoding}) {form!r}")
        response = client.open(url, method=method, base_url=HTTPS, headers=SAME_SITE, data=form,
                               content_type="multipart/form-data" if encoding != "urlencoded" else None,
                               environ_base={"REMOTE_ADDR": "198.51.100.7"})  # the throttle may count this one
    counted[response.status_code] += 1
    response.close()
    assert response.status_code < 500  # an unhandled error never gets this far: in tests Flask raises it here


def fill(rule: str, real: dict[str, list[str]], data) -> str:
    """The rule with each variable replaced: by a real value or a generated one, quoted as in an address."""
    def value(match: re.Match) -> str:
        converter, name = match.groups()
        if converter == "int":
            drawn = data.draw(st.one_of(st.sampled_from(real["id"]), NUMBER, st.sampled_from(ODD)), label=name)
        else:
            drawn = data.draw(values(real["slug"] + real["word"]), label=name)
        return quote(drawn, safe="/" if converter == "path" else "")
    return VARIABLE.sub(value, rule)
