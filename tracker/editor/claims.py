"""Claim forms: cut a claim from a statement, edit it, tie it to the claim it answers."""

from flask import abort, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, ValidationError

from tracker import rules, shown
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.anchors import offsets
from tracker.core.claims import cut_claim, edit_claim, set_relation, tie_response
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.disputes.queries import dispute_by_slug, other_claims_shown
from tracker.forms import CorrectionFields, crlf_to_lf, enum_options, follows, row_id, strip, version_field
from tracker.models import Claim, ClaimKind, Dispute, Relation, Response, Role, Statement

from . import queries
from .blueprint import bp
from .flow import save_form


class ClaimFields(FlaskForm):
    summary = StringField("Summary (the claim in one line, in your words)", filters=[strip],
                          validators=[DataRequired(), follows(rules.one_line, rules.LIMITS["summary"])])
    kind = SelectField("Kind", choices=enum_options(ClaimKind), coerce=enum_coerce(ClaimKind),
                       default=ClaimKind.assertion)
    quote = TextAreaField("Quote (paste the exact words of the statement)", filters=[crlf_to_lf],
                          validators=[follows(rules.verbatim, rules.LIMITS["quote"])], render_kw={"rows": 5})
    tags = StringField("Tags (separated by commas)", validators=[follows(rules.tags)])
    slug = StringField("Slug (in its address; leave empty to make one from the summary)", filters=[strip],
                       validators=[follows(rules.slug)])


class ClaimForm(ClaimFields):
    """A new claim: a quote pasted, or selected in the text (then start and end say where)."""

    reconstructed = BooleanField("Reconstructed: worded by an editor, no verbatim quote (leave the quote empty)")
    start = HiddenField()
    end = HiddenField()


class ClaimEditForm(CorrectionFields, ClaimFields):
    version = version_field()

    @staticmethod
    def values(claim: Claim) -> dict:
        return {"summary": claim.summary, "kind": claim.kind, "quote": claim.quote_exact or "",
                "tags": ", ".join(claim.tag_names), "slug": claim.slug, "version": claim.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"slug": self.slug.data, "summary": self.summary.data, "kind": self.kind.data.value,
                "quote_exact": rules.verbatim(self.quote.data), "tags": rules.tags(self.tags.data or "")}


class ResponseForm(FlaskForm):
    # The choices are the dispute's other claims readers see; the core checks the target again.
    target = SelectField("The claim it answers", coerce=row_id, validate_choice=False)
    relation = SelectField("How it answers it", choices=enum_options(Relation), coerce=enum_coerce(Relation),
                           default=Relation.rebuts)

    def validate_target(self, field):
        if field.data is None:
            raise ValidationError("Choose the claim it answers.")


class ResponseEditForm(FlaskForm):
    relation = SelectField("How it answers it", choices=enum_options(Relation), coerce=enum_coerce(Relation))
    version = version_field()

    def mine(self) -> dict:
        return {"relation": self.relation.data.value}


def target_choices(claim: Claim) -> list[SelectChoice]:
    """The dispute's other shown claims, grouped by statement (speaker: title, date), in reading order."""
    choices = [SelectChoice("", "Choose the claim it answers")]
    for other in other_claims_shown(claim):
        statement = other.statement
        group = f"{statement.speaker.name}: {statement.title} ({statement.date_label})"
        choices.append(SelectChoice(str(other.id), other.summary, optgroup=group))
    return choices


def tie(claim: Claim, form: ResponseForm, by: By) -> Response:
    """Tie to the target picked: a claim readers see (the picker offers no other)."""
    target = queries.shown_claim_of_dispute(claim, form.target.data)
    if target is None:
        raise Invalid("target", "choose a claim of this dispute that readers see")
    return tie_response(claim, target, relation=form.relation.data, by=by)


# ---- routes ----------------------------------------------------------------------

