"""Filter forms of the dispute pages: GET forms, so no CSRF token (they change nothing)."""

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from tracker.forms import enum_options
from tracker.models import DisputeStatus, Relation, Stance


class TimelineFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = SelectField("Speaker", default="")  # choices: the dispute's speakers, set by the view
    relation = SelectField("Answers that", choices=enum_options(Relation, blank="any relation"), default="")
    stance = SelectField("Evidence that", choices=enum_options(Stance, blank="any or none"), default="")
    tag = SelectField("Topic", default="")  # choices: the tags of the dispute's claims, set by the view


class DisputeSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField("Search disputes", validators=[Length(max=200)])
    tag = SelectField("Tag", default="")  # choices: the tags in use, set by the view
    status = SelectField("Status", choices=enum_options(DisputeStatus, blank="any status"), default="")
