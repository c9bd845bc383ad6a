"""One form per admin action."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from tracker.auth.services import EMAIL, MIN_PASSWORD, normalize_email
from tracker.forms import enum_options
from tracker.models import Role

PASSWORD_LENGTH = Length(min=MIN_PASSWORD, max=1000, message=f"Use at least {MIN_PASSWORD} characters.")


def new_password() -> PasswordField:
    # PasswordField never writes its value back into the page.
    return PasswordField("Password", validators=[DataRequired(), PASSWORD_LENGTH])


def password_again() -> PasswordField:
    return PasswordField("Password again", validators=[
        DataRequired(), EqualTo("password", message="The two passwords are not the same.")])


class NewUserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=enum_options(Role), coerce=enum_coerce(Role), default=Role.contributor)
    password = new_password()
    confirm = password_again()

    def validate_email(self, field):
        if not EMAIL.match(normalize_email(field.data or "")):
            raise ValidationError("Enter an email address, e.g. ann@example.org.")


class EditUserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
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
