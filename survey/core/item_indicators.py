"""Item-level indicators: which answers make each published share (pure).

The staff dashboard publishes composite scores; think-tanks publish indicators — "refused a
bank loan, among firms that applied". Each indicator here is a share with an explicit
numerator and denominator over one answer (a question of the questionnaire, or a flat column
of the assessment such as the credit-constraint class), so the page, the API, the CSV and the
SQL that counts them all read one definition:

- `denominator`: the answers that put a firm in the denominator (who was asked *and* gave a
  usable answer); `numerator`: the answers, among those, that count;
- `apart`: answers reported beside the share but in no denominator ("don't know", "still
  waiting for a decision", "another reason");
- a firm without the answer (not asked: routed past it, or a questionnaire without it) is in
  neither.

A multi-select indicator counts a firm in the numerator when it ticked any of `numerator`, and
in the denominator when it answered at all. The support-scheme funnel is generated from the
questionnaire's scheme grid, so a new scheme row gets its indicators without code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.core.questionnaire.schema import AREAS, CREDIT_CLASSES, Questionnaire, Text
from survey.core.results import GAP_SPLITS

COLUMN_PREFIX = "column:"
"""A source naming a flat column of the assessment row instead of a question."""
SCHEME_GRID = "support_schemes"
BY_DIMENSIONS: tuple[str, ...] = ("size", "industry", "region", "export", "wave")
"""What a table of indicators can be split by: the staff filters' equality dimensions."""

NUMERATOR = "numerator"
DENOMINATOR = "denominator"
APART = "apart"


@dataclass(frozen=True)
class Group:
    id: str
    title: Text


@dataclass(frozen=True)
class Indicator:
    """One share: `label` says what is counted, `among` who it is counted among."""

    id: str
    group: str
    label: Text
    among: Text
    source: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    apart: tuple[str, ...] = ()
    multi: bool = False

    @property
    def column(self) -> str | None:
        """The assessment column this indicator reads, or None when it reads an answer."""
        return self.source.removeprefix(COLUMN_PREFIX) if self.source.startswith(
            COLUMN_PREFIX) else None


def where(indicator: Indicator, value: Any) -> frozenset[str]:
    """Where a firm whose answer (or column value) is `value` counts: a subset of
    {numerator, denominator} or {apart}, empty when it was not asked or gave another answer.
    The SQL of survey.queries.indicators mirrors this and is tested against it."""
    if indicator.multi:
        if not isinstance(value, list) or not value:
            return frozenset()
        if any(v in indicator.numerator for v in value):
            return frozenset({NUMERATOR, DENOMINATOR})
        return frozenset({DENOMINATOR})
    if not isinstance(value, str):
        return frozenset()
    if value in indicator.apart:
        return frozenset({APART})
    if value in indicator.denominator:
        return frozenset({DENOMINATOR, NUMERATOR} if value in indicator.numerator
                         else {DENOMINATOR})
    return frozenset()


def value_of(indicator: Indicator, answers: Mapping[str, Any],
             columns: Mapping[str, Any]) -> Any:
    column = indicator.column
    return columns.get(column) if column else answers.get(indicator.source)


def count(indicators: Sequence[Indicator], firms: Sequence[tuple[Mapping[str, Any],
                                                                  Mapping[str, Any]]]
          ) -> dict[str, dict[str, int]]:
    """Per indicator, the numerator, denominator and apart counts of (answers, columns) pairs:
    the reference the SQL aggregation is held to."""
    out = {i.id: {NUMERATOR: 0, DENOMINATOR: 0, APART: 0} for i in indicators}
    for answers, columns in firms:
        for ind in indicators:
            for part in where(ind, value_of(ind, answers, columns)):
                out[ind.id][part] += 1
    return out


# --- The definitions ---------------------------------------------------------------------

DISCOURAGED = ("procedures", "interest_costs", "collateral", "size_term", "expected_refusal",
               "informal_payments")
