"""Forms for accounts."""

import secrets

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker import rules
from tracker.core.tokens import LIFETIMES, NAME_LIMIT
from tracker.forms import follows, strip


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), follows(rules.one_line, 254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Only a CSRF token: signing out is a POST, so no page can sign a reader out."""


class PasswordChangeForm(FlaskForm):
    """The owner changes their password: the current one first, so a borrowed browser cannot."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1000)])
    password = PasswordField("New password", validators=[DataRequired(), follows(rules.password)])
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("password", message="The two passwords are not the same.")])


class TokenForm(FlaskForm):
    """A new API token: a name to know it by, and how long it lives."""

    name = StringField("Name (what the token is for, such as “import script”)", filters=[strip],
                       validators=[DataRequired(), follows(rules.one_line, NAME_LIMIT)])
    days = SelectField("Expires", default="90", coerce=lambda value: int(value) if value else None,
                       choices=[SelectChoice(str(days) if days else "", f"after {days} days" if days else "never "
                                             "(until you revoke it)") for days in LIFETIMES])
    # New with each page: the same form sent twice (a reload of the page showing the token) makes one token.
    once = HiddenField(default=lambda: secrets.token_urlsafe(12), validators=[Length(max=40)])
