"""The input widget for a field of ``forms/``, by its type (``fields`` and ``tablefield`` hold them)."""

from __future__ import annotations

from zhutui.formdef import FieldDef
from zhutui.gui.fields import ChoiceInput, FieldInput, LineInput, LongTextInput, SuggestInput
from zhutui.gui.nowheel import guard as guard_wheel
from zhutui.gui.tablefield import TableInput
from zhutui.plans import Plan


def make_input(field: FieldDef, plan: Plan) -> FieldInput:
    """The input for a field's type; the mouse wheel changes none of it unless it has focus."""
    if field.type == "table":
        return TableInput(field, plan)  # guards its own cells as rows come and go
    if field.type == "longtext":
        widget: FieldInput = LongTextInput(field, plan)
    elif field.type in ("choice", "bool"):
        widget = ChoiceInput(field, plan)
    elif field.suggestions:
        widget = SuggestInput(field, plan)
    else:
        widget = LineInput(field, plan)
    guard_wheel(widget)
    return widget