NEEDS_FINANCE = ("working_capital", "investment", "both")
OBSTACLE = ("none", "minor", "moderate", "major", "very_severe")
MAJOR_OBSTACLE = ("major", "very_severe")
CHANNELS = ("marketplace", "social_commerce", "b2b_platform", "own_site", "offline_only")

GROUPS: tuple[Group, ...] = (
    Group("credit", Text("Credit constraint (World Bank Enterprise Surveys)",
                         "信贷约束（世界银行企业调查分类）")),
    Group("financing", Text("Loans, collateral and late payment", "贷款、抵押与拖欠账款")),
    Group("ip", Text("Intellectual property", "知识产权")),
    Group("export_obstacles", Text("Export obstacles", "出口障碍")),
    Group("channels", Text("Cross-border e-commerce channels", "跨境电商渠道")),
    Group("gap", Text("Is the problem the firms or the environment?",
                      "问题在企业自身还是外部环境？")),
)
"""Groups in page order; each support scheme adds its own group after these."""

_CLASS_LABELS = {
    "no_need": Text("No need for external finance", "无外部融资需求"),
    "not_constrained": Text("Not credit-constrained", "未受信贷约束"),
    "partially_constrained": Text("Partially credit-constrained", "部分受信贷约束"),
    "fully_constrained": Text("Fully credit-constrained", "完全受信贷约束"),
}
_CLASSIFIED = Text("among firms with a credit-constraint class", "在可判定信贷约束类别的企业中")


def _credit() -> list[Indicator]:
    known = tuple(c for c in CREDIT_CLASSES if c != "unknown")
    return [Indicator(f"credit_{cls}", "credit", _CLASS_LABELS[cls], _CLASSIFIED,
                      COLUMN_PREFIX + "credit_constraint", (cls,), known, ("unknown",))
            for cls in known]


def _financing() -> list[Indicator]:
    applicants = Text("among firms that applied and have a decision",
                      "在已申请且已有结果的企业中")
    return [
        Indicator("needs_finance", "financing",
                  Text("Needed outside money in the last 12 months",
                       "过去12个月需要外部资金"),
                  Text("among firms that answered", "在作答的企业中"),
                  "fin_demand", NEEDS_FINANCE, ("no_own_funds", *NEEDS_FINANCE), ("dont_know",)),
        Indicator("loan_applied", "financing",
                  Text("Applied for a bank loan or credit line in the last 12 months",
                       "过去12个月申请过银行贷款或授信"),
                  Text("among firms that answered", "在作答的企业中"),
                  "fin_applied", ("yes",), ("yes", "no")),
        Indicator("loan_refused", "financing",
                  Text("Refused a bank loan in the last 12 months", "过去12个月贷款申请被拒"),
                  applicants, "fin_loan_outcome", ("refused",),
                  ("granted_full", "granted_part", "refused"), ("pending",)),
        Indicator("loan_rationed", "financing",
                  Text("Refused, or granted less than asked for", "被拒或获批金额低于申请"),
                  applicants, "fin_loan_outcome", ("granted_part", "refused"),
                  ("granted_full", "granted_part", "refused"), ("pending",)),
        Indicator("discouraged", "financing",
                  Text("Did not apply because of the terms or expected refusal (discouraged)",
                       "因条件或预计被拒而未申请（望而却步）"),
                  Text("among firms that did not apply and gave a listed reason",
                       "在未申请且选择了所列原因的企业中"),
                  "fin_no_apply_reason", DISCOURAGED, ("enough_funds", *DISCOURAGED), ("other",)),
        Indicator("collateral_required", "financing",
                  Text("Lender asked for collateral or a guarantee", "贷款方要求抵押或担保"),
                  Text("among firms that applied", "在申请过贷款的企业中"),
                  "fin_collateral_burden",
                  ("provided_easily", "provided_hard", "could_not_provide"),
                  ("none", "provided_easily", "provided_hard", "could_not_provide"),
                  ("dont_know",)),
        Indicator("collateral_burden", "financing",
                  Text("Collateral was hard or impossible to provide",
                       "抵押或担保难以提供或无法提供"),
                  Text("among firms that applied", "在申请过贷款的企业中"),
                  "fin_collateral_burden", ("provided_hard", "could_not_provide"),
                  ("none", "provided_easily", "provided_hard", "could_not_provide"),
                  ("dont_know",)),
        Indicator("finance_obstacle", "financing",
                  Text("Access to finance is a major or very severe obstacle",
                       "融资是较大或非常严重的障碍"),
                  Text("among firms that answered", "在作答的企业中"),
                  "fin_finance_obstacle", MAJOR_OBSTACLE, OBSTACLE, ("dont_know",)),
        Indicator("late_payment", "financing",
                  Text("10% or more of what large firms or government owed was paid late",
                       "大企业或机关事业单位的应付款中10%以上逾期支付"),
                  Text("among firms owed money by them", "在有此类应收款的企业中"),
                  "fin_overdue_share", ("p10_30", "p30_50", "gt50"),
                  ("none", "lt10", "p10_30", "p30_50", "gt50"), ("dont_know",)),
    ]


