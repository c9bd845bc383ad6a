"""Read functions for the account page."""

import sqlalchemy as sa
from flask import current_app

from tracker.db import db, utcnow
from tracker.models import AccountSession


def live_sessions(user_id: int) -> list[AccountSession]:
    """The account's sessions still going, newest first."""
    oldest = utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"]
    query = (sa.select(AccountSession)
             .where(AccountSession.user_id == user_id, AccountSession.ended_at.is_(None),
                    AccountSession.created_at > oldest)
             .order_by(AccountSession.created_at.desc(), AccountSession.id.desc()))
    return list(db.session.scalars(query))
