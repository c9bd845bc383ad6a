"""The API's errors are problem details (RFC 9457), never the site's HTML error pages."""

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from tracker.problems import problem

from .blueprint import bp
from .body import too_large


@bp.errorhandler(HTTPException)
def http_problem(error: HTTPException):
    """An abort() with a problem response passes as it is; any other HTTP error becomes one."""
    if error.response is not None:
        return error.response
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return problem(error.code or 500, error.description or "", headers=headers)


@bp.errorhandler(RequestEntityTooLarge)
def too_large_problem(error: RequestEntityTooLarge):
    """Registered by its code too: the site's own 413 page (registered so) would otherwise answer first."""
    return too_large()
