"""Moderation: submissions wait in a queue; editors approve or reject them with a reason."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, ValidationError
from wtforms.widgets import HiddenInput

from tracker import paging, rules, shown
from tracker.auth.roles import role_required
from tracker.core import By, Refused
from tracker.core.review import decide
from tracker.db import begin_write, db
from tracker.forms import follows
from tracker.models import Claim, Evidence, ReviewStatus, Role, Statement, User

from .blueprint import bp
from .evidence import claim_page

PER_PAGE = 25
LAST_PAGE = 10_000  # a bound on the offset: a later page is refused (400)
# What can be submitted, hence reviewed: the name in addresses and revisions, the model, its date column.
REVIEWED = {"claim": (Claim, Claim.created_at), "evidence": (Evidence, Evidence.added_at)}


class DecisionForm(FlaskForm):
    decision = StringField(validators=[InputRequired(message="choose Approve or Reject."),
                                       AnyOf(["approve", "reject"], message="choose Approve or Reject.")])
    reason = TextAreaField("Reason (the submitter sees it)", validators=[follows(rules.free_text, rules.LIMITS["note"])])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def validate_reason(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("say why it is rejected: the submitter sees this reason.")


@dataclass
class Item:
    """One submission as a list shows it: what it is, and (for claims and evidence alike) its row."""

    kind: str  # "claim" or "evidence"
    row: Claim | Evidence

    @property
    def submitter_id(self) -> int | None:
        return self.row.submitted_by_id if self.kind == "claim" else self.row.added_by_id

    @property
    def submitted_at(self):
        return self.row.created_at if self.kind == "claim" else self.row.added_at

    @property
    def link(self) -> str | None:
        """Where readers see it, if they do."""
        row = self.row
        claim = row if isinstance(row, Claim) else row.claim
        if not shown.claim_is_shown(claim) or (row is not claim and not shown.evidence_is_shown(row)):
            return None
        return claim_page(claim) + ("" if row is claim else f"#evidence-{row.id}")


# ---- reading -------------------------------------------------------------------------

def page_number() -> int:
    return paging.page_number(request.args.get("page"), LAST_PAGE)


def submissions(where: dict, page: int, oldest_first: bool) -> tuple[list[Item], bool]:
    """One page of claims and evidence matching `where` (per kind), in date order; and whether more follow.

    One query picks the page across both kinds; then one load per kind with what the list shows.
    """
    parts = [
        sa.select(sa.literal(kind).label("kind"), model.id.label("id"), at.label("at")).where(*where[kind])
        for kind, (model, at) in REVIEWED.items()
    ]
    listed = sa.union_all(*parts).subquery()
    order = (listed.c.at, listed.c.id) if oldest_first else (listed.c.at.desc(), listed.c.id.desc())
    rows = db.session.execute(
        sa.select(listed.c.kind, listed.c.id).order_by(*order).limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)
    ).all()
    more, rows = len(rows) > PER_PAGE, rows[:PER_PAGE]
    loaded = {("claim", c.id): c for c in load_claims([i for k, i in rows if k == "claim"])}
    loaded |= {("evidence", e.id): e for e in load_evidence([i for k, i in rows if k == "evidence"])}
    return [Item(kind, loaded[(kind, id_)]) for kind, id_ in rows], more


def load_claims(ids: list[int]) -> list[Claim]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Claim).where(Claim.id.in_(ids)).options(
        selectinload(Claim.statement).selectinload(Statement.dispute),
        selectinload(Claim.statement).selectinload(Statement.speaker),
    )))


def load_evidence(ids: list[int]) -> list[Evidence]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Evidence).where(Evidence.id.in_(ids)).options(
        selectinload(Evidence.claim).selectinload(Claim.statement).selectinload(Statement.dispute),
    )))


def submitters(items: list[Item]) -> dict:
    """The accounts that submitted the items, by id (one query)."""
    ids = {item.submitter_id for item in items} - {None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def pending(kind: str) -> list:
    model = REVIEWED[kind][0]
    return [model.review == ReviewStatus.pending, model.deleted_at.is_(None)]


def mine(kind: str) -> list:
    """The signed-in user's own submissions, whatever became of them."""
    owner = Claim.submitted_by_id if kind == "claim" else Evidence.added_by_id
    return [owner == current_user.id]


# ---- pages ---------------------------------------------------------------------------

@bp.route("/review")
@role_required(Role.editor)
def review_queue():
    return render_queue(page_number())


def render_queue(page: int, failed: tuple | None = None, status: int = 200):
    """The queue page; `failed` = (kind, id, form) when a decision came back with an error."""
    where = {kind: pending(kind) for kind in REVIEWED}
    if failed:  # only that item, with the editor's input and the error by its field
        kind, object_id, form = failed
        where = {k: [sa.false()] for k in REVIEWED}
        where[kind] = [REVIEWED[kind][0].id == object_id]
    items, more = submissions(where, page, oldest_first=True)
    return render_template("editor/review_queue.html", items=items, users=submitters(items), page=page, more=more,
                           failed=failed), status


@bp.route("/review/<object_type>/<int:object_id>", methods=["POST"])
@role_required(Role.editor)
def decide_one(object_type: str, object_id: int):
    if object_type not in REVIEWED:
        abort(404)
    form = DecisionForm()
    model = REVIEWED[object_type][0]
    if not form.validate_on_submit():
        if db.session.get(model, object_id) is None:
            abort(404)
        return render_queue(1, failed=(object_type, object_id, form), status=400)
    by = By.account(current_user)
    begin_write()
    row = db.session.get(model, object_id)
    if row is None or row.deleted_at is not None:
        abort(404)
    try:
        decide(row, approve=form.decision.data == "approve", reason=form.reason.data, by=by,
               version=form.version.data)
    except Refused as error:
        db.session.rollback()
        abort(409, description=f"This submission cannot be decided: {error}.")
    db.session.commit()
    flash("Approved: readers now see it." if form.decision.data == "approve"
          else "Rejected: the submitter sees your reason.")
    return redirect(url_for("editor.review_queue"))


@bp.route("/my/submissions")
@role_required(Role.contributor)
def my_submissions():
    page = page_number()
    items, more = submissions({kind: mine(kind) for kind in REVIEWED}, page, oldest_first=False)
    return render_template("editor/submissions.html", items=items, page=page, more=more)
