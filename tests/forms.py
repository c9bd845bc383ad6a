"""Reading a page's forms as a browser does, to send their values back.

Built on the standard library's HTML parser: no markup is matched with regular expressions.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Buttons are sent only when clicked, files never by these tests.
NOT_SENT = {"submit", "button", "reset", "image", "file"}


@dataclass
class Control:
    name: str
    value: str | list[str]  # a multiple select: its chosen options
    sent: bool  # False for an unticked box or a disabled control
    current: str  # one value: the field's, or for an unticked box or an empty multiple select, its first offer


@dataclass
class Form:
    action: str
    method: str
    controls: list[Control] = field(default_factory=list)

    def values(self) -> dict[str, str | list[str]]:
        """What a browser submits: a string for a name sent once, a list for one sent several times
        and for a multiple select (empty when nothing is chosen)."""
        sent: dict[str, list[str]] = {}
        for control in self.controls:
            if isinstance(control.value, list):
                sent.setdefault(control.name, []).extend(control.value if control.sent else [])
            elif control.sent:
                sent.setdefault(control.name, []).append(control.value)
        lists = {c.name for c in self.controls if isinstance(c.value, list)}
        return {name: values if name in lists or len(values) > 1 else values[0] for name, values in sent.items()}

    def fields(self) -> dict[str, str]:
        """Every field with one value: what it holds (a select: its chosen option, or the first;
        a box: what ticking it sends)."""
        every: dict[str, Control] = {}
        for control in self.controls:
            if control.name not in every or control.sent and not every[control.name].sent:
                every[control.name] = control  # of a group of boxes, the first ticked one
        return {name: control.current for name, control in every.items()}


class FormReader(HTMLParser):
    """Collects every form of a page with its controls and their values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.in_form = False
        self.textarea: tuple[str, bool] | None = None
        self.select: dict | None = None
        self.option: list | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)  # an attribute without a value (checked, selected) maps to None
        if tag == "form":
            self.forms.append(Form(action=a.get("action") or "", method=(a.get("method") or "get").lower()))
            self.in_form = True
        elif not self.in_form or (tag in ("input", "textarea", "select") and not a.get("name")):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                value = a.get("value") or "on"
                self.add(Control(a["name"], value, "checked" in a and "disabled" not in a, current=value))
            else:
                value = a.get("value") or ""
                self.add(Control(a["name"], value, "disabled" not in a, current=value))
        elif tag == "textarea":
            self.textarea, self.text = (a["name"], "disabled" not in a), ""
        elif tag == "select":
            self.select = {"name": a["name"], "multiple": "multiple" in a, "sent": "disabled" not in a, "options": []}
        elif tag == "option" and self.select is not None:
            self.end_option()
            self.option = [a.get("value"), "selected" in a, ""]

    def handle_data(self, data):
        if self.textarea:
            self.text += data
        elif self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            # A browser's parser drops the newline that opens a textarea and reads CRLF and CR as LF;
            # the form is sent with every line break as CRLF.
            text = self.text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\n").replace("\n", "\r\n")
            name, sent = self.textarea
            self.add(Control(name, text, sent, current=text))
            self.textarea = None
        elif tag == "option":
            self.end_option()
        elif tag == "select" and self.select is not None:
            self.end_option()
            select, self.select = self.select, None
            options = select["options"]
            chosen = [value for value, selected in options if selected]
            first = options[0][0] if options else ""
            if select["multiple"]:
                self.add(Control(select["name"], chosen, select["sent"], current=(chosen or [first])[0]))
            elif options:  # a single select shows, and sends, its first option when none is selected
                value = chosen[-1] if chosen else first
                self.add(Control(select["name"], value, select["sent"], current=value))

    def end_option(self):
        if self.option is not None and self.select is not None:
            value, selected, text = self.option
            # Without a value attribute an option sends its text, spaces collapsed.
            self.select["options"].append((value if value is not None else " ".join(text.split()), selected))
        self.option = None

    def add(self, control: Control):
        self.forms[-1].controls.append(control)


def forms(page: str) -> list[Form]:
    reader = FormReader()
    reader.feed(page)
    reader.close()
    return reader.forms


def post_form(page: str, action: str | None = None) -> Form:
    """The page's one POST form with this action; without one, the POST form that is not the sign-out button."""
    found = [f for f in forms(page) if f.method == "post"
             and (f.action == action if action is not None else f.action != "/logout")]
    assert len(found) == 1, f"{len(found)} POST forms with action {action!r}: {[f.action for f in forms(page)]}"
    return found[0]


def form_values(page: str, action: str | None = None) -> dict[str, str | list[str]]:
    """The values a browser would send back from the page's form, ready for the test client."""
    return post_form(page, action).values()


def form_fields(page: str, action: str | None = None) -> dict[str, str]:
    """Every field of the page's form with its current value (an unticked box: the value ticking it sends)."""
    return post_form(page, action).fields()
