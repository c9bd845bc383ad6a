"""The merge form: a duplicate claim goes into the claim that stays (undone from the history)."""

from flask import abort, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from tracker import rules
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.merge import merge
from tracker.db import db
from tracker.forms import follows, row_id, version_field
from tracker.models import Claim, Role

from . import queries
from .blueprint import bp
from .flow import save_form
from .pickers import claim_picker, find_field


class MergeForm(FlaskForm):
    # The choices are the dispute's other claims readers see; the core checks the target again.
    target = SelectField("The claim it duplicates (this one stays)", coerce=row_id, validate_choice=False)
    find = find_field()
    reason = TextAreaField("Why (kept in the history)", validators=[follows(rules.free_text, rules.LIMITS["note"])])
    # The duplicate's version when the form was loaded: a merge of a claim changed since is refused.
    version = version_field()

    def validate_target(self, field):
        if field.data is None:
            raise ValidationError("Choose the claim it duplicates.")


@bp.route("/disputes/<dispute_slug>/claims/<slug>/merge", methods=["GET", "POST"])
@role_required(Role.editor)
def merge_claim(dispute_slug: str, slug: str):
    duplicate = queries.live_claim(dispute_slug, slug) or abort(404)
    dispute = duplicate.statement.dispute
    form = MergeForm(data={"version": duplicate.version})
    picker = claim_picker(queries.claims_to_pick(dispute.id, but=duplicate.id), form.find.data, form.target.data,
                          blank="Choose the claim it duplicates")
    form.target.choices = picker.choices
    by = By.account(current_user)
    return save_form(
        form, "editor/merge_form.html",
        save=lambda: merge(duplicate, form.target.data, reason=form.reason.data, by=by, version=form.version.data),
        done=lambda survivor: url_for("claims.detail", dispute_slug=dispute.slug, slug=survivor.slug),
        message="Merged: the duplicate's responses and evidence now belong to this claim, and its address "
                "leads here. The merge can be undone from the duplicate's history.",
        reload=lambda: db.session.get(Claim, duplicate.id), claim=duplicate, dispute=dispute, picker=picker,
    )
