"""One form per editor action."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import enum_coerce
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from tracker.bundles import SLUG, TAG
from tracker.forms import enum_options
from tracker.models import CorrectionKind, DisputeStatus

from .fields import no_nul


class DisputeForm(FlaskForm):
    slug = StringField("Slug (in its address)", validators=[
        DataRequired(), Length(max=80),
        Regexp(SLUG, message="Use lower-case letters, digits and single hyphens, e.g. trade-quarrel-2024."),
    ])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField("Summary", validators=[Length(max=20_000)])
    # Coerced to the enum both ways, so the dispute's own status shows as selected.
    status = SelectField("Status", choices=enum_options(DisputeStatus), coerce=enum_coerce(DisputeStatus),
                         default=DisputeStatus.open)
    tags = StringField("Tags (separated by commas)", validators=[Length(max=500)])
    # The version the form was loaded at: a save from an older version is refused.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)

    def validate_tags(self, field):
        for tag in self.tag_list():
            if len(tag) > 50 or not TAG.match(tag):
                raise ValidationError(f'"{tag}" is not a tag: letters, digits, spaces, - and _, at most 50 characters.')

    @staticmethod
    def values(dispute) -> dict:
        """The form's fields for an existing dispute, loaded at its current version."""
        return {"slug": dispute.slug, "title": dispute.title, "summary": dispute.summary, "status": dispute.status,
                "tags": ", ".join(dispute.tag_names), "version": dispute.version}

    def mine(self) -> dict:
        """The editor's version, in the terms of the saved one (for a 409)."""
        return {"slug": self.slug.data, "title": self.title.data, "summary": self.summary.data,
                "status": self.status.data.value, "tags": self.tag_list()}

    def tag_list(self) -> list[str]:
        return sorted({t.strip().lower() for t in (self.tags.data or "").split(",") if t.strip()})


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""

    reason = HiddenField()


def optional_enum(kind):
    """Coerce a select's value to the enum, the blank option to None."""
    enum_value = enum_coerce(kind)
    return lambda value: enum_value(value) if value not in (None, "") else None


class CorrectionFields:
    """Mixed into the edit forms of what readers see: a change to published wording is a public correction."""

    change_kind = SelectField(
        "Kind of change", coerce=optional_enum(CorrectionKind), default=None,
        choices=enum_options(CorrectionKind, blank="None: published wording stays as it is (needed when it changes)"),
    )
    change_reason = TextAreaField("Why (shown to readers with the correction)", validators=[Length(max=2000), no_nul])

    def validate_change_reason(self, field):
        if self.change_kind.data and not (field.data or "").strip():
            raise ValidationError("say why: readers see this reason with the correction.")
