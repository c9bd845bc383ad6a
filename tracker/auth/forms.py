"""Forms for accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker import rules
from tracker.forms import follows


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