def _ip() -> list[Indicator]:
    holders = Text("among firms holding IP in China", "在国内拥有知识产权的企业中")
    return [
        Indicator("ip_infringed", "ip",
                  Text("IP copied or used without permission in the last 12 months",
                       "过去12个月知识产权遭仿冒或未经许可使用"),
                  holders, "dig_ip_infringed", ("once", "repeatedly"),
                  ("no", "once", "repeatedly")),
        Indicator("ip_not_confident", "ip",
                  Text("Not confident that copying could be stopped", "对制止侵权缺乏信心"),
                  holders, "dig_ip_confidence", ("slightly", "not_at_all"),
                  ("very", "fairly", "slightly", "not_at_all"), ("dont_know",)),
    ]


def _export_obstacles() -> list[Indicator]:
    rows = (("logistics", "ovs_logistics_obstacle",
             Text("International freight is a major or very severe obstacle",
                  "国际运输是较大或非常严重的障碍"),
             Text("among direct exporters", "在直接出口企业中")),
            ("warehousing", "ovs_warehousing_obstacle",
             Text("Overseas warehousing is a major or very severe obstacle",
                  "海外仓是较大或非常严重的障碍"),
             Text("among direct exporters selling online", "在通过线上渠道直接出口的企业中")),
            ("payments", "ovs_payments_obstacle",
             Text("Cross-border payment and FX is a major or very severe obstacle",
                  "境外收款结汇是较大或非常严重的障碍"),
             Text("among direct exporters", "在直接出口企业中")))
    return [Indicator(f"export_{key}", "export_obstacles", label, among, qid, MAJOR_OBSTACLE,
                      OBSTACLE, ("dont_know",)) for key, qid, label, among in rows]


def _channels(q: Questionnaire) -> list[Indicator]:
    question = q.questions.get("ovs_channels_12m")
    if question is None:
        return []
    among = Text("among exporters", "在出口企业中")
    labels = {o.value: o.label for o in question.options}
    return [Indicator(f"channel_{value}", "channels", labels[value], among, question.id,
                      (value,), (), multi=True) for value in CHANNELS if value in labels]


def _gap(q: Questionnaire) -> list[Indicator]:
    """Per area, the share of firms whose gap (100 − score) comes mostly from outside, and
    mostly from inside: method 2027.1's gap split, firm by firm, counted."""
    titles = {a.id: a.title for a in q.areas}
    out = []
    for area in AREAS:
        title = titles.get(area, Text(area, area))
        for split, label in (("mostly_external", Text(f"Gap mostly external: {title.en}",
                                                       f"差距主要来自外部：{title.zh}")),
                             ("mostly_internal", Text(f"Gap mostly internal: {title.en}",
                                                       f"差距主要来自内部：{title.zh}"))):
            out.append(Indicator(f"gap_{area}_{split}", "gap", label,
                                 Text("among firms with a gap split in this area",
                                      "在该领域可拆分差距来源的企业中"),
                                 f"{COLUMN_PREFIX}{area}_gap", (split,), GAP_SPLITS))
    return out


