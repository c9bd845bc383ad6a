"""Cross-origin reading: a script of any site may GET the API (CORS); writes stay with this site.

Eighteen lines of headers rather than Flask-CORS: the policy is one fixed set of headers on reads under one
prefix, and it sits in sight here, beside the rate limits' headers it exposes.
"""

from flask import request

from .blueprint import bp

READS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPOSED = "ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
ASKED = "Authorization, If-None-Match, If-Modified-Since"


@bp.after_app_request
def open_reads(response):
    """Any origin may read an answer under /api/v1 (errors too); a preflight allows GET only, so a browser
    sends no other method across origins. No cookies cross: "*" never lets them."""
    if not request.path.startswith(bp.url_prefix + "/") or request.method not in READS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = ASKED
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
