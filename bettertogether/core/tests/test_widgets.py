"""The fast select widgets render exactly what a browser needs, escaped and selected."""

from django import forms

from bettertogether.core.forms import Form


class PickForm(Form):
    one = forms.ChoiceField(choices=[("", "Choose"), ("a", "A & B"), ("b", "<b>")])
    many = forms.MultipleChoiceField(
        choices=[("Group", [("x", "X"), ("y", "Y")]), ("z", "Z")], required=False
    )


def test_fast_select_escapes_labels_and_marks_the_selected_option():
    html = str(PickForm(data={"one": "a"})["one"])
    assert 'name="one"' in html and "required" in html
    assert '<option value="a" selected>A &amp; B</option>' in html
    assert '<option value="b">&lt;b&gt;</option>' in html
    assert "&lt;option" not in html


def test_fast_select_multiple_renders_groups_and_every_selected_value():
    html = str(PickForm(data={"many": ["x", "z"]})["many"])
    assert "multiple" in html
    assert '<optgroup label="Group"><option value="x" selected>X</option>' in html
    assert '<option value="y">Y</option>' in html
    assert '<option value="z" selected>Z</option>' in html


def test_fast_select_carries_error_attributes_for_assistive_technology():
    form = PickForm(data={"one": "nope"})
    assert not form.is_valid()
    html = str(form["one"])
    assert 'aria-invalid="true"' in html
    assert "aria-describedby" in html
