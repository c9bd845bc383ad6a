"""Evidence forms: contributors suggest links, editors add and edit them."""

import sqlalchemy as sa
from flask import abort, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from tracker import history
from tracker.auth.roles import role_required
from tracker.db import db
from tracker.forms import enum_options
from tracker.models import Claim, Dispute, Evidence, ReviewStatus, Role, Stance, Statement
from tracker.shown import CLAIM_SHOWN, LIVE, STATEMENT_SHOWN
from tracker.urls import normalize_url

from . import bp, services
from .fields import no_nul
from .flow import save_form


class EvidenceForm(FlaskForm):
    url = StringField("Link (URL)", validators=[DataRequired(), Length(max=2000), no_nul])
    title = StringField("Title", validators=[DataRequired(), Length(max=300), no_nul])
    publisher = StringField("Publisher", validators=[Length(max=200), no_nul])
    date = DateField("Date published (YYYY-MM-DD, optional)", validators=[Optional()])
    excerpt = TextAreaField("Excerpt (the passage that matters, quoted)", validators=[Length(max=5000), no_nul])
    stance = SelectField("What it does to the claim", choices=enum_options(Stance), coerce=enum_coerce(Stance),
                         default=Stance.supports)
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

    # Set when the link is already on the claim: the template links to that item.
    duplicate_of: dict | None = None

    def validate_url(self, field):
        try:
            normal = normalize_url(field.data or "")
        except ValueError as error:
            raise ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
        if len(normal) > 2000:
            raise ValidationError("Field cannot be longer than 2000 characters.")

    def normal_url(self) -> str:
        return normalize_url(self.url.data)

    @staticmethod
    def values(item: Evidence) -> dict:
        return {"url": item.url, "title": item.title, "publisher": item.publisher, "date": item.date,
                "excerpt": item.excerpt, "stance": item.stance, "version": item.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"url": self.normal_url(), "title": self.title.data.strip(),
                "publisher": (self.publisher.data or "").strip() or None,
                "date": history.plain(self.date.data), "excerpt": (self.excerpt.data or "").strip() or None,
                "stance": self.stance.data.value}


# ---- reading -------------------------------------------------------------------------

def shown_claim(dispute_slug: str, slug: str) -> Claim | None:
    """A claim readers see (approved, not deleted, not merged away) in a live dispute."""
    query = (
        sa.select(Claim)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Dispute.slug == dispute_slug, LIVE, Claim.slug == slug, CLAIM_SHOWN, STATEMENT_SHOWN)
        .options(selectinload(Claim.statement).selectinload(Statement.dispute), selectinload(Claim.shown_evidence))
    )
    return db.session.scalar(query)


def evidence_in(dispute_slug: str, evidence_id: int) -> Evidence | None:
    """Evidence (not deleted) on a shown claim of the live dispute."""
    query = (
        sa.select(Evidence)
        .join(Claim, Claim.id == Evidence.claim_id)
        .join(Dispute, Dispute.id == Claim.dispute_id)
        .join(Statement, Statement.id == Claim.statement_id)
        .where(Evidence.id == evidence_id, Evidence.deleted_at.is_(None), Dispute.slug == dispute_slug, LIVE,
               CLAIM_SHOWN, STATEMENT_SHOWN)
        .options(selectinload(Evidence.claim).selectinload(Claim.statement).selectinload(Statement.dispute))
    )
    return db.session.scalar(query)


def claim_page(claim: Claim) -> str:
    return url_for("claims.detail", dispute_slug=claim.statement.dispute.slug, slug=claim.slug)


def place_of(item: Evidence) -> str:
    """Where an editor or the submitter finds the item: on the claim page if readers see it, else its history."""
    if item.deleted_at is None and item.review is ReviewStatus.approved:
        return f"{claim_page(item.claim)}#evidence-{item.id}"
    return url_for("editor.history_page", object_type="evidence", object_id=item.id)


# ---- writing -------------------------------------------------------------------------

def save_evidence(claim: Claim, item: Evidence | None, form: EvidenceForm) -> Evidence:
    """Add evidence to the claim (an editor's is approved, a contributor's waits for review), or edit it."""
    url = form.normal_url()
    refuse_duplicate(claim, item, url, form)
    if item is None:
        editor = current_user.can(Role.editor)
        item = Evidence(claim_id=claim.id, added_by_id=current_user.id,
                        review=ReviewStatus.approved if editor else ReviewStatus.pending)
        db.session.add(item)
        before = None
    else:
        before = services.loaded_at(item, form)
    item.url, item.title = url, form.title.data.strip()
    item.publisher = (form.publisher.data or "").strip() or None
    item.date, item.stance = form.date.data, form.stance.data
    item.excerpt = (form.excerpt.data or "").strip() or None
    try:
        with db.session.begin_nested():  # a concurrent save of the same link meets the unique key
            db.session.flush()
    except IntegrityError:
        refuse_duplicate(claim, item if before is not None else None, url, form)
        raise
    if before is None:
        history.record("create", item, None)
    else:
        services.record_edit(item, before, form, dispute_id=claim.dispute_id, published=False)
    return item


def refuse_duplicate(claim: Claim, item: Evidence | None, url: str, form: EvidenceForm) -> None:
    """Invalid on the url field when another item of the claim (in any state) has the link."""
    query = sa.select(Evidence).where(Evidence.claim_id == claim.id, Evidence.url == url)
    if item is not None and item.id is not None:
        query = query.where(Evidence.id != item.id)
    with db.session.no_autoflush:  # the item being saved may be the one that clashed
        existing = db.session.scalar(query)
    if existing is None:
        return
    # Plain data: the template builds the link (the session is rolled back before it renders).
    state = "deleted" if existing.deleted_at else existing.review.value
    form.duplicate_of = {"title": existing.title, "state": state, "link": place_of(existing)}
    raise services.Invalid("url", "this link is already on this claim")


# ---- pages ---------------------------------------------------------------------------

@bp.route("/disputes/<dispute_slug>/claims/<slug>/evidence/new", methods=["GET", "POST"])
@role_required(Role.contributor)
def new_evidence(dispute_slug: str, slug: str):
    claim = shown_claim(dispute_slug, slug) or abort(404)
    form = EvidenceForm()
    editor = current_user.can(Role.editor)
    return save_form(
        form, "editor/evidence_form.html",
        save=lambda: save_evidence(claim, None, form),
        done=lambda saved: place_of(saved) if editor else claim_page(claim),
        message="Evidence added." if editor else
        "Thank you: your evidence awaits review by an editor. Follow it on My submissions.",
        claim=claim, item=None, editor=editor,
    )


@bp.route("/disputes/<dispute_slug>/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
@role_required(Role.editor)
def edit_evidence(dispute_slug: str, evidence_id: int):
    item = evidence_in(dispute_slug, evidence_id) or abort(404)
    claim = item.claim
    form = EvidenceForm(data=EvidenceForm.values(item))
    return save_form(
        form, "editor/evidence_form.html",
        save=lambda: save_evidence(claim, item, form),
        done=place_of, message="Evidence saved.",
        reload=lambda: evidence_in(dispute_slug, evidence_id), claim=claim, item=item, editor=True,
    )
