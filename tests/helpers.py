"""The one home of the test helpers: every plain function and constant more than one test
module uses is defined here, once, and imported from here.

- Staff accounts and forms: `PASSWORD`, `ADMIN`, `ANALYST`, `csrf_from` (a page's HTML),
  `csrf_token` (a page the client fetches), `sign_in`, `post` (with the session's CSRF token),
  `make_staff` (through `survey.services.staff.create_staff`), `staff_client`.
- Answers: `best_answer` / `worst_answer` for one question, and complete answer sets built
  from the questionnaire data itself — `best_answers`, `worst_answers`, `random_answers`
  (seeded), `varied_answers` (between the two), all through `complete_answers`;
  `form_data_for` (one page as a browser posts it) and `with_text_question`.
- Rows: `add_rows` (bench/seed.py rows, committed), `as_source` (give them a real source),
  `row_2027` and `synthetic_2027` (bench
  rows as method 2027.1 writes them: capability, statuses, not-applicable overseas markets,
  credit-constraint classes) and `count`.
- The Chinese catalogue: `PO`, `PLACEHOLDER`, `chinese_catalogue`, `catalogue_messages`,
  `message_ids`.
- The live server and its browser (tests/e2e): `ensure_staff`, `bench_rows` and
  `temporary_responses` write through the server's own app context and clean up after
  themselves; `submit_sign_in` and `fill_section` drive a Playwright page.

What is not here, and why: fixtures stay in the `conftest.py` files (they may use these
helpers, never redefine them); `tests/journey.py` keeps `Respondent`, the test-client driver
the `respondent` fixture returns; `tests/e2e/conftest.py` keeps `LiveServer` and `Guard`, the
types of its fixtures, and `tests/e2e/a11y.py` the axe-core checks; hypothesis strategies stay
in the one module that draws from them (tests/test_scoring_properties.py). The answer
generators that were in `tests/factories.py` live here, and that module is gone.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from bench.seed import insert_rows, row, synthetic
from survey.core.answers import is_shown
from survey.core.questionnaire import (
    Question,
    Questionnaire,
    Text,
    load_questionnaire,
)
from survey.core.questionnaire.schema import CREDIT_CLASSES
from survey.database import write_transaction
from survey.extensions import db
from survey.models import ROLES, Response, StaffUser
from survey.services import cells, staff, starts

# --- staff accounts and forms ------------------------------------------------------------

PASSWORD = "correct horse battery staple"

STRONG_SECRET = "Qm3vX9pL2sT7wK4yR8nB6cF1hJ5dG0zA-Vw8uE2"
"""A SECRET_KEY that production's strength check accepts (random-looking, 40+ characters)."""

PRODUCTION = {"SURVEY_ENV": "production", "SECRET_KEY": STRONG_SECRET,
              "DATABASE_URL": "sqlite:////tmp/survey-production-settings.sqlite3"}
"""The least a production environment must set; `load` opens no database."""
ADMIN = "admin@example.org"
ANALYST = "analyst@example.org"

_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of a page's form (the attributes may come in either order)."""
    tag = _CSRF_INPUT.search(html)
    assert tag, "no CSRF token in page"
    value = _VALUE.search(tag.group(0))
    assert value, "the CSRF input has no value"
    return value.group(1)


