"""The editing blueprint, on which every editor module registers its routes."""

from flask import Blueprint

bp = Blueprint("editor", __name__)
