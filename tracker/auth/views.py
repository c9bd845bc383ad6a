"""Signing in and out, and the account page: the sessions of an account, signing out everywhere, a new password."""

import secrets

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from tracker import caching
from tracker.core import By
from tracker.core.accounts import set_password, sign_out_everywhere
from tracker.core.sessions import digest, end_session, forget_failures, record_failed_sign_in, start_session
from tracker.db import begin_write, db, utcnow
from tracker.models import User
from tracker.security import safe_next

from . import sessions, throttle
from .forms import LoginForm, LogoutForm, PasswordChangeForm, TokenForm
from .queries import live_sessions, tokens_of
from .services import check_password, normalize_email

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    email, address = normalize_email(form.email.data), request.remote_addr or "unknown"
    device = sessions.device_of(request.cookies, email)
    retry = throttle.wait_before_trying(email, address, device)
    if retry is not None:
        raise TooManyRequests(f"Too many failed sign-ins to this account from here. Try again in {in_words(retry)}.",
                              retry_after=retry)
    user = check_password(email, form.password.data)  # no write transaction is open meanwhile
    begin_write()  # then one short write: the failure, or the new session
    if user is None:
        record_failed_sign_in(email, address, device)
        db.session.commit()
        form.password.errors.append("The email or the password is not right.")
        return render_template("auth/login.html", form=form), 401
    forget_failures(email, address, device)
    token = start_session(user, address=address, browser=request.user_agent.string)
    db.session.commit()
    sessions.begin(token)
    g.pop("csrf_token", None)  # the next form gets a token of the new session
    login_user(user)
    flash(f"Signed in as {user.name}.")
    response = redirect(safe_next(form.next.data) or url_for("disputes.index"))
    sessions.remember_device(response, email, device or secrets.token_urlsafe(16))
    return caching.forget_public_pages(response)


def in_words(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{seconds} seconds" if seconds < 60 else f"{minutes} minute{'s' if minutes > 1 else ''}"


@bp.route("/logout", methods=["POST"])
def logout():
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        begin_write()
        end_session(sessions.current_token(), "signed out")
        db.session.commit()
        signed_out("Signed out.")
    return caching.forget_public_pages(redirect(url_for("disputes.index")))


def signed_out(message: str) -> None:
    logout_user()
    session.clear()
    flash(message)


@bp.route("/account")
@login_required
def account():
    return render_account(PasswordChangeForm())


def render_account(form: PasswordChangeForm, status: int = 200, token_form: TokenForm | None = None,
                   new_token: dict | None = None):
    """The account page; `new_token` ({"name", "raw"}) is a token just made, shown this once."""
    token = sessions.current_token()
    return render_template("auth/account.html", form=form, sessions=live_sessions(current_user.id),
                           this_session=digest(token) if token else None, confirm=LogoutForm(),
                           tokens=tokens_of(current_user.id), token_form=token_form or TokenForm(),
                           new_token=new_token, now=utcnow()), status


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return render_account(form, 400)
    if check_password(current_user.email, form.current.data) is None:
        form.current.errors.append("This is not your current password.")
        return render_account(form, 400)
    by = By.account(current_user)
    begin_write()
    set_password(db.session.get(User, by.user_id), form.password.data, by=by, keep=sessions.current_token())
    db.session.commit()
    flash("Password changed. Every other browser signed in to your account is signed out.")
    return redirect(url_for("auth.account"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def everywhere():
    if LogoutForm().validate_on_submit():
        by = By.account(current_user)
        begin_write()
        ended = sign_out_everywhere(db.session.get(User, by.user_id), by=by)
        db.session.commit()
        signed_out(f"Signed out everywhere: {ended} session{'s' if ended != 1 else ''} ended, this one too.")
        return redirect(url_for("auth.login"))
    return render_account(PasswordChangeForm(), 400)
