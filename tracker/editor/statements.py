"""Statement forms: add and edit a statement's verbatim text and facts; claims re-anchored when the text changes."""

import re

import sqlalchemy as sa
from flask import abort, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from wtforms import IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from tracker import history
from tracker.anchoring import reanchor
from tracker.auth.roles import role_required
from tracker.bundles import SLUG, anchor_values, assign, parse_date, stored_anchor
from tracker.db import db
from tracker.disputes.queries import dispute_by_slug, statement_order
from tracker.forms import enum_options, row_id
from tracker.models import (
    Actor, ActorKind, Claim, Dispute, ReviewStatus, Role, Statement, StatementAnswer, StatementKind,
)
from tracker.urls import normalize_url

from . import bp
from .fields import free_slug, no_nul, one_line, slug_from, verbatim
from .flow import save_form
from .forms import CorrectionFields
from .services import Invalid, Taken, loaded_at, record_edit

# BCP 47 in shape: a language, then subtags (script, region, variant), e.g. en, zh-Hans, pt-BR, es-419.
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
# A long speech is some 100,000 characters; a text far longer is a paste gone wrong.
TEXT_LIMIT = 1_000_000
# The address of the new-statement form: no statement may take it as its slug.
RESERVED = {"new"}


def strip(value):
    return value.strip() if isinstance(value, str) else value