@bp.route("/disputes/<dispute_slug>/statements/<slug>/claims/new", methods=["GET", "POST"])
@role_required(Role.contributor)
def new_claim(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    statement = queries.statement_in(dispute, slug)
    if statement is None or statement.deleted_at is not None:
        abort(404)
    # A selection in the statement page arrives as ?quote=&start=&end= (the quote alone, or the offsets alone).
    form = ClaimForm(data=prefilled(statement) if request.method == "GET" else None)
    by = By.account(current_user)
    editor = by.can(Role.editor)
    return save_form(
        form, "editor/claim_form.html",
        save=lambda: cut_claim(statement, summary=form.summary.data, kind=form.kind.data, quote=form.quote.data,
                               start=form.start.data, end=form.end.data, reconstructed=form.reconstructed.data,
                               tags=form.tags.data or "", slug=form.slug.data or None, by=by),
        done=lambda saved: claim_page(dispute, saved, statement),
        message="Claim added." if editor else "Thank you: your claim awaits an editor's review. Readers will see "
                                              "it once it is approved.",
        dispute=dispute, statement=statement, claim=None,
    )


def prefilled(statement: Statement) -> dict:
    """The form's fields from the query string; offsets alone (a long selection) give the quote from the text."""
    args = request.args
    quote, start, end = args.get("quote", "")[:rules.LIMITS["quote"]], args.get("start", ""), args.get("end", "")
    at = offsets(start, end, len(statement.text or ""))
    if not quote and at is not None:
        quote = statement.text[at[0]:at[1]]
    return {"quote": quote, "start": start if at else "", "end": end if at else ""}


@bp.route("/disputes/<dispute_slug>/claims/<slug>/edit", methods=["GET", "POST"], endpoint="edit_claim")
@role_required(Role.editor)
def edit_claim_form(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    claim = queries.claim_in(dispute, slug) or abort(404)
    form = ClaimEditForm(data=ClaimEditForm.values(claim))
    by = By.account(current_user)
    return save_form(
        form, "editor/claim_form.html",
        save=lambda: edit_claim(claim, summary=form.summary.data, kind=form.kind.data, quote=form.quote.data,
                                tags=form.tags.data or "", slug=form.slug.data or None, by=by,
                                version=form.version.data, correction=form.correction_note()),
        done=lambda saved: claim_page(dispute, saved, saved.statement),
        message="Claim saved.", reload=lambda: db.session.get(Claim, claim.id),
        dispute=dispute, statement=claim.statement, claim=claim,
    )


def claim_page(dispute: Dispute, claim: Claim, statement: Statement) -> str:
    """Where the saved claim is seen: its page if readers see it, else its statement's page or its history."""
    if claim.deleted_at is not None:
        return url_for("editor.history_page", object_type="claim", object_id=claim.id)
    if not shown.claim_is_shown(claim):
        return url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug)
    return url_for("claims.detail", dispute_slug=dispute.slug, slug=claim.slug)


@bp.route("/disputes/<dispute_slug>/claims/<slug>/responses/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_response(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    claim = queries.claim_in(dispute, slug)
    if claim is None or claim.deleted_at is not None:
        abort(404)
    form = ResponseForm()
    form.target.choices = target_choices(claim)
    by = By.account(current_user)
    return save_form(
        form, "editor/response_form.html",
        save=lambda: tie(claim, form, by),
        done=lambda saved: claim_page(dispute, claim, claim.statement),
        message="Response recorded.", dispute=dispute, claim=claim, response=None,
    )


@bp.route("/disputes/<dispute_slug>/responses/<int:response_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_response(dispute_slug: str, response_id: int):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    response = db.session.get(Response, response_id)
    if response is None or response.dispute_id != dispute.id:
        abort(404)
    form = ResponseEditForm(data={"relation": response.relation, "version": response.version})
    by = By.account(current_user)
    return save_form(
        form, "editor/response_form.html",
        save=lambda: set_relation(response, form.relation.data, by=by, version=form.version.data),
        done=lambda saved: claim_page(dispute, saved.claim, saved.claim.statement),
        message="Response saved.", reload=lambda: db.session.get(Response, response_id),
        dispute=dispute, claim=response.claim, response=response,
    )
