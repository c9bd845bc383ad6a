"""The API's blueprint, apart from the package's __init__: its modules import it from here, without a cycle."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