def csrf_token(client: FlaskClient, path: str = "/staff/login") -> str:
    """The CSRF token of the client's session, read from a page with a form."""
    page = client.get(path)
    assert _CSRF_INPUT.search(page.get_data(as_text=True)), (
        f"no CSRF token on {path} ({page.status_code})")
    return csrf_from(page.get_data(as_text=True))


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Post the sign-in form as a browser does; the response, for the caller to check."""
    token = csrf_token(client)
    return client.post("/staff/login", data={"email": email, "password": password,
                                             "csrf_token": token}, **extra)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None,
         token_from: str | None = None, **kwargs: Any) -> Any:
    """POST with the session's CSRF token, as the staff pages' forms do."""
    token = csrf_token(client, token_from or "/staff/responses")
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)


def make_staff(email: str, role: str = "analyst", password: str = PASSWORD,
               active: bool = True) -> StaffUser:
    """A staff account made as an admin makes one (audited), then deactivated if asked.

    A role that is no staff role ("viewer") cannot be made that way: the account is made an
    analyst and the database row given that role, as only a hand-edited database could hold.
    """
    user = staff.create_staff(email, role if role in ROLES else "analyst", password,
                              actor=None, via="test")
    if role not in ROLES:
        with write_transaction() as s:
            row = s.get(StaffUser, user.id)
            assert row is not None
            row.role = role
        user = row
    if not active:
        user = staff.set_active(user.id, False, actor=None, via="test")
    return user


def staff_client(app: Flask, role: str = "analyst") -> FlaskClient:
    """A new client signed in as a new account `<role>@example.org`."""
    client = app.test_client()
    make_staff(f"{role}@example.org", role)
    assert sign_in(client, f"{role}@example.org").status_code == 302
    return client


# --- answers -------------------------------------------------------------------------------

TEXT_ANSWER = "Example answer"


def best_answer(q: Question) -> Any:
    """The answer with the most points (the top of a number's range; any plain option of a
    question that scores nothing)."""
    return _extreme(q, best=True)


def worst_answer(q: Question) -> Any:
    """The answer with the fewest points (zero for every scored question)."""
    return _extreme(q, best=False)


def _extreme(q: Question, best: bool) -> Any:
    if q.type == "number":
        return q.max if best and q.max is not None else (q.min or 0)
    if q.type == "text":
        return TEXT_ANSWER
    real = [o for o in q.options if not o.is_skip]
    if q.type == "multi":
        if not q.scored:
            return [real[0].value]
        if best:
            return [o.value for o in real if not o.exclusive and (o.points or 0) > 0]
        zero = [o for o in real if o.exclusive] or [o for o in real if o.points == 0]
        return [zero[0].value]
    if not q.scored:
        return real[0].value
    ordered = sorted(real, key=lambda o: o.points or 0)
    return (ordered[-1] if best else ordered[0]).value


def complete_answers(pick: Callable[[Question], Any],
                     questionnaire: Questionnaire | None = None,
                     **overrides: Any) -> dict[str, Any]:
    """`pick(question)` for every question that is shown, in the questionnaire's order.

    An override replaces the picked answer (and decides what is shown after it); an override of
    None leaves the question out.
    """
    q = questionnaire or load_questionnaire()
    out: dict[str, Any] = {}
    for question in q.questions.values():
        if question.id in overrides:
            if overrides[question.id] is not None:
                out[question.id] = overrides[question.id]
            continue
        if is_shown(question, out, q):
            out[question.id] = pick(question)
    return out


def best_answers(questionnaire: Questionnaire | None = None, **overrides: Any) -> dict[str, Any]:
    """The best answer to every question shown: a score of 100 everywhere."""
    return complete_answers(best_answer, questionnaire, **overrides)


def worst_answers(questionnaire: Questionnaire | None = None, **overrides: Any) -> dict[str, Any]:
    """The worst answer to every question shown: a score of 0 everywhere."""
    return complete_answers(worst_answer, questionnaire, **overrides)


def random_answers(seed: int, questionnaire: Questionnaire | None = None,
                   **overrides: Any) -> dict[str, Any]:
    """A valid answer to every question shown, drawn with `random.Random(seed)`: any option
    of a single choice (skips too), a random pick or the exclusive "none" of a multiple
    choice, any whole number in range."""
    rng = random.Random(seed)

    def pick(q: Question) -> Any:
        if q.type == "single":
            return rng.choice(q.options).value
        if q.type == "multi":
            real = [o for o in q.options if not o.is_skip]
            plain = [o.value for o in real if not o.exclusive]
            exclusive = [o.value for o in real if o.exclusive]
            if not exclusive:
                return plain
            if rng.random() < 0.7:
                return rng.sample(plain, rng.randint(1, len(plain)))
            return exclusive[:1]
        if q.type == "number":
            low = q.min if q.min is not None else 0
            high = q.max if q.max is not None else low + 100
            return rng.randint(int(low), int(high))
        return TEXT_ANSWER

    return complete_answers(pick, questionnaire, **overrides)


def varied_answers(rng: random.Random | None = None,
                   questionnaire: Questionnaire | None = None,
                   **overrides: Any) -> dict[str, Any]:
    """Answers between all-worst and all-best, so that scores are neither 0 nor 100.

    Without `rng`: the worst answer to every other scored question, the best to the rest.
    With it: a random lean, then each scored question everyone is asked answered best with
    that probability; the other questions all best or all worst (one more draw).
    """
    q = questionnaire or load_questionnaire()
    if rng is None:
        scored = [question.id for question in q.questions.values() if question.scored]
        worst = set(scored[::2])

        def best_for(question: Question) -> bool:
            return question.id not in worst
    else:
        lean = rng.random()
        mixed = {qid: rng.random() < lean for qid, question in q.questions.items()
                 if question.scored and question.show_if is None}
        rest = rng.random() < lean

        def best_for(question: Question) -> bool:
            return mixed.get(question.id, rest)

    return complete_answers(
        lambda question: best_answer(question) if best_for(question) else worst_answer(question),
        q, **overrides)


def form_data_for(section_questions: Iterable[Question], answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the browser would post them for one page."""
    data: dict[str, Any] = {}
    for q in section_questions:
        if q.id in answers:
            value = answers[q.id]
            data[q.id] = value if isinstance(value, list) else str(value)
    return data


def with_text_question(q: Questionnaire, qid: str = "comments") -> Questionnaire:
    """The questionnaire plus an optional free-text question (the data file has none yet)."""
    last = q.sections[-1]
    extra = Question(id=qid, type="text", text=Text("Anything else?", "还有什么？"),
                     section=last.id, required=False, max_length=1000)
    sections = (*q.sections[:-1], replace(last, questions=(*last.questions, extra)))
    return replace(q, sections=sections, questions={**q.questions, qid: extra})


