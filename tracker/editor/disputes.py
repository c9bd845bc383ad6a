"""Dispute forms: create a dispute, edit its title, summary, status and tags."""

from flask import abort, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired

from tracker import rules
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.disputes import save_dispute
from tracker.forms import enum_options, follows, strip, version_field
from tracker.models import DisputeStatus, Role

from . import queries
from .blueprint import bp
from .flow import save_form


class DisputeForm(FlaskForm):
    slug = StringField("Slug (in its address)", filters=[strip], validators=[DataRequired(), follows(rules.slug)])
    title = StringField("Title", filters=[strip],
                        validators=[DataRequired(), follows(rules.one_line, rules.LIMITS["title"])])
    summary = TextAreaField("Summary", validators=[follows(rules.free_text, rules.LIMITS["dispute_summary"])])
    # Coerced to the enum both ways, so the dispute's own status shows as selected.
    status = SelectField("Status", choices=enum_options(DisputeStatus), coerce=enum_coerce(DisputeStatus),
                         default=DisputeStatus.open)
    tags = StringField("Tags (separated by commas)", validators=[follows(rules.tags)])
    version = version_field()

    @staticmethod
    def values(dispute) -> dict:
        """The form's fields for an existing dispute, loaded at its current version."""
        return {"slug": dispute.slug, "title": dispute.title, "summary": dispute.summary, "status": dispute.status,
                "tags": ", ".join(dispute.tag_names), "version": dispute.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"slug": self.slug.data, "title": self.title.data, "summary": self.summary.data,
                "status": self.status.data.value, "tags": rules.tags(self.tags.data or "")}


@bp.route("/disputes/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_dispute():
    return dispute_form(None)


@bp.route("/disputes/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_dispute(slug: str):
    return dispute_form(queries.dispute_with_deleted(slug) or abort(404))


def dispute_form(dispute):
    form = DisputeForm(data=DisputeForm.values(dispute) if dispute else None)
    by = By.account(current_user)
    return save_form(
        form, "editor/dispute_form.html",
        save=lambda: save_dispute(dispute, slug=form.slug.data, title=form.title.data, summary=form.summary.data,
                                  status=form.status.data, tags=form.tags.data or "", by=by,
                                  version=form.version.data if dispute else None),
        done=lambda saved: url_for("disputes.timeline", slug=saved.slug),
        message="Dispute saved." if dispute else "Dispute created.",
        reload=lambda: queries.dispute_with_deleted(dispute.slug), dispute=dispute,
    )
