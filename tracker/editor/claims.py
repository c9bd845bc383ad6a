"""Claim forms: cut a claim from a statement (anchored like the importer), edit it, tie it to what it answers."""

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from wtforms import BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from tracker import history
from tracker.anchoring import CONTEXT_CHARS, Anchor, AnchorError, QuoteAmbiguous, QuoteNotFound, anchor_quote, normalize
from tracker.auth.roles import role_required
from tracker.bundles import SLUG, anchor_values, assign
from tracker.db import db
from tracker.disputes.queries import dispute_by_slug, other_claims_shown
from tracker.forms import enum_options, row_id
from tracker.models import Claim, ClaimKind, ClaimTag, Dispute, Relation, Response, ReviewStatus, Role, Statement
from tracker.shown import CLAIM_SHOWN, STATEMENT_SHOWN

from . import bp
from .fields import free_slug, no_nul, one_line, slug_from, verbatim
from .flow import save_form
from .forms import CorrectionFields, DisputeForm
from .services import Invalid, Taken, loaded_at, record_edit
from .statements import shorten, statement_in, strip

QUOTE_LIMIT = 20_000
# Offsets longer than this are not offsets (a 12-digit text is far beyond any statement).
OFFSET_DIGITS = 12


class ClaimFields(FlaskForm):
    summary = StringField("Summary (the claim in one line, in your words)", filters=[strip],
                          validators=[DataRequired(), Length(max=300), one_line])
    kind = SelectField("Kind", choices=enum_options(ClaimKind), coerce=enum_coerce(ClaimKind),
                       default=ClaimKind.assertion)
    quote = TextAreaField("Quote (paste the exact words of the statement)",
                          validators=[Length(max=QUOTE_LIMIT), no_nul], render_kw={"rows": 5})
    tags = StringField("Tags (separated by commas)", validators=[Length(max=500)])
    slug = StringField("Slug (in its address; leave empty to make one from the summary)", filters=[strip], validators=[
        Optional(), Length(max=80),
        Regexp(SLUG, message="Use lower-case letters, digits and single hyphens, e.g. embassy-mutual-respect."),
    ])

    # The same tag rules as a dispute's.
    validate_tags = DisputeForm.validate_tags
    tag_list = DisputeForm.tag_list


class ClaimForm(ClaimFields):
    """A new claim: a quote pasted, or selected in the text (then start and end say where)."""

    reconstructed = BooleanField("Reconstructed: worded by an editor, no verbatim quote (leave the quote empty)")
    start = HiddenField()
    end = HiddenField()


class ClaimEditForm(CorrectionFields, ClaimFields):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

    @staticmethod
    def values(claim: Claim) -> dict:
        return {"summary": claim.summary, "kind": claim.kind, "quote": claim.quote_exact or "",
                "tags": ", ".join(claim.tag_names), "slug": claim.slug, "version": claim.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"slug": self.slug.data, "summary": self.summary.data, "kind": self.kind.data.value,
                "quote_exact": verbatim(self.quote.data) or None, "tags": self.tag_list()}


class ResponseForm(FlaskForm):
    # Checked when saving (a claim of this dispute that readers see, not the claim itself).
    target = SelectField("The claim it answers", coerce=row_id, validate_choice=False)
    relation = SelectField("How it answers it", choices=enum_options(Relation), coerce=enum_coerce(Relation),
                           default=Relation.rebuts)

    def validate_target(self, field):
        if field.data is None:
            raise ValidationError("Choose the claim it answers.")


class ResponseEditForm(FlaskForm):
    relation = SelectField("How it answers it", choices=enum_options(Relation), coerce=enum_coerce(Relation))
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

    def mine(self) -> dict:
        return {"relation": self.relation.data.value}


# ---- reading ---------------------------------------------------------------------

def claim_in(dispute: Dispute, slug: str) -> Claim | None:
    """A claim of the dispute by slug, whatever its review or deletion (editors edit them all)."""
    query = (sa.select(Claim).where(Claim.dispute_id == dispute.id, Claim.slug == slug)
             .options(selectinload(Claim.tags), selectinload(Claim.statement), selectinload(Claim.reported_in)))
    return db.session.scalar(query)


def target_choices(claim: Claim) -> list[SelectChoice]:
    """The dispute's other shown claims, grouped by statement (speaker: title, date), in reading order."""
    choices = [SelectChoice("", "Choose the claim it answers")]
    for other in other_claims_shown(claim):
        statement = other.statement
        group = f"{statement.speaker.name}: {statement.title} ({statement.date_label})"
        choices.append(SelectChoice(str(other.id), other.summary, optgroup=group))
    return choices


# ---- anchoring -------------------------------------------------------------------

def offsets(start: str | None, end: str | None, length: int) -> tuple[int, int] | None:
    """start and end as offsets of a text of that length, if they are."""
    try:
        if len(start or "") > OFFSET_DIGITS or len(end or "") > OFFSET_DIGITS:
            return None
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        return None
    return (start, end) if 0 <= start < end <= length else None


