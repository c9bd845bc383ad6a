"""Signing in and out."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from tracker.db import begin_write, db
from tracker.security import safe_next

from . import services
from .forms import LoginForm, LogoutForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        begin_write()
        if services.too_many_failures(form.email.data, address):
            abort(429, description="Too many failed sign-ins. Wait a minute, then try again.")
        user = services.authenticate(form.email.data, form.password.data, address)
        db.session.commit()
        if user is not None:
            login_user(user)
            flash(f"Signed in as {user.name}.")
            return redirect(safe_next(form.next.data) or url_for("disputes.index"))
        form.password.errors.append("The email or the password is not right.")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        logout_user()
        flash("Signed out.")
    return redirect(url_for("disputes.index"))
