"""Verdict form: a rating on the published scale, the explanation and the evidence it rests on."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import IntegerField, SelectChoice, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import db, utcnow
from tracker.forms import enum_options
from tracker.models import Claim, Rating, Role, Verdict, VerdictEvidence

from . import bp, services
from .evidence import claim_page, shown_claim
from .fields import no_nul
from .flow import save_form
from .forms import CorrectionFields

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
                                validators=[DataRequired(), Length(max=10_000), no_nul])
    # Choices: the claim's shown evidence, set by the view; anything else is refused as an invalid choice.
    evidence = SelectMultipleField("Evidence it rests on", coerce=int, choices=[],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

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



# ---- reading -------------------------------------------------------------------------

def verdict_of(claim_id: int) -> Verdict | None:
    """The claim's verdict row, withdrawn or not (one row per claim)."""
    return db.session.scalar(sa.select(Verdict).where(Verdict.claim_id == claim_id))


# ---- writing -------------------------------------------------------------------------

def save_verdict(claim: Claim, form: VerdictForm) -> Verdict:
    """Set the claim's verdict: the first one, one set again after a withdrawal, or a change to the live one."""
    editor_id = current_user.id  # read first: the expired user's reload would flush half a change
    verdict = verdict_of(claim.id)
    wanted = set(form.evidence.data or [])
    shown = {item.id for item in claim.shown_evidence}
    if not wanted <= shown:  # shown when the form was loaded, gone since
        raise services.Invalid("evidence", "some of the chosen evidence is no longer on this claim; choose again")
    if verdict is None:
        verdict = Verdict(claim_id=claim.id)
        db.session.add(verdict)
        before = None
    else:
        before = services.loaded_at(verdict, form)
    live_before = verdict.deleted_at is None and before is not None
    links = list(verdict.evidence_links)  # loaded before any change: one UPDATE, one version step
    with db.session.no_autoflush:
        verdict.rating, verdict.explanation = form.rating.data, form.explanation.data.strip()
        verdict.deleted_at = None
        have = {link.evidence_id for link in links}
        verdict.evidence_links = [link for link in links if link.evidence_id in wanted] + [
            VerdictEvidence(evidence_id=i, claim_id=claim.id) for i in sorted(wanted - have)
        ]
    if before is not None and history.snapshot(verdict) == before:
        return verdict  # nothing changed: no revision, no new date
    verdict.set_by_id, verdict.set_at = editor_id, utcnow()
    if not live_before:
        flush_new(verdict)
        history.record("create", verdict, before)
    else:
        services.record_edit(verdict, before, form, dispute_id=claim.dispute_id, published=True)
    return verdict


def flush_new(verdict: Verdict) -> None:
    """A verdict set at the same moment by another editor meets the unique claim_id: a conflict, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        db.session.expunge(verdict)
        raise services.Conflict(verdict_of(verdict.claim_id)) from None


# ---- the page ------------------------------------------------------------------------

@bp.route("/disputes/<dispute_slug>/claims/<slug>/verdict", methods=["GET", "POST"])
@role_required(Role.editor)
def verdict(dispute_slug: str, slug: str):
    claim = shown_claim(dispute_slug, slug) or abort(404)
    current = verdict_of(claim.id)
    live = current is not None and current.deleted_at is None
    form = (VerdictEditForm if live else VerdictForm)(data=VerdictForm.values(current))
    form.evidence.choices = [SelectChoice(item.id, f"{item.title} ({item.stance.value})")
                             for item in claim.shown_evidence]
    return save_form(
        form, "editor/verdict_form.html",
        save=lambda: save_verdict(claim, form),
        done=lambda saved: claim_page(claim) + "#verdict",
        message="Verdict changed." if live else "Verdict set.",
        reload=lambda: verdict_of(claim.id),
        claim=claim, verdict=current if live else None, scale=[(r, MEANINGS[r]) for r in Rating],
    )
