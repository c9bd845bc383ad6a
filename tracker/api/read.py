"""The API's read addresses."""

from flask import url_for

from . import bp


@bp.get("/")
def root():
    """Where the API's parts are."""
    return {"disputes": url_for("api.root", _external=True) + "disputes",
            "openapi": url_for("api.root", _external=True) + "openapi.json"}
