"""Editor views: validate, call a service, commit once, redirect."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import begin_write, db
from tracker.models import Dispute, Revision, Role

from . import bp, queries, services
from .forms import ConfirmForm, DisputeForm


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
    if not form.validate_on_submit():
        return render_template("editor/dispute_form.html", form=form, dispute=dispute), 400 if form.errors else 200
    begin_write()  # rereads the dispute in the write transaction: its version is current
    try:
        saved = services.save_dispute(dispute, form)
        db.session.commit()
    except services.Taken as error:
        db.session.rollback()
        form.slug.errors.append(str(error).capitalize() + ".")
        return render_template("editor/dispute_form.html", form=form, dispute=dispute), 400
    except (services.Conflict, StaleDataError):
        db.session.rollback()
        return conflict(form, dispute.slug)
    flash("Dispute saved." if dispute else "Dispute created.")
    return redirect(url_for("disputes.timeline", slug=saved.slug))


def conflict(form: DisputeForm, slug: str):
    """409: show the saved version next to the editor's, keep the editor's text in the form."""
    current = queries.dispute_with_deleted(slug)
    theirs = history.snapshot(current)
    mine = {"slug": form.slug.data, "title": form.title.data, "summary": form.summary.data,
            "status": form.status.data.value, "tags": form.tag_list()}
    differences = [(key, theirs.get(key), value) for key, value in mine.items() if theirs.get(key) != value]
    # Saving again now overwrites, knowingly (raw_data would show the stale version).
    form.version.data, form.version.raw_data = current.version, None
    return render_template("editor/dispute_form.html", form=form, dispute=current, differences=differences), 409


@bp.route("/disputes/<slug>/delete", methods=["POST"])
@role_required(Role.editor)
def delete_dispute(slug: str):
    return soft_delete(slug, services.delete, "Dispute deleted. It can be restored from its history.")


@bp.route("/disputes/<slug>/restore", methods=["POST"])
@role_required(Role.editor)
def restore_dispute(slug: str):
    return soft_delete(slug, services.restore, "Dispute restored.")


def soft_delete(slug: str, action, message: str):
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form was incomplete or expired; please try again.")
    begin_write()
    dispute = queries.dispute_with_deleted(slug) or abort(404)
    action(dispute)
    db.session.commit()
    flash(message)
    return redirect(url_for("editor.history_page", object_type="dispute", object_id=dispute.id))


@bp.route("/history/<object_type>/<int:object_id>")
def history_page(object_type: str, object_id: int):
    if object_type not in history.EDITABLE or not may_see(object_type):
        abort(404)
    obj = db.session.get(history.EDITABLE[object_type], object_id) or abort(404)
    revisions = queries.revisions_of(object_type, object_id)
    return render_template("editor/history.html", obj=obj, object_type=object_type, revisions=revisions,
                           name=history_name(obj), link=history_link(obj), changes=history.changes,
                           can_edit=may_revert(object_type), confirm=ConfirmForm())


def may_see(object_type: str) -> bool:
    """Accounts' histories hold emails and roles: for admins only."""
    return object_type != "user" or (current_user.is_authenticated and current_user.can(Role.admin))


def may_revert(object_type: str) -> bool:
    """Editors undo changes to content; only admins undo changes to accounts."""
    needed = Role.admin if object_type == "user" else Role.editor
    return current_user.is_authenticated and current_user.can(needed)


def history_name(obj) -> str:
    return getattr(obj, "title", None) or getattr(obj, "name", None) or f"#{obj.id}"


def history_link(obj) -> str | None:
    """Where readers see the object, if they can."""
    if isinstance(obj, Dispute) and obj.deleted_at is None:
        return url_for("disputes.timeline", slug=obj.slug)
    return None


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
    except services.Refused as error:
        db.session.rollback()
        abort(409, description=f"This revision cannot be undone: {error}.")
    db.session.commit()
    flash(f"Revision {revision_id} undone; the undoing is itself in the history.")
    return redirect(url_for("editor.history_page", object_type=revision.object_type, object_id=revision.object_id))


@bp.route("/changes")
def recent_changes():
    before = request.args.get("before", type=int)
    revisions, next_before = queries.recent_changes(before, with_accounts=may_see("user"))
    return render_template("editor/changes.html", revisions=revisions, next_before=next_before,
                           changes=history.changes)
