"""Admin views: validate, call a service, commit once, redirect."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import begin_write, db
from tracker.models import Role, User

from . import bp, queries, services
from .forms import EditUserForm, NewUserForm, PasswordForm


@bp.route("/users")
@role_required(Role.admin)
def users():
    accounts, next_after = queries.users(request.args.get("after", type=int))
    return render_template("admin/users.html", users=accounts, next_after=next_after)


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.admin)
def new_user():
    form = NewUserForm()
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", form=form, user=None), 400 if form.errors else 200
    begin_write()
    try:
        user = services.create_account(form.email.data, form.name.data, form.role.data, form.password.data)
        db.session.commit()
    except (ValueError, IntegrityError) as error:  # the email is taken (IntegrityError: by a save a moment ago)
        db.session.rollback()
        message = str(error) if isinstance(error, ValueError) else "there is already an account for this email"
        form.email.errors.append(message[0].upper() + message[1:] + ".")
        return render_template("admin/user_form.html", form=form, user=None), 400
    flash(f"Account created for {user.email}.")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.admin)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(data=EditUserForm.values(user, queries.state_of(user)))
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", form=form, user=user), 400 if form.errors else 200
    begin_write()  # rereads the account in the write transaction: its state is current
    user = db.get_or_404(User, user_id)
    try:
        services.edit_account(user, current_user, name=form.name.data, role=form.role.data,
                              active=form.active.data, state=form.state.data)
        db.session.commit()
    except services.LockOut as error:
        db.session.rollback()
        form[error.field].errors.append(str(error))
        return render_template("admin/user_form.html", form=form, user=user), 400
    except services.Conflict:
        db.session.rollback()
        return conflict(form, user_id)
    flash(f"Account of {user.email} saved.")
    return redirect(url_for("admin.users"))


def conflict(form: EditUserForm, user_id: int):
    """409: show the saved account next to the admin's version, keep the admin's choices in the form."""
    current = db.session.get(User, user_id)
    theirs = history.snapshot(current)
    mine = {"name": form.name.data, "role": form.role.data.value, "active": form.active.data}
    differences = [(key, theirs.get(key), value) for key, value in mine.items() if theirs.get(key) != value]
    # Saving again now overwrites, knowingly.
    form.state.data, form.state.raw_data = queries.state_of(current), None
    return render_template("admin/user_form.html", form=form, user=current, differences=differences), 409


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@role_required(Role.admin)
def set_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("admin/password.html", form=form, user=user), 400 if form.errors else 200
    begin_write()
    user = db.get_or_404(User, user_id)
    services.set_password(user, form.password.data)
    db.session.commit()
    flash(f"New password set for {user.email}.")
    return redirect(url_for("admin.edit_user", user_id=user.id))
