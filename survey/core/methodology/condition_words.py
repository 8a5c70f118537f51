"""A condition of the questionnaire data, said in words, in English or Chinese (pure).

The methodology prints when each question is asked, when each next step is shown and how the
credit-constraint class is decided. Readers are analysts, not programmers, so the conditions
are written out with the options' own labels ("fin_loan_outcome is “Refused”"); question ids
stay, since the tables beside them are keyed by id.
"""

from __future__ import annotations

from survey.core.conditions import (
    All,
    Answered,
    AnswerIn,
    AnswerNotIn,
    AnyOf,
    Condition,
    Leaf,
    Not,
    NumberCompare,
    ProfileIn,
)
from survey.core.questionnaire.schema import Questionnaire

PROFILE_WORDS: dict[str, dict[str, str]] = {
    "size_class": {"en": "the size class", "zh": "企业规模"},
    "region": {"en": "the region", "zh": "所在地区"},
    "micro": {"en": "micro", "zh": "微型"},
    "small": {"en": "small", "zh": "小型"},
    "medium": {"en": "medium", "zh": "中型"},
    "large": {"en": "large", "zh": "大型"},
    "east": {"en": "east", "zh": "东部"},
    "central": {"en": "central", "zh": "中部"},
    "west": {"en": "west", "zh": "西部"},
    "northeast": {"en": "north-east", "zh": "东北"},
    "sector": {"en": "what the firm sells (by its industry)",
               "zh": "企业所售产品类型（按行业判断）"},
    "goods": {"en": "goods", "zh": "商品"},
    "services": {"en": "services (software, IT, research, business services, education, "
                       "culture)",
                 "zh": "服务（软件和信息技术、研究、商务服务、教育、文化）"},
}


def _labels(q: Questionnaire, qid: str, values: tuple[str, ...], lang: str) -> list[str]:
    question = q.questions.get(qid)
    labels = []
    for v in values:
        option = question.option(v) if question is not None else None
        labels.append(f"“{option.label.get(lang) if option else v}”")
    return labels


# (positive, multi) → (one value, several values); {v} is the label or the listed labels.
_CHOICE_WORDS: dict[str, dict[tuple[bool, bool], tuple[str, str]]] = {
    "en": {
        (True, False): ("is {v}", "is one of {v}"),
        (True, True): ("includes {v}", "includes any of {v}"),
        (False, False): ("is answered and is not {v}", "is answered and is none of {v}"),
        (False, True): ("is answered without {v}", "is answered with none of {v}"),
    },
    "zh": {
        (True, False): ("为{v}", "为{v}之一"),
        (True, True): ("选了{v}", "选了{v}中的任一项"),
        (False, False): ("已作答且不是{v}", "已作答且不是{v}中的任何一项"),
        (False, True): ("已作答且未选{v}", "已作答且未选{v}中的任何一项"),
    },
}


def _number(x: float) -> str:
    return f"{x:g}"


def _leaf(q: Questionnaire, c: Leaf | ProfileIn, lang: str) -> str:
    zh = lang == "zh"
    if isinstance(c, ProfileIn):
        values = ("或" if zh else " or ").join(PROFILE_WORDS[v][lang] for v in c.values)
        return (f"{PROFILE_WORDS[c.key]['zh']}为{values}" if zh
                else f"{PROFILE_WORDS[c.key]['en']} is {values}")
    question = q.questions.get(c.question)
    multi = question is not None and question.type == "multi"
    if isinstance(c, AnswerIn | AnswerNotIn):
        labels = _labels(q, c.question, c.values, lang)
        one, several = _CHOICE_WORDS["zh" if zh else "en"][(isinstance(c, AnswerIn), multi)]
        listed = ("、" if zh else ", ").join(labels)
        words = (one if len(labels) == 1 else several).format(v=listed)
        return f"{c.question} {words}"
    if isinstance(c, NumberCompare):
        sign = "≥" if c.op == "ge" else "<"
        return f"{c.question} {sign} {_number(c.value)}"
    if isinstance(c, Answered):
        if zh:
            return (f"{c.question} 已作答" if c.answered
                    else f"{c.question} 未作答（或不清楚、不适用）")
        return (f"{c.question} is answered" if c.answered
                else f"{c.question} is not answered (or don't know, or does not apply)")
    if zh:
        return f"{c.question} 的得分{'低于' if c.op == 'below' else '不低于'} {_number(c.value)}"
    return (f"the score of {c.question} is {'below' if c.op == 'below' else 'at least'} "
            f"{_number(c.value)}")


def in_words(q: Questionnaire, condition: Condition, lang: str = "en", *,
             nested: bool = False) -> str:
    """The condition as one sentence fragment; compound parts are bracketed when nested."""
    zh = lang == "zh"
    if isinstance(condition, All | AnyOf):
        parts = [in_words(q, item, lang, nested=True) for item in condition.items]
        if len(parts) == 1:
            return parts[0]
        joiner = ("，且" if zh else " and ") if isinstance(condition, All) else (
            "，或" if zh else " or ")
        text = joiner.join(parts)
        return (f"（{text}）" if zh else f"({text})") if nested else text
    if isinstance(condition, Not):
        inner = in_words(q, condition.item, lang, nested=False)
        return f"并非（{inner}）" if zh else f"not ({inner})"
    return _leaf(q, condition, lang)
