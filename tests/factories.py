"""Small builders for model tests: valid rows with every required field."""

import datetime as dt

from tracker.db import db
from tracker.models import (
    Actor, ActorKind, Claim, ClaimKind, DatePrecision, Dispute, Evidence, Relation, Response, Stance, Statement,
    StatementKind,
)


def dispute(slug: str = "d") -> Dispute:
    row = Dispute(slug=slug, title=f"Dispute {slug}")
    db.session.add(row)
    return row


def actor(slug: str = "a") -> Actor:
    row = db.session.scalar(db.select(Actor).filter_by(slug=slug))
    if row is None:
        row = Actor(slug=slug, name=f"Actor {slug}", kind=ActorKind.person)
        db.session.add(row)
    return row


def statement(in_dispute: Dispute, slug: str = "s", text: str | None = "Some words. More words.", **fields) -> Statement:
    defaults = dict(date=dt.date(2020, 1, 22), date_precision=DatePrecision.day, title=f"Statement {slug}")
    speaker = fields.pop("speaker", None) or actor()
    row = Statement(dispute=in_dispute, slug=slug, speaker=speaker, kind=StatementKind.speech, text=text,
                    **{**defaults, **fields})
    db.session.add(row)
    return row


def claim(of: Statement, slug: str = "c", **fields) -> Claim:
    if of.id is None:
        db.session.flush()  # for the statement's ids; once it has them, claims are inserted later, in one batch
    anchor = dict(quote_start=0, quote_end=10, quote_exact="Some words", quote_prefix="", quote_suffix=". More")
    defaults = dict(summary=f"Claim {slug}", kind=ClaimKind.assertion, **anchor)
    row = Claim(dispute_id=of.dispute_id, statement_id=of.id, slug=slug, **{**defaults, **fields})
    db.session.add(row)
    return row


def evidence(on: Claim, url: str, stance: Stance = Stance.supports, **fields) -> Evidence:
    if on.id is None:
        db.session.flush()
    row = Evidence(claim_id=on.id, url=url, title=fields.pop("title", f"Evidence {url}"), stance=stance, **fields)
    db.session.add(row)
    return row


def response(answer: Claim, target: Claim, relation: Relation = Relation.rebuts, **fields) -> Response:
    if answer.id is None or target.id is None:
        db.session.flush()
    row = Response(claim_id=answer.id, target_id=target.id, dispute_id=answer.dispute_id, relation=relation, **fields)
    db.session.add(row)
    return row



def create_user(email: str, name: str, role, password: str):
    """An account row for a test's cast (fixtures, not a door: no revision, as if made before the test)."""
    from tracker.models import User
    from tracker.passwords import hash_password

    user = User(email=email.strip().lower(), name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    return user


def edits():
    """The revisions people made (what an account did), leaving aside the import of the seed."""
    from tracker.models import Revision

    return db.select(Revision).where(Revision.source.is_(None))
