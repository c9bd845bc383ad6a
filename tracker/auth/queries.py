"""Read functions for the account page."""

import sqlalchemy as sa
from flask import current_app

from tracker.db import db, utcnow
from tracker.models import AccountSession, ApiToken


def live_sessions(user_id: int) -> list[AccountSession]:
    """The account's sessions still going, newest first."""
    oldest = utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"]
    query = (sa.select(AccountSession)
             .where(AccountSession.user_id == user_id, AccountSession.ended_at.is_(None),
                    AccountSession.created_at > oldest)
             .order_by(AccountSession.created_at.desc(), AccountSession.id.desc()))
    return list(db.session.scalars(query))


def tokens_of(user_id: int) -> list[ApiToken]:
    """The account's API tokens not revoked (expired ones too, marked so on the page), newest first."""
    query = (sa.select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    return list(db.session.scalars(query))
