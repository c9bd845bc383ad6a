"""Role checks for editor routes."""

from functools import wraps

from flask import abort
from flask_login import current_user

from tracker.models import Role
from tracker.security import login_manager


def role_required(role: Role):
    """Anonymous visitors are sent to sign in; a signed-in user without the role gets 403."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(role):
                abort(403, description=f"This page is for {role.value}s.")
            return view(*args, **kwargs)

        return checked

    return decorate
