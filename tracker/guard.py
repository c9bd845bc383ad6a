"""What no request may carry, refused before any view sees it: one place instead of a check in every view.

- A number in an address larger than any row's id matches no route (404): `<int:...>` is bounded app-wide.
- A control character in the address or the query string (C0 or DEL) is refused (400), as is NUL in a form
  field: PostgreSQL cannot even compare text holding NUL, and no page's address holds any of them. Tab, CR and
  LF stay legal in form fields (text areas send them); what else a field may hold is its rule's business
  (tracker/rules.py), which keeps a verbatim text as pasted and shows its error beside the field.
- A file part is refused (400): no form of this site takes files; so is a form part without a readable name.
- A body sent in chunks is held to the size limit as one that states its length (413).
"""

import re

from flask import Flask, abort, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, ValidationError

from .rules import MAX_ID

IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")  # every C0 control, and DEL
IN_FORM = re.compile(r"\x00")


class IdConverter(IntegerConverter):
    """`<int:...>` on every route: a whole number a row's id can be (up to 2**31 - 1), else no match (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        # Checked before int(): Python refuses to read a number of over 4,300 digits (a ValueError, a 500).
        if len(value) > len(str(MAX_ID)):
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Bound `<int:...>` (before any route is added: a rule takes its converter when added) and guard requests."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_what_no_page_takes)


def refuse_what_no_page_takes() -> None:
    """400, saying what was wrong and where: a control character in the address or the query, NUL in a form,
    a form part without a name, a file; 413 for a body in chunks past the limit."""
    if found := IN_ADDRESS.search(request.path):
        abort(400, description=f"The address holds {described(found.group())}, which no address of this site "
                               "holds. Check the link.")
    for name, value in request.args.items(multi=True):
        if found := IN_ADDRESS.search(name + value):
            abort(400, description=f'The "{shown(name)}" parameter of the address holds {described(found.group())}, '
                                   "which no value of this site holds. Check the link.")
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    body_within_limit()
    for name, value in request.form.items(multi=True):
        if name is None:  # a multipart part whose name could not be read (Flask-WTF would fail on it: a 500)
            abort(400, description="A part of the form has no name that can be read. Send the form from its page.")
        if found := IN_FORM.search(name + value):
            abort(400, description=f'The "{shown(name)}" field holds {described(found.group())}, which cannot be '
                                   "stored. Remove it, then send the form again.")
    if request.files:
        abort(400, description=f'This form takes no files, and "{shown(next(iter(request.files)) or "")}" was sent '
                               "as one. Send it as text.")


def body_within_limit() -> None:
    """413 for a body of unknown length (sent in chunks) larger than MAX_CONTENT_LENGTH, having read no more.

    A body that states its length is refused from that (Werkzeug, before reading). One sent in chunks is cut
    at the limit by Werkzeug without a word, and a form would be read cut short: read it here, and look for
    one byte more."""
    limit = request.max_content_length
    if request.content_length is not None or limit is None:
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def described(char: str) -> str:
    if char == "\x00":
        return "a NUL character (U+0000, invisible)"
    if char == "\x7f":
        return "a DEL character (U+007F, invisible)"
    return f"a control character (U+{ord(char):04X}, invisible)"


def shown(name: str) -> str:
    """A parameter's name as a message quotes it: without its control characters, not too long."""
    name = IN_ADDRESS.sub("", name)
    return name if len(name) <= 40 else name[:37] + "..."
