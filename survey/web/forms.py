"""The base of every form: Flask-WTF's `FlaskForm` (CSRF token, data from the request), typed.

Flask-WTF ships no types, so mypy would see its `FlaskForm` as `Any` and every form as untyped.
At run time the name below *is* `flask_wtf.FlaskForm`; to the type checker it is WTForms' typed
`Form` (types-WTForms) with the three methods Flask-WTF adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from markupsafe import Markup
    from wtforms import Field, Form

    class FlaskForm(Form):
        def is_submitted(self) -> bool: ...

        def validate_on_submit(
            self, extra_validators: Mapping[str, Sequence[Any]] | None = None
        ) -> bool: ...

        def hidden_tag(self, *fields: Field | str) -> Markup: ...

else:
    from flask_wtf import FlaskForm

__all__ = ["FlaskForm"]