# --- rows ----------------------------------------------------------------------------------

def add_rows(rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows made by bench/seed.py (`row`, `synthetic`) and commit them."""
    insert_rows(db.session(), rows)
    db.session.commit()




def as_source(source: str, *, status: str | None = None) -> None:
    """Give the rows bench.seed just wrote (source "bench") a real source ("web", "api",
    "demo"), then rebuild the cells and the response starts: they count timed and started
    web responses, and this UPDATE goes round the services that keep them in step, as SQL by
    hand would."""
    stmt = update(Response).where(Response.source == "bench")
    if status:
        stmt = stmt.where(Response.status == status)
    db.session.execute(stmt.values(source=source))
    db.session.commit()
    with write_transaction() as s:
        cells.rebuild(s)
        starts.rebuild(s)


def row_2027(*, overseas_applies: bool = True, **values: Any) -> dict[str, Any]:
    """A bench/seed.py row as method 2027.1 writes it (questionnaire and method 2027.1): each
    area's capability equal to its score and its status "scored" ("insufficient" without a
    score) unless given, export status `exports_direct`, credit-constraint class "unknown".

    `overseas_applies=False` is a firm with no export activity or plans: overseas markets and
    cross-border e-commerce `not_applicable`, their numbers NULL. Keywords override anything.
    """
    base: dict[str, Any] = {"questionnaire_version": "2027.1", "method_version": "2027.1",
                            "export_status": "exports_direct", "credit_constraint": "unknown"}
    if not overseas_applies:
        base.update(export_status="no_plans", overseas_markets_score=None,
                    overseas_markets_env=None, overseas_markets_capability=None,
                    overseas_markets_status="not_applicable", overseas_markets_gap=None,
                    need_cross_border_ecommerce=None,
                    priority_cross_border_ecommerce="not_applicable")
    out = row(**{**base, **values})
    for area in ("financing", "digital_technology", "overseas_markets"):
        score = out[f"{area}_score"]
        out.setdefault(f"{area}_capability", score)
        out.setdefault(f"{area}_status", "insufficient" if score is None else "scored")
    return out


def synthetic_2027(count: int, seed: int = 1, demo: bool = False) -> Iterator[dict[str, Any]]:
    """bench/seed.py's plausible rows (`synthetic`) as method 2027.1 writes them: 2027.1
    export statuses (about a third with no export plans, for which overseas markets and
    cross-border e-commerce do not apply), capability a little above the area score,
    credit-constraint classes drawn at plausible rates."""
    rnd = random.Random(seed)
    statuses = {"none": ("no_plans", "no_plans", "supplies_exporters"),
                "considering": ("considering", "stopped"), "planning": ("considering",),
                "exporting": ("exports_direct", "exports_indirect")}
    for old in synthetic(count, seed=seed, demo=demo):
        export = rnd.choice(statuses[old["export_status"]])
        values = {k: v for k, v in old.items()
                  if k not in ("questionnaire_version", "method_version", "export_status")}
        for area in ("financing", "digital_technology", "overseas_markets"):
            score = values[f"{area}_score"]
            values[f"{area}_capability"] = (None if score is None
                                            else min(100.0, round(score + rnd.uniform(0, 8), 1)))
        values["credit_constraint"] = rnd.choices(CREDIT_CLASSES, weights=(30, 35, 15, 12, 8))[0]
        if export == "no_plans":
            values.update(overseas_markets_score=None, overseas_markets_env=None,
                          overseas_markets_capability=None,
                          overall_score=round((values["financing_score"]
                                               + values["digital_technology_score"]) / 2, 1))
            values.pop("priority_cross_border_ecommerce", None)
            values.pop("need_cross_border_ecommerce", None)
        yield row_2027(overseas_applies=export != "no_plans", export_status=export, **values)


def count(model: Any) -> int:
    """The committed rows of a table. The session's transaction is ended first, so rows
    committed by requests and other threads since it began are counted too."""
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


# --- the Chinese catalogue -----------------------------------------------------------------

PO = (Path(__file__).resolve().parents[1] / "survey" / "translations" / "zh_Hans_CN"
      / "LC_MESSAGES" / "messages.po")
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%%|\{\w*\}")


def chinese_catalogue() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hans_CN")


def catalogue_messages(cat: Catalog) -> Iterator[Message]:
    """The catalogue's messages, without its header entry."""
    return (m for m in cat if m.id)


def message_ids(message: Message) -> tuple[str, ...]:
    """A message's English: one string, or the singular and the plural."""
    return tuple(message.id) if isinstance(message.id, tuple | list) else (str(message.id),)


# --- the live server and its browser (tests/e2e) -------------------------------------------


def plain(page: str) -> str:
    """A page's main content as one line of text, as a reader sees it."""
    body = page[page.index("<main"):]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def csv_rows(body: bytes) -> list[dict[str, str]]:
    """A staff CSV download as dicts; it must start with the UTF-8 BOM, without which Excel on
    Chinese Windows reads the labels as GBK."""
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel on Chinese Windows"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
