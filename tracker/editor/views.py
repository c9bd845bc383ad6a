"""Editor views: validate, call a service, commit once, redirect."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import begin_write, db
from tracker.models import Claim, Dispute, Evidence, Response, ReviewStatus, Revision, Role, Statement, User, Verdict

from . import bp, queries, services
from .flow import save_form
from .forms import ConfirmForm, DisputeForm

# What editors delete and restore: content, not accounts.
CONTENT = {name: model for name, model in history.EDITABLE.items() if name != "user"}


@bp.route("/disputes/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_dispute():
    return edit_dispute_form(None)


@bp.route("/disputes/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_dispute(slug: str):
    dispute = queries.dispute_with_deleted(slug) or abort(404)
    return edit_dispute_form(dispute)


def edit_dispute_form(dispute):
    form = DisputeForm(data=DisputeForm.values(dispute) if dispute else None)
    return save_form(
        form, "editor/dispute_form.html",
        save=lambda: services.save_dispute(dispute, form),
        done=lambda saved: url_for("disputes.timeline", slug=saved.slug),
        message="Dispute saved." if dispute else "Dispute created.",
        reload=lambda: queries.dispute_with_deleted(dispute.slug), dispute=dispute,
    )


@bp.route("/history/<object_type>/<int:object_id>/delete", methods=["POST"])
@role_required(Role.editor)
def delete(object_type: str, object_id: int):
    return change_one(object_type, object_id, services.delete,
                      "Deleted: readers no longer see it. It can be restored from this page.")


@bp.route("/history/<object_type>/<int:object_id>/restore", methods=["POST"])
@role_required(Role.editor)
def restore(object_type: str, object_id: int):
    return change_one(object_type, object_id, services.restore, "Restored: readers see it again.")


def change_one(object_type: str, object_id: int, action, message: str):
    """A button on the history page: one change to one object, in one transaction."""
    if object_type not in CONTENT:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    begin_write()
    obj = db.session.get(CONTENT[object_type], object_id) or abort(404)
    try:
        action(obj)
    except services.Refused as error:
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
    if object_type != "user" and not is_editor() and not queries.shown_ids(object_type, {object_id}):
        abort(404)
    obj = db.session.get(history.EDITABLE[object_type], object_id) or abort(404)
    revisions = queries.revisions_of(object_type, object_id)
    return render_template("editor/history.html", obj=obj, object_type=object_type, revisions=revisions,
                           name=history_name(obj), link=history_link(obj), changes=history.readable_changes(revisions),
                           can_edit=may_revert(object_type), confirm=ConfirmForm())


def may_see(object_type: str) -> bool:
    """Accounts' histories hold emails and roles: for admins only."""
    return object_type != "user" or (current_user.is_authenticated and current_user.can(Role.admin))


def is_editor() -> bool:
    return current_user.is_authenticated and current_user.can(Role.editor)


def may_revert(object_type: str) -> bool:
    """Editors undo changes to content; only admins undo changes to accounts."""
    needed = Role.admin if object_type == "user" else Role.editor
    return current_user.is_authenticated and current_user.can(needed)


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
    if isinstance(obj, Dispute):
        return url_for("disputes.timeline", slug=obj.slug)
    if isinstance(obj, Statement):
        return url_for("statements.detail", dispute_slug=obj.dispute.slug, slug=obj.slug)
    claim = obj if isinstance(obj, Claim) else obj.claim
    if claim.deleted_at is not None or claim.review is not ReviewStatus.approved:
        return None
    anchor = {Evidence: f"#evidence-{obj.id}", Verdict: "#verdict"}.get(type(obj), "")
    return url_for("claims.detail", dispute_slug=claim.statement.dispute.slug, slug=claim.slug) + anchor


@bp.route("/revisions/<int:revision_id>/revert", methods=["POST"])
@role_required(Role.editor)
def revert(revision_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    begin_write()
    revision = db.session.get(Revision, revision_id) or abort(404)
    if not may_revert(revision.object_type):
        abort(403, description="Only an admin can undo a change to an account.")
    try:
        services.revert(revision, current_user)
        db.session.commit()
    except services.Refused as error:
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
    before = request.args.get("before", type=int)
    revisions, next_before = queries.recent_changes(before, with_accounts=may_see("user"))
    if not is_editor():
        revisions = queries.seen_by_readers(revisions)  # the page may come out shorter; paging goes on by id
    return render_template("editor/changes.html", revisions=revisions, next_before=next_before,
                           changes=history.readable_changes(revisions))
