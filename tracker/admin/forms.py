"""One form per admin action."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, EqualTo

from tracker import rules
from tracker.forms import enum_options, follows, strip
from tracker.models import Role


def new_password() -> PasswordField:
    # PasswordField never writes its value back into the page.
    return PasswordField("Password", validators=[DataRequired(), follows(rules.password)])


def password_again() -> PasswordField:
    return PasswordField("Password again", validators=[
        DataRequired(), EqualTo("password", message="The two passwords are not the same.")])


def user_name() -> StringField:
    return StringField("Name", filters=[strip],
                       validators=[DataRequired(), follows(rules.one_line, rules.LIMITS["user_name"])])


class NewUserForm(FlaskForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired(), follows(rules.email)])
    name = user_name()
    role = SelectField("Role", choices=enum_options(Role), coerce=enum_coerce(Role), default=Role.contributor)
    password = new_password()
    confirm = password_again()


class EditUserForm(FlaskForm):
    name = user_name()
    role = SelectField("Role", choices=enum_options(Role), coerce=enum_coerce(Role))
    active = BooleanField("Active (may sign in)")
    # A hash of the account as the form was loaded: a save from an older state is refused.
    state = HiddenField(validators=[DataRequired()])

    @staticmethod
    def values(user, state: str) -> dict:
        return {"name": user.name, "role": user.role, "active": user.active, "state": state}


class PasswordForm(FlaskForm):
    """An admin sets a new password for an account."""

    password = new_password()
    confirm = password_again()
