"""Form pieces shared by every feature: validators that apply tracker.rules, select options, the version field."""

import enum

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import HiddenInput

from . import rules
from .core.edits import CorrectionNote
from .models import CorrectionKind


def sentence(message: str) -> str:
    """A rule's message as a form shows it: a capital first letter and a full stop."""
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!", "”")) else message + "."


def follows(rule, *args, **kwargs):
    """A validator applying one of tracker.rules (the very rule the importer and the core apply).

    Emptiness is left to DataRequired / Optional: an empty value passes here."""

    def validate(form, field):
        if field.data is None or field.data == "" or field.data == []:
            return
        try:
            rule(field.data, *args, **kwargs)
        except rules.RuleError as error:
            raise ValidationError(sentence(str(error))) from None

    return validate


def strip(value):
    return value.strip() if isinstance(value, str) else value


def crlf_to_lf(value: str | None) -> str | None:
    """Text as pasted: only the line breaks browsers send as CRLF (or CR) become LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def enum_options(kind: type[enum.Enum], *, blank: str | None = None) -> list[SelectChoice]:
    """Select options for an enum, labelled as people read them ("press release")."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(m.value, rules.label(m)) for m in kind]


def optional_enum(kind):
    """Coerce a select's value to the enum, the blank option to None."""
    enum_value = enum_coerce(kind)
    return lambda value: enum_value(value) if value not in (None, "") else None


def row_id(value) -> int | None:
    """A select's value as a row id (the blank option as None); a number no row can have is an invalid choice."""
    if value in (None, ""):
        return None
    return rules.row_id(int(value))


def version_field() -> IntegerField:
    """The version the form was loaded at: a save from an older version is refused (409)."""
    return IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""

    reason = HiddenField()


class CorrectionFields:
    """Mixed into the edit forms of what readers see: a change to published wording is a public correction."""

    change_kind = SelectField(
        "Kind of change", coerce=optional_enum(CorrectionKind), default=None,
        choices=enum_options(CorrectionKind, blank="None: published wording stays as it is (needed when it changes)"),
    )
    change_reason = TextAreaField("Why (shown to readers with the correction)",
                                  validators=[follows(rules.free_text, rules.LIMITS["reason"])])

    def validate_change_reason(self, field):
        if self.change_kind.data and not (field.data or "").strip():
            raise ValidationError("say why: readers see this reason with the correction.")

    def correction_note(self) -> CorrectionNote | None:
        """The correction as the core takes it (None when no kind is chosen)."""
        return CorrectionNote.of(self.change_kind.data, self.change_reason.data)
