"""The one way an edit form is handled: validate, save in one write transaction, or show why not."""

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request
from sqlalchemy.orm.exc import StaleDataError

from tracker import history
from tracker.core import Conflict, Invalid, NotAllowed, Refused
from tracker.db import begin_write, db
from tracker.forms import sentence

from .pickers import FIND


def save_form(form, template: str, save: Callable[[], Any], done: Callable[[Any], str],
              message: str | Callable[[Any], str],
              reload: Callable[[], Any] | None = None, **context):
    """GET shows the form. A valid POST saves and redirects to done(saved); otherwise the form comes
    back with the user's input: 400 with field errors, or 409 with the saved version set against theirs.
    `message` (or message(saved)) is flashed after a save.

    A POST from a picker's Find button (tracker/editor/pickers.py) only shows the form again.
    `save` runs inside the write transaction, so what it reads is current; `reload` gives the
    saved object again when a concurrent save won the race (StaleDataError).
    """
    if finding(form):
        # The Find button of a claim picker: the form comes back narrowed, with what was typed; nothing is saved.
        return render_template(template, form=form, found=True, **context)
    if not form.validate_on_submit():
        return render_template(template, form=form, **context), 400 if form.errors else 200
    begin_write()
    try:
        saved = save()
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        for name, message in error.problems:
            field = form[name] if name in form else form[next(iter(form._fields))]
            field.errors = [*field.errors, sentence(message)]
        return render_template(template, form=form, **context), 400
    except NotAllowed as error:
        db.session.rollback()
        abort(403, description=sentence(str(error)))
    except Refused as error:
        db.session.rollback()
        abort(409, description=f"This cannot be done: {error}.")
    except (Conflict, StaleDataError) as error:
        db.session.rollback()
        if not isinstance(error, Conflict):
            current = reload() if reload else None
            if current is None:
                abort(409, description="Someone else changed this at the same moment: reload the page and try again.")
            error = Conflict(current)
        # Saving again now overwrites, knowingly (raw_data would show the stale version).
        form.version.data, form.version.raw_data = error.version, None
        return render_template(template, form=form, differences=differences(form, error.current), **context), 409
    flash(message(saved) if callable(message) else message)
    return redirect(done(saved))


def differences(form, current: dict) -> list[tuple[str, Any, Any]]:
    """(field, saved value, the editor's value) wherever the two differ."""
    mine = form.mine() if hasattr(form, "mine") else {
        f.name: history.plain(f.data) for f in form if f.name in current
    }
    return [(key, current.get(key), value) for key, value in mine.items() if current.get(key) != value]


def finding(form) -> bool:
    """Whether the form was sent by its claim picker's Find button."""
    name, value = FIND
    return "find" in form and request.method == "POST" and request.form.get(name) == value
