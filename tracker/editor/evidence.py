"""Evidence forms: contributors suggest links, editors add and edit them."""

from flask import abort, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from tracker import history, rules, shown
from tracker.auth.roles import role_required
from tracker.core import By
from tracker.core.evidence import DuplicateLink, add_evidence, edit_evidence
from tracker.forms import follows, optional_enum, strip, version_field
from tracker.models import Claim, Evidence, Role, Stance

from . import queries
from .blueprint import bp
from .flow import save_form


STANCES = [SelectChoice("", "Choose one"), SelectChoice(Stance.supports.value, "It supports the claim"),
           SelectChoice(Stance.refutes.value, "It refutes the claim"),
           SelectChoice(Stance.context.value, "It gives context")]


class EvidenceForm(FlaskForm):
    url = StringField("Link (URL)", filters=[strip], validators=[DataRequired(), follows(rules.link)])
    archived_url = StringField("Archived copy (optional; https://web.archive.org/web/… or https://archive.ph/…)",
                               filters=[strip], validators=[follows(rules.archived_copy)])
    title = StringField("Title", filters=[strip],
                        validators=[DataRequired(), follows(rules.one_line, rules.LIMITS["title"])])
    publisher = StringField("Publisher", filters=[strip],
                            validators=[follows(rules.one_line, rules.LIMITS["publisher"])])
    # Typed, not a date picker: a date copied from an article pastes as it is, and a half-typed one is an
    # error here rather than a value the browser drops without a word.
    date = StringField("Date published (optional; year-month-day, such as 2020-01-22)", filters=[strip],
                       validators=[follows(rules.day)])
    excerpt = TextAreaField("Excerpt (the passage that matters, quoted)",
                            validators=[follows(rules.free_text, rules.LIMITS["excerpt"])])
    # No stance is assumed: the editor says which.
    stance = SelectField("What it does to the claim", choices=STANCES, coerce=optional_enum(Stance), default=None)
    version = version_field()

    # Set when the link is already on the claim: the template links to that item.
    duplicate_of: dict | None = None

    def validate_stance(self, field):
        if field.data is None and not field.errors:
            raise ValidationError("Choose whether it supports the claim, refutes it or gives context.")

    @staticmethod
    def values(item: Evidence) -> dict:
        return {"url": item.url, "archived_url": item.archived_url, "title": item.title, "publisher": item.publisher,
                "date": item.date.isoformat() if item.date else "",
                "excerpt": item.excerpt, "stance": item.stance, "version": item.version}

    def fields(self) -> dict:
        """The values the core takes."""
        return {"url": self.url.data, "archived_url": self.archived_url.data, "title": self.title.data,
                "publisher": self.publisher.data, "date": self.date.data, "excerpt": self.excerpt.data,
                "stance": self.stance.data}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"url": rules.link(self.url.data), "archived_url": rules.archived_copy(self.archived_url.data),
                "title": self.title.data, "publisher": self.publisher.data or None,
                "date": history.plain(rules.day(self.date.data)),
                "excerpt": rules.free_text(self.excerpt.data, rules.LIMITS["excerpt"]), "stance": self.stance.data.value}


def claim_page(claim: Claim) -> str:
    return url_for("claims.detail", dispute_slug=claim.statement.dispute.slug, slug=claim.slug)


def place_of(item: Evidence) -> str:
    """Where an editor or the submitter finds the item: on the claim page if readers see it, else its history."""
    if shown.evidence_is_shown(item):
        return f"{claim_page(item.claim)}#evidence-{item.id}"
    return url_for("editor.history_page", object_type="evidence", object_id=item.id)


def save(form: EvidenceForm, claim: Claim, item: Evidence | None, by: By) -> Evidence:
    """Add or edit through the core; a link already on the claim is named and linked in the form."""
    try:
        if item is None:
            return add_evidence(claim, **form.fields(), by=by)
        return edit_evidence(item, **form.fields(), by=by, version=form.version.data)
    except DuplicateLink as error:
        # Plain data: the template builds the link (the session is rolled back before it renders).
        existing = error.existing
        state = "deleted" if existing.deleted_at else existing.review.value
        form.duplicate_of = {"title": existing.title, "state": state, "link": place_of(existing)}
        raise


@bp.route("/disputes/<dispute_slug>/claims/<slug>/evidence/new", methods=["GET", "POST"])
@role_required(Role.contributor)
def new_evidence(dispute_slug: str, slug: str):
    claim = queries.shown_claim(dispute_slug, slug) or abort(404)
    form = EvidenceForm()
    by = By.account(current_user)
    editor = by.can(Role.editor)
    return save_form(
        form, "editor/evidence_form.html",
        save=lambda: save(form, claim, None, by),
        done=lambda saved: place_of(saved) if editor else claim_page(claim),
        message="Evidence added." if editor else
        "Thank you: your evidence awaits review by an editor. Follow it on My submissions.",
        claim=claim, item=None, editor=editor,
    )


@bp.route("/disputes/<dispute_slug>/evidence/<int:evidence_id>/edit", methods=["GET", "POST"],
          endpoint="edit_evidence")
@role_required(Role.editor)
def edit_evidence_form(dispute_slug: str, evidence_id: int):
    item = queries.evidence_in(dispute_slug, evidence_id) or abort(404)
    form = EvidenceForm(data=EvidenceForm.values(item))
    by = By.account(current_user)
    return save_form(
        form, "editor/evidence_form.html",
        save=lambda: save(form, item.claim, item, by),
        done=place_of, message="Evidence saved.",
        reload=lambda: queries.evidence_in(dispute_slug, evidence_id), claim=item.claim, item=item, editor=True,
    )
