"""Admin views: validate, call the core, commit once, redirect."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import history
from tracker.auth.queries import live_sessions, tokens_of
from tracker.auth.roles import role_required
from tracker.core import By, Invalid
from tracker.core.accounts import (
    AccountConflict,
    create_account,
    edit_account,
    set_password,
    sign_out_everywhere,
    state_of,
)
from tracker.db import begin_write, db
from tracker.forms import ConfirmForm, sentence
from tracker.models import Role, User
from tracker.paging import row_id

from . import queries
from .forms import EditUserForm, NewUserForm, PasswordForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@role_required(Role.admin)
def users():
    accounts, next_after = queries.users(row_id(request.args.get("after")))
    return render_template("admin/users.html", users=accounts, next_after=next_after)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.admin)
def new_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", form=form, user=None), 400 if form.errors else 200
    by = By.account(current_user)
    begin_write()
    try:
        user = create_account(form.email.data, form.name.data, form.role.data, form.password.data, by=by)
        db.session.commit()
    except (Invalid, IntegrityError) as error:  # the email is taken (IntegrityError: by a save a moment ago)
        db.session.rollback()
        field = error.field if isinstance(error, Invalid) else "email"
        message = str(error) if isinstance(error, Invalid) else "there is already an account for this email"
        form[field].errors.append(sentence(message))
        return render_template("admin/user_form.html", form=form, user=None), 400
    flash(f"Account created for {user.email}.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.admin)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(data=EditUserForm.values(user, state_of(user)))
    if not form.validate_on_submit():
        return user_page(form, user, 400 if form.errors else 200)
    by = By.account(current_user)
    begin_write()  # rereads the account in the write transaction: its state is current
    user = db.get_or_404(User, user_id)
    try:
        edit_account(user, name=form.name.data, role=form.role.data, active=form.active.data, by=by,
                     state=form.state.data)
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        form[error.field].errors.append(sentence(str(error)))
        return user_page(form, user, 400)
    except AccountConflict:
        db.session.rollback()
        return conflict(form, user_id)
    flash(f"Account of {user.email} saved.")
    return redirect(url_for("admin.users"))


def user_page(form: EditUserForm, user: User, status: int, **context):
    """An account's page: its form, and its sessions."""
    return render_template("admin/user_form.html", form=form, user=user, live_sessions=len(live_sessions(user.id)),
                           api_tokens=len(tokens_of(user.id)),
                           confirm=ConfirmForm(), **context), status


@bp.route("/users/<int:user_id>/sessions/end", methods=["POST"])
@role_required(Role.admin)
def end_sessions(user_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    by = By.account(current_user)
    begin_write()
    user = db.get_or_404(User, user_id)
    ended = sign_out_everywhere(user, by=by)
    db.session.commit()
    flash(f"{user.email} is signed out everywhere ({ended} session{'s' if ended != 1 else ''} ended).")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def conflict(form: EditUserForm, user_id: int):
    """409: show the saved account next to the admin's version, keep the admin's choices in the form."""
    current = db.session.get(User, user_id)
    theirs = history.snapshot(current)
    mine = {"name": form.name.data, "role": form.role.data.value, "active": form.active.data}
    differences = [(key, theirs.get(key), value) for key, value in mine.items() if theirs.get(key) != value]
    # Saving again now overwrites, knowingly.
    form.state.data, form.state.raw_data = state_of(current), None
    return user_page(form, current, 409, differences=differences)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"], endpoint="set_password")
@role_required(Role.admin)
def set_password_form(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("admin/password.html", form=form, user=user), 400 if form.errors else 200
    by = By.account(current_user)
    begin_write()
    user = db.get_or_404(User, user_id)
    set_password(user, form.password.data, by=by)
    db.session.commit()
    flash(f"New password set for {user.email}.")
    return redirect(url_for("admin.edit_user", user_id=user.id))