SCHEME_STAGES: tuple[tuple[str, Text, Text, tuple[str, ...], tuple[str, ...],
                           tuple[str, ...]], ...] = (
    ("aware", Text("Heard of it", "听说过"), Text("among firms asked", "在被问及的企业中"),
     ("aware_not_needed", "aware_not_eligible", "aware_unsure_how", "applied_rejected",
      "applied_pending", "received_not_useful", "received_useful"),
     ("not_aware", "aware_not_needed", "aware_not_eligible", "aware_unsure_how",
      "applied_rejected", "applied_pending", "received_not_useful", "received_useful"), ()),
    ("applied", Text("Applied", "申请过"),
     Text("among firms that had heard of it", "在听说过的企业中"),
     ("applied_rejected", "applied_pending", "received_not_useful", "received_useful"),
     ("aware_not_needed", "aware_not_eligible", "aware_unsure_how", "applied_rejected",
      "applied_pending", "received_not_useful", "received_useful"), ()),
    ("received", Text("Received it", "已获得"),
     Text("among applicants with a decision", "在已有结果的申请企业中"),
     ("received_not_useful", "received_useful"),
     ("applied_rejected", "received_not_useful", "received_useful"), ("applied_pending",)),
    ("useful", Text("It helped", "有帮助"),
     Text("among firms that received it", "在已获得的企业中"),
     ("received_useful",), ("received_not_useful", "received_useful"), ()),
    ("not_needed", Text("Did not apply: not needed", "未申请：不需要"),
     Text("among firms that had heard of it and did not apply", "在听说过但未申请的企业中"),
     ("aware_not_needed",), ("aware_not_needed", "aware_not_eligible", "aware_unsure_how"), ()),
    ("not_eligible", Text("Did not apply: not eligible", "未申请：不符合条件"),
     Text("among firms that had heard of it and did not apply", "在听说过但未申请的企业中"),
     ("aware_not_eligible",), ("aware_not_needed", "aware_not_eligible", "aware_unsure_how"), ()),
    ("unsure_how", Text("Did not apply: did not know how", "未申请：不知道怎么申请"),
     Text("among firms that had heard of it and did not apply", "在听说过但未申请的企业中"),
     ("aware_unsure_how",), ("aware_not_needed", "aware_not_eligible", "aware_unsure_how"), ()),
)
"""The funnel aware → applied → received → useful, and why aware firms did not apply."""

_SUFFIXES = Text(", in the last 12 months", "（过去12个月）")


def scheme_name(text: Text) -> Text:
    """A grid row's text without its recall period, which the group title states once."""
    return Text(text.en.removesuffix(_SUFFIXES.en), text.zh.removesuffix(_SUFFIXES.zh))


def scheme_groups(q: Questionnaire) -> list[Group]:
    return [Group(question.id, Text(f"{name.en} (last 12 months)", f"{name.zh}（过去12个月）"))
            for question in q.questions.values() if question.grid == SCHEME_GRID
            for name in [scheme_name(question.text)]]


def _schemes(q: Questionnaire) -> list[Indicator]:
    out = []
    for question in q.questions.values():
        if question.grid != SCHEME_GRID:
            continue
        values = {o.value for o in question.options}
        for stage, label, among, num, den, apart in SCHEME_STAGES:
            if set(num) | set(den) | set(apart) <= values:
                out.append(Indicator(f"{question.id}.{stage}", question.id, label, among,
                                     question.id, num, den, apart))
    return out


def indicators(q: Questionnaire) -> tuple[Indicator, ...]:
    """Every indicator of a questionnaire, in page order. Indicators over questions the
    questionnaire lacks are left out, so an older questionnaire gets only what it asked."""
    listed = [*_credit(), *_financing(), *_ip(), *_export_obstacles(), *_channels(q), *_gap(q)]
    kept = [i for i in listed if i.column or i.source in q.questions]
    return (*kept, *_schemes(q))


def groups(q: Questionnaire) -> tuple[Group, ...]:
    return (*GROUPS, *scheme_groups(q))
