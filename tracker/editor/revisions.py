"""History pages: every revision of an object, and the buttons that delete, restore and undo."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import history, shown
from tracker.auth.roles import role_required
from tracker.core import By, NotAllowed, Refused
from tracker.core.lifecycle import DELETABLE, delete, restore, revert
from tracker.db import begin_write, db
from tracker.forms import ConfirmForm
from tracker.models import Actor, Claim, Dispute, Evidence, Response, Revision, Role, Statement, User, Verdict
from tracker.paging import row_id

from . import queries
from .blueprint import bp


@bp.route("/history/<object_type>/<int:object_id>/delete", methods=["POST"], endpoint="delete")
@role_required(Role.editor)
def delete_one(object_type: str, object_id: int):
    return change_one(object_type, object_id, delete,
                      "Deleted: readers no longer see it. It can be restored from this page.")


@bp.route("/history/<object_type>/<int:object_id>/restore", methods=["POST"], endpoint="restore")
@role_required(Role.editor)
def restore_one(object_type: str, object_id: int):
    return change_one(object_type, object_id, restore, "Restored: readers see it again.")


def change_one(object_type: str, object_id: int, action, message: str):
    """A button on the history page: one change to one object, in one transaction."""
    if object_type not in DELETABLE:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    by = By.account(current_user)
    begin_write()
    obj = db.session.get(DELETABLE[object_type], object_id) or abort(404)
    try:
        action(obj, by)
    except Refused as error:
        db.session.rollback()
        abort(409, description=f"This cannot be done: {error}.")
    db.session.commit()
    flash(message)
    return redirect(url_for("editor.history_page", object_type=object_type, object_id=object_id))


@bp.route("/history/<object_type>/<int:object_id>")
def history_page(object_type: str, object_id: int):
    if object_type not in history.EDITABLE or not may_see(object_type):
        abort(404)
    # Pending, rejected and deleted material is for editors: its history too.
    if object_type != "user" and not current_user.can(Role.editor) and not queries.shown_ids(object_type, {object_id}):
        abort(404)
    obj = db.session.get(history.EDITABLE[object_type], object_id) or abort(404)
    revisions = queries.revisions_of(object_type, object_id)
    return render_template("editor/history.html", obj=obj, object_type=object_type, revisions=revisions,
                           name=history_name(obj), link=history_link(obj), changes=history.readable_changes(revisions),
                           can_edit=may_revert(object_type), can_delete=object_type in DELETABLE,
                           confirm=ConfirmForm())


def may_see(object_type: str) -> bool:
    """Accounts' histories hold emails and roles: for admins only."""
    return object_type != "user" or current_user.can(Role.admin)


def may_revert(object_type: str) -> bool:
    """Editors undo changes to content; only admins undo changes to accounts."""
    return current_user.can(Role.admin if object_type == "user" else Role.editor)


def history_name(obj) -> str:
    if isinstance(obj, Response):
        return f"{obj.claim.slug} {obj.relation.value} {obj.target.slug}"
    if isinstance(obj, Verdict):
        return f"the verdict on {obj.claim.slug}"
    return getattr(obj, "title", None) or getattr(obj, "name", None) or getattr(obj, "summary", None) or f"#{obj.id}"


def history_link(obj) -> str | None:
    """Where readers see the object, if they can (the claim page for what hangs on a claim)."""
    if getattr(obj, "deleted_at", None) is not None or isinstance(obj, User):
        return None
    if isinstance(obj, Actor):
        return url_for("actors.detail", slug=obj.slug)
    if isinstance(obj, Dispute):
        return url_for("disputes.timeline", slug=obj.slug)
    if isinstance(obj, Statement):
        return url_for("statements.detail", dispute_slug=obj.dispute.slug, slug=obj.slug)
    claim = obj if isinstance(obj, Claim) else obj.claim
    if not shown.claim_is_shown(claim):
        return None
    anchor = {Evidence: f"#evidence-{obj.id}", Verdict: "#verdict"}.get(type(obj), "")
    return url_for("claims.detail", dispute_slug=claim.statement.dispute.slug, slug=claim.slug) + anchor


@bp.route("/revisions/<int:revision_id>/revert", methods=["POST"], endpoint="revert")
@role_required(Role.editor)
def revert_one(revision_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    by = By.account(current_user)
    begin_write()
    revision = db.session.get(Revision, revision_id) or abort(404)
    try:
        revert(revision, by)
        db.session.commit()
    except NotAllowed:
        db.session.rollback()
        abort(403, description="Only an admin can undo a change to an account.")
    except Refused as error:
        db.session.rollback()
        abort(409, description=f"This revision cannot be undone: {error}.")
    except IntegrityError:
        db.session.rollback()
        abort(409, description="This revision cannot be undone: its old values now clash with another "
                               "object's (a slug or a link used again since).")
    flash(f"Revision {revision_id} undone; the undoing is itself in the history.")
    return redirect(url_for("editor.history_page", object_type=revision.object_type, object_id=revision.object_id))


@bp.route("/changes")
def recent_changes():
    before = row_id(request.args.get("before"), "before")
    revisions, next_before = queries.recent_changes(before, with_accounts=may_see("user"))
    if not current_user.can(Role.editor):
        revisions = queries.seen_by_readers(revisions)  # the page may come out shorter; paging goes on by id
    return render_template("editor/changes.html", revisions=revisions, next_before=next_before,
                           changes=history.readable_changes(revisions))
