"""Statement forms: add and edit a statement's verbatim text and facts."""

from flask import abort, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired

from tracker import rules
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.actors import new_speaker
from tracker.core.errors import Invalid
from tracker.core.statements import save_statement
from tracker.db import db
from tracker.disputes.queries import dispute_by_slug
from tracker.forms import CorrectionFields, crlf_to_lf, enum_options, follows, row_id, strip, version_field
from tracker.models import Actor, ActorKind, Dispute, Role, Statement, StatementKind

from . import queries
from .blueprint import bp
from .flow import save_form


class StatementForm(FlaskForm):
    title = StringField("Title", filters=[strip],
                        validators=[DataRequired(), follows(rules.one_line, rules.LIMITS["title"])])
    slug = StringField("Slug (in its address; leave empty to make one from the title)", filters=[strip],
                       validators=[follows(rules.slug)])
    speaker = SelectField("Speaker", coerce=row_id)
    new_speaker = StringField("Or a new speaker's name (when not in the list)", filters=[strip],
                              validators=[follows(rules.one_line, rules.LIMITS["name"])])
    new_speaker_kind = SelectField("The new speaker is", choices=enum_options(ActorKind),
                                   coerce=enum_coerce(ActorKind), default=ActorKind.person)
    kind = SelectField("Kind", choices=enum_options(StatementKind), coerce=enum_coerce(StatementKind),
                       default=StatementKind.speech)
    date = StringField("Date (2020, 2020-01 or 2020-01-22; empty if unknown)", filters=[strip],
                       validators=[follows(rules.partial_date)])
    venue = StringField("Venue", filters=[strip], validators=[follows(rules.one_line, rules.LIMITS["venue"])])
    source_url = StringField("Source URL", filters=[strip], validators=[follows(rules.link)])
    language = StringField("Language (a tag such as en, fr or zh-Hans)", filters=[strip],
                           validators=[follows(rules.language)])
    # Verbatim: no strip; only the line breaks browsers send as CRLF become LF.
    text = TextAreaField("Verbatim text (stored exactly as pasted; empty if no transcript is on record)",
                         filters=[crlf_to_lf], validators=[follows(rules.verbatim)], render_kw={"rows": 20})
    answers = SelectMultipleField("Answers (the statements of this dispute it replies to)", coerce=int,
                                  render_kw={"size": 6})
    version = version_field()

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
        date, precision = rules.partial_date(self.date.data)
        return {"slug": self.slug.data, "title": self.title.data, "speaker_id": self.speaker.data,
                "kind": self.kind.data.value if self.kind.data else None,
                "date": date.isoformat() if date else None, "date_precision": precision.value if precision else None,
                "venue": self.venue.data or None, "source_url": rules.link(self.source_url.data, required=False),
                "language": rules.language(self.language.data), "text": rules.verbatim(self.text.data),
                "answers": sorted(self.answers.data or [])}


class StatementEditForm(CorrectionFields, StatementForm):
    """Editing the text readers see quoted by claims is a public correction."""


def fill_choices(form: StatementForm, dispute: Dispute, statement: Statement | None) -> None:
    form.speaker.choices = [SelectChoice("", "A new speaker (type the name below)")] + [
        SelectChoice(str(actor.id), actor.name + (f", {actor.role}" if actor.role else ""))
        for actor in queries.all_actors()
    ]
    form.answers.choices = [
        SelectChoice(str(other.id), f"{other.speaker.name}: {other.title} ({other.date_label})"
                                    + (" (deleted)" if other.deleted_at is not None else ""))
        for other in queries.other_statements(dispute, statement)
    ]


def chosen_speaker(form: StatementForm, by: By) -> Actor:
    """The actor chosen in the list, or a new one named in the form."""
    if form.speaker.data is not None:
        if form.new_speaker.data:
            raise Invalid("new_speaker", "choose a speaker in the list or type a new speaker's name, not both")
        actor = db.session.get(Actor, form.speaker.data)
        if actor is None:
            raise Invalid("speaker", "this speaker no longer exists; choose another")
        return actor
    if not form.new_speaker.data:
        raise Invalid("speaker", "choose the speaker in the list, or type a new speaker's name below it")
    return new_speaker(form.new_speaker.data, form.new_speaker_kind.data, by)


def save(dispute: Dispute, statement: Statement | None, form: StatementForm, by: By) -> Statement:
    return save_statement(
        dispute, statement, title=form.title.data, slug=form.slug.data or None, speaker=chosen_speaker(form, by),
        kind=form.kind.data, date=form.date.data, venue=form.venue.data, source_url=form.source_url.data,
        language=form.language.data, text=form.text.data, answers=form.answers.data or [], by=by,
        version=form.version.data if statement else None,
        correction=form.correction_note() if statement else None,
    )


@bp.route("/disputes/<dispute_slug>/statements/new", methods=["GET", "POST"])
@role_required(Role.editor)
def new_statement(dispute_slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    return statement_form(dispute, None)


@bp.route("/disputes/<dispute_slug>/statements/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_statement(dispute_slug: str, slug: str):
    dispute = dispute_by_slug(dispute_slug) or abort(404)
    statement = queries.statement_in(dispute, slug) or abort(404)
    return statement_form(dispute, statement)


def statement_form(dispute: Dispute, statement: Statement | None):
    form = StatementForm() if statement is None else StatementEditForm(data=StatementForm.values(statement))
    fill_choices(form, dispute, statement)
    by = By.account(current_user)
    return save_form(
        form, "editor/statement_form.html",
        save=lambda: save(dispute, statement, form, by),
        done=lambda saved: statement_page(dispute, saved),
        message="Statement saved." if statement else "Statement added.",
        reload=lambda: db.session.get(Statement, statement.id), dispute=dispute, statement=statement,
    )


def statement_page(dispute: Dispute, statement: Statement) -> str:
    """Where the saved statement is seen: its page, or its history when it is deleted."""
    if statement.deleted_at is not None:
        return url_for("editor.history_page", object_type="statement", object_id=statement.id)
    return url_for("statements.detail", dispute_slug=dispute.slug, slug=statement.slug)
