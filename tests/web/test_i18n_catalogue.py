"""The Chinese catalogue: complete, placeholders kept, compiled file current."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo

from tests.helpers import (
    PLACEHOLDER,
    PO,
    catalogue_messages,
    chinese_catalogue,
    message_ids,
)

ROOT = Path(__file__).resolve().parents[2]
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "_l": None, "lazy_gettext": None, "N_": None}


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string,)


# --- (a) every message translated, placeholders intact ---------------------------------------


def test_every_catalogue_message_has_a_chinese_translation() -> None:
    untranslated = [m.id for m in catalogue_messages(chinese_catalogue())
                    if m.fuzzy or not all(s.strip() for s in _strings(m))]
    assert untranslated == [], f"untranslated or fuzzy: {untranslated}"


def test_translations_keep_the_placeholders_of_the_message() -> None:
    cat = chinese_catalogue()
    wrong = []
    for m in catalogue_messages(cat):
        wanted = {p for i in message_ids(m) for p in PLACEHOLDER.findall(i)}
        for s in _strings(m):
            if set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((m.id, s))
    assert wrong == []
    babel_errors = [(m.id, [str(e) for e in errs]) for m, errs in cat.check()]
    assert babel_errors == []


def test_chinese_plural_entries_have_one_form() -> None:
    cat = chinese_catalogue()
    assert cat.num_plurals == 1
    plural = [m for m in catalogue_messages(cat) if m.pluralizable]
    assert plural, "the catalogue should hold the ngettext messages"
    assert all(len(_strings(m)) == 1 for m in plural)


def test_every_string_in_the_source_is_in_the_catalogue() -> None:
    """Wrapped but never extracted (scripts/i18n.sh update not run) would show English."""
    method_map = [("survey/**.py", "python"), ("templates/**.html", "jinja2")]
    found: set[tuple[str | None, str]] = set()
    for _file, _line, msg, _comments, context in extract_from_dir(
            str(ROOT), method_map, keywords=KEYWORDS):
        found.add((context, msg[0] if isinstance(msg, tuple) else msg))
    known = {(m.context, message_ids(m)[0]) for m in catalogue_messages(chinese_catalogue())}
    missing = sorted(str(x) for x in found - known)
    assert missing == [], ("run `scripts/i18n.sh update`, translate and compile; "
                           f"missing: {missing}")


# --- (b) the committed .mo is the .po compiled ------------------------------------------------


def _table(cat: Catalog) -> dict[tuple[Any, Any], Any]:
    def frozen(x: Any) -> Any:
        return tuple(x) if isinstance(x, list | tuple) else x

    return {(m.context, frozen(m.id)): frozen(m.string) for m in cat if m.id and not m.fuzzy}


def test_committed_mo_is_current() -> None:
    buffer = io.BytesIO()
    write_mo(buffer, chinese_catalogue())
    buffer.seek(0)
    fresh = read_mo(buffer)
    with MO.open("rb") as fh:
        committed = read_mo(fh)
    assert _table(committed) == _table(fresh), "run `scripts/i18n.sh compile`"


# --- (c) every page in Chinese, no English UI left ----------------------------------------------


