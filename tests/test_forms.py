"""The tests' form reader sends back what a browser would send."""

from .forms import form_fields, form_values

PAGE = """
<form class="site-search" method="get" action="/search"><input name="q" value="china"></form>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="t"><button>Sign out</button></form>
<form method="post" action="/edit">
  <input type="hidden" name="csrf_token" value="t"><input name="title" value="A &amp; B &#34;C&#34;">
  <input type="checkbox" name="active" value="y" checked><input type="checkbox" name="notify" value="y">
  <input type="checkbox" name="evidence" value="1"><input type="checkbox" name="evidence" value="2" checked>
  <input type="checkbox" name="evidence" value="3" checked>
  <input name="locked" value="z" disabled><button type="submit" name="save" value="1">Save</button>
  <textarea name="text">
First line
second line</textarea>
  <select name="status"><option value="open">Open</option><option selected value="settled">Settled</option></select>
  <select name="kind"><option value="speech">Speech</option><option value="post">Post</option></select>
  <select name="answers" multiple><option value="1">One</option><option value="2">Two</option></select>
  <input type="radio" name="stance" value="supports"><input type="radio" name="stance" value="refutes" checked>
</form>
"""


def test_the_values_are_those_a_browser_sends():
    assert form_values(PAGE) == {
        "csrf_token": "t", "title": 'A & B "C"', "active": "y", "evidence": ["2", "3"],
        "text": "First line\r\nsecond line",  # the opening newline dropped, line breaks sent as CRLF
        "status": "settled", "kind": "speech",  # no option selected: the first is shown and sent
        "answers": [], "stance": "refutes"}


def test_every_field_is_listed_with_one_value_and_other_forms_are_left_out():
    assert form_fields(PAGE) == {
        "csrf_token": "t", "title": 'A & B "C"', "active": "y", "notify": "y", "evidence": "2", "locked": "z",
        "text": "First line\r\nsecond line", "status": "settled", "kind": "speech", "answers": "1",
        "stance": "refutes"}
    assert form_values(PAGE, action="/logout") == {"csrf_token": "t"}
