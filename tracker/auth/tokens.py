"""API tokens on the account page: made (the token shown once) and revoked by their owner."""

import sqlalchemy as sa
from flask import abort, flash, redirect, session, url_for
from flask_login import current_user, login_required

from tracker.core import By, Invalid
from tracker.core.tokens import create_token, revoke_token
from tracker.db import begin_write, db
from tracker.forms import sentence
from tracker.models import ApiToken, User

from .forms import LogoutForm, PasswordChangeForm, TokenForm
from .views import bp, render_account

# The token forms (their `once`) this browser had a token made from lately: sent again, they make no other.
MADE = "tokens_made"
RESENT = ("This form was sent again (was the page reloaded?). Its token was made the first time, and shown then, "
          "once. If it was not copied, revoke it below and make another.")


@bp.route("/account/tokens", methods=["POST"])
@login_required
def new_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return render_account(PasswordChangeForm(), 400, token_form=form)
    once = form.once.data
    if once and once in session.get(MADE, []):
        flash(RESENT)
        return redirect(url_for("auth.account") + "#tokens-title")
    by = By.account(current_user)
    begin_write()
    try:
        token, raw = create_token(db.session.get(User, by.user_id), name=form.name.data, days=form.days.data, by=by)
        shown = {"name": token.name, "raw": raw}
        db.session.commit()
        if once:
            session[MADE] = [*session.get(MADE, [])[-4:], once]
    except Invalid as error:
        db.session.rollback()
        field = form[error.field] if error.field in form else form.name
        field.errors = [*field.errors, sentence(str(error))]
        return render_account(PasswordChangeForm(), 400, token_form=form)
    # Shown here, once, and never again: not through a redirect, whose flash would carry it in the cookie.
    page, status = render_account(PasswordChangeForm(), 201, token_form=TokenForm(formdata=None), new_token=shown)
    return page, status, {"Cache-Control": "no-store"}


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    if not LogoutForm().validate_on_submit():
        return render_account(PasswordChangeForm(), 400)
    by = By.account(current_user)
    begin_write()
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == by.user_id,
                                                        ApiToken.revoked_at.is_(None)))
    if token is None:
        db.session.rollback()
        abort(404, description="You have no such token (it may be revoked already).")
    name = token.name
    revoke_token(token, by=by)
    db.session.commit()
    flash(f"Token “{name}” revoked: programs using it are refused from now on.")
    return redirect(url_for("auth.account") + "#tokens-title")
