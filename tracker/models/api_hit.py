"""How many API requests a caller made in a window of time: counted in the database, so that every worker
process of the server counts together."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import db


class ApiHit(db.Model):
    # "address:<ip>" for callers without a token, "token:<id>" for those with one.
    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    # The window's start, in seconds since 1970 (UTC): a multiple of the window's length.
    window_start: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    hits: Mapped[int]
