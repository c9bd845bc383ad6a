"""The API's blueprint, in a module of its own: the API's modules add to it, and the package imports them."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
