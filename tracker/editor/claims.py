"""Claim forms: cut a claim from a statement, edit it, tie it to the claim it answers."""

from flask import abort, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, ValidationError

from tracker import rules, shown
from tracker.anchoring import quote_context
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.anchors import offsets, shorten
from tracker.core.claims import cut_claim, edit_claim, set_relation, tie_response
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.disputes.queries import dispute_by_slug
from tracker.forms import (
    CorrectionFields, crlf_to_lf, enum_options, follows, optional_enum, row_id, strip, version_field,
)
from tracker.models import Claim, ClaimKind, Dispute, Relation, Response, Role, Statement

from . import queries
from .blueprint import bp
from .flow import save_form
from .pickers import Picker, claim_picker, find_field

# No relation is assumed: the editor says how one claim answers the other.
RELATIONS = enum_options(Relation, blank="Choose how it answers")


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


class Answering:
    """The claim it answers and how: both chosen, or neither (the tie form requires both)."""

    target_required = False

    def validate_target(self, field):
        if field.data is None and (self.target_required or self.relation.data is not None):
            raise ValidationError("Choose the claim it answers" + ("." if self.target_required else
                                  ", or leave “How it answers it” blank."))

    def validate_relation(self, field):
        if field.data is None and not field.errors and (self.target_required or self.target.data is not None):
            raise ValidationError("Choose how it answers the claim: " + rules.choices(Relation) + ".")


class ClaimForm(Answering, ClaimFields):
    """A new claim: a quote pasted, or selected in the text (then start and end say where); optionally
    the claim it answers, tied in the same save (editors only: tying is theirs)."""

    reconstructed = BooleanField("Reconstructed: worded by an editor, no verbatim quote (leave the quote empty)")
    start = HiddenField()
    end = HiddenField()
    find = find_field()
    # The choices are the dispute's claims readers see; the core checks the target again.
    target = SelectField("The claim it answers", coerce=row_id, validate_choice=False)
    relation = SelectField("How it answers it", choices=RELATIONS, coerce=optional_enum(Relation), default=None)


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


class ResponseForm(Answering, FlaskForm):
    target_required = True
    # The choices are the dispute's other claims readers see; the core checks the target again.
    target = SelectField("The claim it answers", coerce=row_id, validate_choice=False)
    find = find_field()
    relation = SelectField("How it answers it", choices=RELATIONS, coerce=optional_enum(Relation), default=None)


class ResponseEditForm(FlaskForm):
    relation = SelectField("How it answers it", choices=enum_options(Relation), coerce=enum_coerce(Relation))
    version = version_field()

    def mine(self) -> dict:
        return {"relation": self.relation.data.value}


def target_picker(form, dispute_id: int, blank: str, but: int | None = None) -> Picker:
    """The form's claim picker: the dispute's claims readers see (but one), narrowed by its Find box."""
    picker = claim_picker(queries.claims_to_pick(dispute_id, but), form.find.data, form.target.data, blank)
    form.target.choices = picker.choices
    return picker


def tie(claim: Claim, target_id: int | None, relation, by: By) -> Response:
    """Tie to the target picked: a claim readers see (the picker offers no other)."""
    target = queries.shown_claim_in(claim.dispute_id, target_id)
    if target is None:
        raise Invalid("target", "choose a claim of this dispute that readers see")
    return tie_response(claim, target, relation=relation, by=by)


def cut_and_tie(statement: Statement, form: ClaimForm, by: By) -> Claim:
    """Cut the claim and, if a target is chosen, tie it: one save, both in the history, or neither."""
    claim = cut_claim(statement, summary=form.summary.data, kind=form.kind.data, quote=form.quote.data,
                      start=form.start.data, end=form.end.data, reconstructed=form.reconstructed.data,
                      tags=form.tags.data or "", slug=form.slug.data or None, by=by)
    if form.target.data is not None:
        tie(claim, form.target.data, form.relation.data, by)
    return claim


def added(claim: Claim) -> str:
    """What an editor is told once the claim is saved."""
    tied = [r for r in claim.responses if r.deleted_at is None]
    if not tied:
        return "Claim added."
    return f"Claim added; it {tied[0].relation.value} “{shorten(tied[0].target.summary)}”."


def source_text(statement: Statement, start, end) -> dict | None:
    """The statement's text as the form shows it: the passage selected (start:end) marked, and in its context."""
    text = statement.text
    if text is None:
        return None
    at = offsets(start, end, len(text))
    if at is None:
        return {"before": text, "passage": None, "after": "", "context": None}
    return {"before": text[:at[0]], "passage": text[at[0]:at[1]], "after": text[at[1]:],
            "context": quote_context(text, *at)}


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
    # Contributors are not offered the claim it answers: tying is for editors (the core refuses theirs).
    picker = target_picker(form, dispute.id, "None: it answers no claim (or not yet)") if editor else None
    return save_form(
        form, "editor/claim_form.html",
        save=lambda: cut_and_tie(statement, form, by),
        done=lambda saved: claim_page(dispute, saved, statement),
        message=added if editor else "Thank you: your claim awaits an editor's review. Readers will see "
                                     "it once it is approved.",
        dispute=dispute, statement=statement, claim=None, picker=picker,
        source=source_text(statement, form.start.data, form.end.data),
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
    picker = target_picker(form, dispute.id, "Choose the claim it answers", but=claim.id)
    by = By.account(current_user)
    return save_form(
        form, "editor/response_form.html",
        save=lambda: tie(claim, form.target.data, form.relation.data, by),
        done=lambda saved: claim_page(dispute, claim, claim.statement),
        message="Response recorded.", dispute=dispute, claim=claim, response=None, picker=picker,
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