def selected(text: str, quote: str, start: str | None, end: str | None) -> Anchor | None:
    """The anchor at text[start:end] when those words are the quote (a selection in the page), else None."""
    at = offsets(start, end, len(text))
    if at is None or not normalize(quote) or normalize(text[at[0]:at[1]]) != normalize(quote):
        return None
    start, end = at
    while text[start].isspace():  # the words, not the blanks around them
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return Anchor(start, end, text[start:end], text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def anchor_in(text: str, quote: str, start=None, end=None, prefix: str | None = None,
              suffix: str | None = None) -> Anchor:
    """Anchor the quote at the selection given, or wherever the text holds it (once); Invalid if it cannot."""
    at = selected(text, quote, start, end)
    if at is not None:
        return at
    try:
        return anchor_quote(text, quote, prefix=prefix, suffix=suffix)
    except QuoteNotFound as error:
        if error.closest:
            raise Invalid("quote", f"not found in the statement. The closest passage is: “{error.closest}”") from None
        raise Invalid("quote", "not found in the statement, nor anything like it") from None
    except QuoteAmbiguous as error:
        raise Invalid("quote", f"these words occur {error.count} times in the statement: quote more words so that "
                               "they occur once, or select the passage in the text") from None
    except AnchorError:
        raise Invalid("quote", "paste the exact words of the statement that make the claim") from None


# ---- writing ---------------------------------------------------------------------

def claim_slug(dispute_id: int, claim: Claim | None, form: ClaimFields) -> str:
    """The slug typed, if free in the dispute; else one made from the summary."""
    others = sa.select(Claim.slug).where(Claim.dispute_id == dispute_id)
    if claim is not None:
        others = others.where(Claim.id != claim.id)
    slug = form.slug.data
    if slug:
        if db.session.scalar(others.where(Claim.slug == slug)):
            raise Taken(f'the slug "{slug}" is already used by another claim of this dispute')
        return slug
    base = slug_from(form.summary.data, "claim")
    return free_slug(base, db.session.scalars(others.where(Claim.slug.like(f"{base}%"))))


def cut_claim(statement: Statement, form: ClaimForm) -> Claim:
    """A new claim anchored in the statement's text; a contributor's waits for review."""
    quote = verbatim(form.quote.data)
    if form.reconstructed.data:
        if quote.strip():
            raise Invalid("quote", "a reconstructed claim has no quote: leave the quote empty, or untick "
                                   "“Reconstructed”")
        anchor = None
    elif statement.text is None:
        raise Invalid("quote", "this statement has no text on record, so only a reconstructed claim can be cut "
                               "from it: tick “Reconstructed” and leave the quote empty")
    elif not quote.strip():
        raise Invalid("quote", "paste the exact words of the statement that make the claim (or tick "
                               "“Reconstructed” if there are none)")
    else:
        anchor = anchor_in(statement.text, quote, form.start.data, form.end.data)
    claim = Claim(dispute_id=statement.dispute_id, statement_id=statement.id,
                  slug=claim_slug(statement.dispute_id, None, form), summary=form.summary.data, kind=form.kind.data,
                  reconstructed=bool(form.reconstructed.data), **anchor_values(anchor),
                  tags=[ClaimTag(name=name) for name in form.tag_list()])
    if not current_user.can(Role.editor):
        claim.review, claim.submitted_by_id = ReviewStatus.pending, current_user.id
    db.session.add(claim)
    history.record("create", claim, None)
    return claim


def save_claim(claim: Claim, form: ClaimEditForm) -> Claim:
    """Update a claim loaded at its current version; a changed quote is anchored again."""
    before = loaded_at(claim, form)
    published = claim.review is ReviewStatus.approved and claim.deleted_at is None
    slug = claim_slug(claim.dispute_id, claim, form)
    quote = verbatim(form.quote.data)
    host = claim.anchor_statement
    if host is None:
        if quote.strip():
            raise Invalid("quote", "this claim is reconstructed with no statement reporting it: it has no quote; "
                                   "leave the quote empty")
    elif quote != claim.quote_exact:
        if not quote.strip():
            raise Invalid("quote", "paste the exact words of the statement that make the claim")
        if host.text is None:
            raise Invalid("quote", f'the statement "{host.title}" has no text to find the quote in')
        # Where it was, if those words are still the quote; else wherever the text holds them once.
        anchor = anchor_in(host.text, quote, str(claim.quote_start), str(claim.quote_end),
                           prefix=claim.quote_prefix, suffix=claim.quote_suffix)
        assign(claim, anchor_values(anchor))
    assign(claim, {"slug": slug, "summary": form.summary.data, "kind": form.kind.data})
    if claim.tag_names != form.tag_list():
        claim.tags = [ClaimTag(name=name) for name in form.tag_list()]
        flag_modified(claim, "slug")  # the tags are rows of their own: the claim's version must still move
    record_edit(claim, before, form, dispute_id=claim.dispute_id, published=published)
    return claim


def tie_response(claim: Claim, form: ResponseForm) -> Response:
    """Record that the claim answers another; a deleted tie between the two is revived, not duplicated."""
    target_id = form.target.data
    if target_id == claim.id:
        raise Invalid("target", "a claim cannot answer itself")
    target = db.session.scalar(
        sa.select(Claim).join(Statement, Statement.id == Claim.statement_id)
        .where(Claim.id == target_id, Claim.dispute_id == claim.dispute_id, CLAIM_SHOWN, STATEMENT_SHOWN)
    )
    if target is None:
        raise Invalid("target", "choose a claim of this dispute that readers see")
    response = db.session.scalar(sa.select(Response).where(Response.claim_id == claim.id,
                                                           Response.target_id == target.id))
    if response is not None and response.deleted_at is None:
        raise Invalid("target", f"this claim already {response.relation.value} “{shorten(target.summary)}”; "
                                "edit that response instead")
    if response is not None:
        before = history.snapshot(response)
        response.deleted_at, response.relation = None, form.relation.data
        history.record("restore", response, before, reason="tied again from the claim page")
        return response
    response = Response(claim_id=claim.id, target_id=target.id, dispute_id=claim.dispute_id,
                        relation=form.relation.data)
    db.session.add(response)
    history.record("create", response, None)
    return response


def save_response(response: Response, form: ResponseEditForm) -> Response:
    before = loaded_at(response, form)
    response.relation = form.relation.data
    record_edit(response, before, form, dispute_id=response.dispute_id, published=False)
    return response


# ---- routes ----------------------------------------------------------------------

@bp.route("/disputes/<dispute_slug>/statements/<slug>/claims/new", methods=["GET", "POST"])
@role_required(Role.contributor)
def new_claim(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    statement = statement_in(dispute, slug)
    if statement is None or statement.deleted_at is not None:
        abort(404)
    # A selection in the statement page arrives as ?quote=&start=&end= (the quote alone, or the offsets alone).
    form = ClaimForm(data=prefilled(statement) if request.method == "GET" else None)
    editor = current_user.can(Role.editor)
    return save_form(
        form, "editor/claim_form.html",
        save=lambda: cut_claim(statement, form),
        done=lambda saved: claim_page(dispute, saved, statement),
        message="Claim added." if editor else "Thank you: your claim awaits an editor's review. Readers will see "
                                              "it once it is approved.",
        dispute=dispute, statement=statement, claim=None,
    )


def prefilled(statement: Statement) -> dict:
    """The form's fields from the query string; offsets alone (a long selection) give the quote from the text."""
    args = request.args
    quote, start, end = args.get("quote", "")[:QUOTE_LIMIT], args.get("start", ""), args.get("end", "")
    at = offsets(start, end, len(statement.text or ""))
    if not quote and at is not None:
        quote = statement.text[at[0]:at[1]]
    return {"quote": quote, "start": start if at else "", "end": end if at else ""}


@bp.route("/disputes/<dispute_slug>/claims/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_claim(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    claim = claim_in(dispute, slug) or abort(404)
    form = ClaimEditForm(data=ClaimEditForm.values(claim))
    return save_form(
        form, "editor/claim_form.html",
        save=lambda: save_claim(claim, form),
        done=lambda saved: claim_page(dispute, saved, saved.statement),
        message="Claim saved.", reload=lambda: db.session.get(Claim, claim.id),
        dispute=dispute, statement=claim.statement, claim=claim,
    )


def claim_page(dispute: Dispute, claim: Claim, statement: Statement) -> str:
    """Where the saved claim is seen: its page if readers see it, else its statement's page or its history."""
    if claim.deleted_at is not None:
        return url_for("editor.history_page", object_type="claim", object_id=claim.id)
    if claim.review is not ReviewStatus.approved:
        return url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug)
    return url_for("claims.detail", dispute_slug=dispute.slug, slug=claim.slug)


@bp.route("/disputes/<dispute_slug>/claims/<slug>/responses/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_response(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    claim = claim_in(dispute, slug)
    if claim is None or claim.deleted_at is not None:
        abort(404)
    form = ResponseForm()
    form.target.choices = target_choices(claim)
    return save_form(
        form, "editor/response_form.html",
        save=lambda: tie_response(claim, form),
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
    return save_form(
        form, "editor/response_form.html",
        save=lambda: save_response(response, form),
        done=lambda saved: claim_page(dispute, saved.claim, saved.claim.statement),
        message="Response saved.", reload=lambda: db.session.get(Response, response_id),
        dispute=dispute, claim=response.claim, response=response,
    )
