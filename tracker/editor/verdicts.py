"""Verdict form: a rating on the published scale, the explanation and the evidence it rests on."""

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import rules, shown
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.verdicts import set_verdict, verdict_of
from tracker.forms import CorrectionFields, enum_options, follows, version_field
from tracker.models import Rating, Role, Verdict

from . import queries
from .blueprint import bp
from .evidence import claim_page
from .flow import save_form

# The published scale: what each rating tells readers, in one line.
MEANINGS = {
    Rating.true: "Accurate, and nothing significant is missing.",
    Rating.mostly_true: "Accurate, but needs a clarification or an added detail.",
    Rating.mixed: "Partly accurate and partly not, in about equal measure.",
    Rating.mostly_false: "Holds a grain of truth but leaves out or distorts what would change the impression.",
    Rating.false: "Not accurate: the evidence contradicts it.",
    Rating.unsupported: "No evidence on record supports it, nor clearly refutes it.",
    Rating.misleading: "Accurate in its details but worded to give a false impression.",
}


class VerdictForm(FlaskForm):
    rating = SelectField("Rating", choices=enum_options(Rating), coerce=enum_coerce(Rating), default=Rating.mixed)
    explanation = TextAreaField("Explanation (what the rating rests on, for readers)",
                                validators=[DataRequired(), follows(rules.free_text, rules.LIMITS["explanation"])])
    # Choices: the claim's shown evidence, set by the view; anything else is refused as an invalid choice.
    evidence = SelectMultipleField("Evidence it rests on", coerce=int, choices=[],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    version = version_field()

    @staticmethod
    def values(verdict: Verdict | None) -> dict | None:
        if verdict is None or verdict.deleted_at is not None:
            # Setting a verdict again starts from a blank form (at the withdrawn row's version).
            return {"version": verdict.version} if verdict else None
        return {"rating": verdict.rating, "explanation": verdict.explanation, "version": verdict.version,
                "evidence": [link.evidence_id for link in verdict.evidence_links]}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"rating": self.rating.data.value, "explanation": self.explanation.data.strip(),
                "evidence": sorted(set(self.evidence.data or []))}


class VerdictEditForm(CorrectionFields, VerdictForm):
    """Changing a published verdict: a public correction when its wording changes."""


@bp.route("/disputes/<dispute_slug>/claims/<slug>/verdict", methods=["GET", "POST"])
@role_required(Role.editor)
def verdict(dispute_slug: str, slug: str):
    claim = queries.shown_claim(dispute_slug, slug) or abort(404)
    current = verdict_of(claim.id)
    live = current is not None and current.deleted_at is None
    form = (VerdictEditForm if live else VerdictForm)(data=VerdictForm.values(current))
    form.evidence.choices = [SelectChoice(item.id, f"{item.title} ({item.stance.value})")
                             for item in claim.evidence if shown.evidence_is_shown(item)]
    by = By.account(current_user)
    return save_form(
        form, "editor/verdict_form.html",
        save=lambda: set_verdict(claim, rating=form.rating.data, explanation=form.explanation.data,
                                 evidence=form.evidence.data or [], by=by, version=form.version.data,
                                 correction=form.correction_note() if live else None),
        done=lambda saved: claim_page(claim) + "#verdict",
        message="Verdict changed." if live else "Verdict set.",
        reload=lambda: verdict_of(claim.id),
        claim=claim, verdict=current if live else None, scale=[(r, MEANINGS[r]) for r in Rating],
    )