class StatementForm(FlaskForm):
    title = StringField("Title", filters=[strip], validators=[DataRequired(), Length(max=300), one_line])
    slug = StringField("Slug (in its address; leave empty to make one from the title)", filters=[strip], validators=[
        Optional(), Length(max=80),
        Regexp(SLUG, message="Use lower-case letters, digits and single hyphens, e.g. pompeo-kingston-remarks."),
    ])
    speaker = SelectField("Speaker", coerce=row_id)
    new_speaker = StringField("Or a new speaker's name (when not in the list)", filters=[strip],
                              validators=[Length(max=200), one_line])
    new_speaker_kind = SelectField("The new speaker is", choices=enum_options(ActorKind),
                                   coerce=enum_coerce(ActorKind), default=ActorKind.person)
    kind = SelectField("Kind", choices=enum_options(StatementKind), coerce=enum_coerce(StatementKind),
                       default=StatementKind.speech)
    date = StringField("Date (2020, 2020-01 or 2020-01-22; empty if unknown)", filters=[strip],
                       validators=[Length(max=10)])
    venue = StringField("Venue", filters=[strip], validators=[Length(max=300), one_line])
    source_url = StringField("Source URL", filters=[strip], validators=[Length(max=2000)])
    language = StringField("Language (a tag such as en, fr or zh-Hans)", filters=[strip], validators=[
        Optional(), Length(max=35),
        Regexp(LANGUAGE, message="Use a language tag such as en, pt-BR or zh-Hans."),
    ])
    # Verbatim: no filter, no strip; only the line breaks are made plain when saving.
    text = TextAreaField("Verbatim text (stored exactly as pasted; empty if no transcript is on record)",
                         validators=[Length(max=TEXT_LIMIT), no_nul], render_kw={"rows": 20})
    answers = SelectMultipleField("Answers (the statements of this dispute it replies to)", coerce=int,
                                  render_kw={"size": 6})
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

    def validate_date(self, field):
        if field.data and parse_date(field.data) is None:
            raise ValidationError("Use a year (2020), a month (2020-01) or a day (2020-01-22).")

    def validate_source_url(self, field):
        if field.data:
            try:
                normalize_url(field.data)
            except ValueError as error:
                raise ValidationError(str(error)[0].upper() + str(error)[1:] + ".") from None

    @staticmethod
    def values(statement: Statement) -> dict:
        """The form's fields for an existing statement, loaded at its current version."""
        return {"title": statement.title, "slug": statement.slug, "speaker": statement.speaker_id,
                "kind": statement.kind, "date": statement.date_iso or "", "venue": statement.venue or "",
                "source_url": statement.source_url or "", "language": statement.language or "",
                "text": statement.text or "", "answers": sorted(a.answered_id for a in statement.answers),
                "version": statement.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        date, precision = self.parsed_date()
        return {"slug": self.slug.data, "title": self.title.data, "speaker_id": self.speaker.data,
                "kind": self.kind.data.value if self.kind.data else None,
                "date": date.isoformat() if date else None, "date_precision": precision.value if precision else None,
                "venue": self.venue.data or None, "source_url": self.url(), "language": self.language.data or None,
                "text": self.verbatim_text(), "answers": sorted(self.answers.data or [])}

    def parsed_date(self):
        return parse_date(self.date.data) if self.date.data else (None, None)

    def url(self) -> str | None:
        return normalize_url(self.source_url.data) if self.source_url.data else None

    def verbatim_text(self) -> str | None:
        """The text to store: None when nothing but blanks was pasted."""
        text = verbatim(self.text.data)
        return text if text.strip() else None


class StatementEditForm(CorrectionFields, StatementForm):
    """Editing the text readers see quoted by claims is a public correction."""


# ---- reading ---------------------------------------------------------------------

def statement_in(dispute: Dispute, slug: str) -> Statement | None:
    """A statement of the dispute by slug, deleted or not (editors edit what they may restore)."""
    query = (sa.select(Statement).where(Statement.dispute_id == dispute.id, Statement.slug == slug)
             .options(selectinload(Statement.answers)))
    return db.session.scalar(query)


def fill_choices(form: StatementForm, dispute: Dispute, statement: Statement | None) -> None:
    actors = db.session.scalars(sa.select(Actor).order_by(Actor.name, Actor.id))
    form.speaker.choices = [SelectChoice("", "A new speaker (type the name below)")] + [
        SelectChoice(str(actor.id), actor.name + (f", {actor.role}" if actor.role else "")) for actor in actors
    ]
    others = db.session.scalars(
        sa.select(Statement).where(Statement.dispute_id == dispute.id, Statement.id != (statement.id if statement else -1))
        .order_by(*statement_order()).options(selectinload(Statement.speaker))
    )
    form.answers.choices = [
        SelectChoice(str(other.id), f"{other.speaker.name}: {other.title} ({other.date_label})"
                                    + (" (deleted)" if other.deleted_at is not None else ""))
        for other in others
    ]


def anchored_claims(statement: Statement) -> list[Claim]:
    """The claims whose quotes sit in this text: its own quotes and the claims it reports."""
    query = sa.select(Claim).where(sa.or_(
        sa.and_(Claim.statement_id == statement.id, Claim.reconstructed.is_(False)),
        Claim.reported_in_id == statement.id,
    )).order_by(Claim.id)
    return list(db.session.scalars(query))


# ---- writing ---------------------------------------------------------------------

def save_statement(dispute: Dispute, statement: Statement | None, form: StatementForm) -> Statement:
    """Create a statement, or update it if the form was loaded at its current version.

    A changed text moves the anchors of every claim quoted in it; if any quote is no longer
    in the text, nothing is saved and the text field names those claims.
    """
    before = loaded_at(statement, form) if statement is not None else None
    slug = statement_slug(dispute, statement, form)
    speaker = chosen_speaker(form)
    date, precision = form.parsed_date()
    text = form.verbatim_text()
    claims = anchored_claims(statement) if statement is not None else []
    # Shown claims quote this text to readers: changing it is then a change of published wording.
    published = statement is not None and statement.deleted_at is None and any(
        c.deleted_at is None and c.review is ReviewStatus.approved for c in claims
    )
    if statement is None:
        statement = Statement(dispute_id=dispute.id)
        db.session.add(statement)
    text_changed = before is not None and text != statement.text
    statement.speaker = speaker
    assign(statement, {"slug": slug, "title": form.title.data, "kind": form.kind.data, "date": date,
                       "date_precision": precision, "venue": form.venue.data or None, "source_url": form.url(),
                       "language": form.language.data or None, "text": text})
    set_answers(statement, form.answers.data or [])
    if before is None:
        history.record("create", statement, None)
        return statement
    if text_changed:
        move_anchors(statement, claims)
    record_edit(statement, before, form, dispute_id=dispute.id, published=published)
    return statement


def statement_slug(dispute: Dispute, statement: Statement | None, form: StatementForm) -> str:
    """The slug typed, if free in the dispute; else one made from the title."""
    others = sa.select(Statement.slug).where(Statement.dispute_id == dispute.id)
    if statement is not None:
        others = others.where(Statement.id != statement.id)
    slug = form.slug.data
    if slug:
        if slug in RESERVED:
            raise Invalid("slug", f'"{slug}" is part of the address of the new-statement form; choose another slug')
        if db.session.scalar(others.where(Statement.slug == slug)):
            raise Taken(f'the slug "{slug}" is already used by another statement of this dispute')
        return slug
    base = slug_from(form.title.data, "statement")
    return free_slug(base, set(db.session.scalars(others.where(Statement.slug.like(f"{base}%")))) | RESERVED)


def chosen_speaker(form: StatementForm) -> Actor:
    """The actor chosen in the list, or a new one named in the form."""
    name = form.new_speaker.data
    if form.speaker.data is not None:
        if name:
            raise Invalid("new_speaker", "choose a speaker in the list or type a new speaker's name, not both")
        actor = db.session.get(Actor, form.speaker.data)
        if actor is None:
            raise Invalid("speaker", "this speaker no longer exists; choose another")
        return actor
    if not name:
        raise Invalid("speaker", "choose the speaker in the list, or type a new speaker's name below it")
    if db.session.scalar(sa.select(Actor.id).where(sa.func.lower(Actor.name) == name.lower())):
        raise Invalid("new_speaker", f'"{name}" is already a speaker: choose them in the list')
    base = slug_from(name, "speaker")
    taken = db.session.scalars(sa.select(Actor.slug).where(Actor.slug.like(f"{base}%")))
    actor = Actor(slug=free_slug(base, taken), name=name, kind=form.new_speaker_kind.data)
    db.session.add(actor)
    return actor


def set_answers(statement: Statement, ids: list[int]) -> None:
    """Keep the answers still wanted, drop the others, add the new ones."""
    wanted = set(ids)
    if statement.id is not None and wanted != {a.answered_id for a in statement.answers}:
        flag_modified(statement, "slug")  # the answers are rows of their own: the statement's version must still move
    for answer in [a for a in statement.answers if a.answered_id not in wanted]:
        statement.answers.remove(answer)
    have = {a.answered_id for a in statement.answers}
    for answered_id in sorted(wanted - have):
        statement.answers.append(StatementAnswer(answered_id=answered_id, dispute_id=statement.dispute_id))


def move_anchors(statement: Statement, claims: list[Claim]) -> None:
    """Re-anchor every claim quoted in the statement's new text, or refuse naming the lost ones.

    Each moved claim records its own revision, so its history shows where its quote went.
    """
    moved, lost = [], []
    for claim in claims:
        anchor = reanchor(statement.text or "", stored_anchor(claim))
        if anchor is None:
            lost.append(claim)
        else:
            moved.append((claim, anchor))
    if lost:
        names = "; ".join(f'{c.slug} ("{shorten(c.quote_exact)}")' for c in lost)
        raise Invalid("text", f"the new text no longer holds the quotes of these claims: {names}. Keep their "
                              "words in the text, or edit those claims' quotes first")
    for claim, anchor in moved:
        before = history.snapshot(claim)
        assign(claim, anchor_values(anchor))
        if history.snapshot(claim) != before:
            history.record("edit", claim, before, reason=f'quote re-anchored: the text of "{statement.slug}" changed')


def shorten(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- routes ----------------------------------------------------------------------

@bp.route("/disputes/<dispute_slug>/statements/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_statement(dispute_slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    return statement_form(dispute, None)


@bp.route("/disputes/<dispute_slug>/statements/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_statement(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    statement = statement_in(dispute, slug) or abort(404)
    return statement_form(dispute, statement)


def statement_form(dispute: Dispute, statement: Statement | None):
    if statement is None:
        form = StatementForm()
    else:
        form = StatementEditForm(data=StatementForm.values(statement))
    fill_choices(form, dispute, statement)
    return save_form(
        form, "editor/statement_form.html",
        save=lambda: save_statement(dispute, statement, form),
        done=lambda saved: statement_page(dispute, saved),
        message="Statement saved." if statement else "Statement added.",
        reload=lambda: db.session.get(Statement, statement.id), dispute=dispute, statement=statement,
    )


def statement_page(dispute: Dispute, statement: Statement) -> str:
    """Where the saved statement is seen: its page, or its history when it is deleted."""
    if statement.deleted_at is not None:
        return url_for("editor.history_page", object_type="statement", object_id=statement.id)
    return url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug)
