"""The prose of the generated methodology, in both languages (pure).

The pure core cannot use the web layer's translation catalogue, so the methodology's sentences
live here as data: `P` holds the text of method 2026.1 (kept word for word, so the committed
docs of 2026.1 never change), `P27` what method 2027.1 says differently or adds. `|` splits a
text into paragraphs or list items.
"""

from __future__ import annotations

from survey.core.methodology.text_aggregates import AGGREGATES

P: dict[str, dict[str, str]] = {
    "title": {"en": "How the scores are computed", "zh": "评分方法说明"},
    "versions": {
        "en": "Questionnaire version {version}, method version {method_version}. This document "
              "is generated from the questionnaire data file; every threshold below is read "
              "from it.",
        "zh": "问卷版本 {version}，评分方法版本 {method_version}。本文由问卷数据文件自动生成，"
              "文中所有阈值均直接取自该文件。"},
    "intro": {
        "en": "The survey follows AmCham China's 2022 SII Digital Economy Report, which found "
              "that Chinese SMEs face three challenges and made five recommendations to "
              "government. Each SME gets a readiness score per challenge area, a maturity "
              "level, and the five recommendations ranked by how much its answers point to "
              "them.",
        "zh": "本调查以中国美国商会2022年社会影响力倡议（"
              "SII）数字经济报告为依据。报告指出中国中小企业"
              "面临三大挑战，并向政府提出五项建议。每家参与企业都会得到三个挑战领域各自的准备度得分"
              "和成熟度等级，以及按其答案排序的五项建议。"},
    "overview": {"en": "Overview", "zh": "概览"},
    "overview_text": {
        "en": "The questionnaire has {n_questions} questions: a company profile, which is not "
              "scored, and {n_scored} scored questions in three areas. Each scored question "
              "belongs to one area, has a weight, a root cause (internal or external) and is "
              "evidence for one or two recommendations.",
        "zh": "问卷共 {n_questions} 题：企业概况部分不计分，其余 {n_scored} 道计分题分属三个领域。"
              "每道计分题归属一个领域，设有权重和成因类型"
              "（内部或外部），并作为一至两项建议的依据。"},
    "areas_col": {"en": "Area", "zh": "领域"},
    "about_col": {"en": "What it covers", "zh": "内容"},
    "question_scores": {"en": "Question scores", "zh": "单题得分"},
    "qs_items": {
        "en": "A single-choice question scores points ÷ maximum points × 100.|"
              "A multiple-choice question scores min(sum of the points chosen, full credit) ÷ "
              "full credit × 100: a firm need not tick everything to earn 100. \"None of "
              "these\" scores 0 and cannot be combined with other options.|"
              "\"Don't know\" and \"not applicable\" give no score: they count exactly as an "
              "unanswered question, never as 0.|"
              "Not doing something is a real answer worth 0 (a firm that does not export "
              "scores 0 on export practice), and so is \"never heard of it\".",
        "zh": "单选题得分 = 所选选项分值 ÷ 该题最高分值 × 100。|"
              "多选题得分 = 所选选项分值之和（超过满分点数时按满分点数计）÷ 满分点数 × 100，"
              "即不必全选也能得到100分。"
              "“以上都没有”计0分，且不能与其他选项同时选择。|"
              "“不清楚”和“不适用”不计分，与未作答完全相同，绝不按0分计算。|"
              "没有开展某项工作是真实的答案，计0分（例如不出口的企业在出口实践题上得0分）；"
              "“从未听说”同样计0分。"},
    "readiness": {"en": "Readiness and environment", "zh": "准备度与外部环境"},
    "readiness_text": {
        "en": "An area's score (its readiness) is the weighted mean of the scores of its "
              "answered internal questions; its environment is the same mean over its answered "
              "external questions (0–100, higher is more supportive). The environment is shown "
              "beside the score, without a level.|"
              "The report traces the SMEs' challenges to two root causes: inadequate "
              "institutional measures and supportive policies (external), and a lack of "
              "knowledge, capabilities and resources inside companies (internal). Readiness "
              "uses internal questions only because those describe what the firm itself can "
              "act on; the environment describes what policy must fix. Mixing the two would "
              "blame a firm for a poor local network or a missing subsidy, and hide where "
              "support fails to reach SMEs.",
        "zh": "领域得分（准备度）是该领域已作答的内部因素题"
              "得分的加权平均；外部环境得分是该领域已作答的"
              "外部因素题得分的加权平均（0–100，越高表"
              "示外部环境越有利）。外部环境得分与领域得分并列"
              "显示，不划分等级。|"
              "报告将中小企业面临的挑战归结为两类成因：制度措施和扶持政策不足（外部），以及企业自身"
              "知识、能力和资源的欠缺（内部）。准备度只采"
              "用内部因素题，因为这些是企业自己能够改进的；"
              "外部环境反映的是需要政策解决的问题。若将两者混在一起，企业会因当地网络差或缺少补贴"
              "而被扣分，政策未能惠及中小企业的问题也会被掩盖。"},
    "coverage": {"en": "Coverage and “not enough answers”", "zh": "作答覆盖率与“作答不足”"},
    "coverage_text": {
        "en": "Coverage is the share of a group's weight that was answered with a score. A "
              "score or an environment is null (“not enough answers”), never 0, when fewer "
              "than {min_answered} of its questions (or all of them, when the group has fewer) "
              "or less than {min_share} of its weight were answered.",
        "zh": "覆盖率是某组题目中已作答且计分的题目所占的权重比例"
              "。已作答的题目少于 {min_answered} 道"
              "（该组不足 {min_answered} 道时须全部作答），或已作答权重低于 {min_share} 时，得分或"
              "外部环境得分记为空（“作答不足”），而不是0。"},
    "overall": {"en": "Overall score", "zh": "总分"},
    "overall_text": {
        "en": "The overall score is the mean of the three area scores. It is null unless all "
              "three areas are scored.|"
              "Scores, environments and needs are kept to one decimal, and levels, priorities "
              "and the order of the recommendations use that rounded value; people see scores "
              "as whole numbers, cut rather than rounded (19.9 shows as 19), so a shown score "
              "always lies in the band of its level.",
        "zh": "总分为三个领域得分的平均值。只有三个领域都有得分时才计算总分，否则记为空。|"
              "各项得分、外部环境得分和需求度均保留一位小数，等级、优先级和建议排序都以该数值为准；"
              "向用户展示时取整数，且只舍不入（19.9显示为19），使显示的分数始终落在其等级区间内。"},
    "levels": {"en": "Maturity levels", "zh": "成熟度等级"},
    "levels_text": {
        "en": "Each score falls in one half-open band: a score on a boundary belongs to the "
              "higher level, and 100 to the top level.",
        "zh": "每个得分落入一个左闭右开的区间：恰好处于分界"
              "点的得分归入较高等级，100分归入最高等级。"},
    "level_col": {"en": "Level", "zh": "等级"},
    "band_col": {"en": "Score band", "zh": "得分区间"},
    "needs": {"en": "Needs and priorities", "zh": "需求度与优先级"},
    "needs_text": {
        "en": "The need for a recommendation is the weighted mean gap (100 − question score) "
              "over the answered questions linked to it, internal and external alike. It is "
              "null, with priority “unknown”, when less than {need_share} of the linked weight "
              "was answered.",
        "zh": "某项建议的需求度，是与之关联且已作答题目的差距"
              "（100 − 单题得分）的加权平均，内部和外部"
              "因素题都计入。关联题目的已作答权重低于 {need_share} 时，需求度记为空，优先级为"
              "“未知”。"},
    "priority_col": {"en": "Priority", "zh": "优先级"},
    "need_col": {"en": "Need", "zh": "需求度"},
    "high": {"en": "High", "zh": "高"},
    "medium": {"en": "Medium", "zh": "中"},
    "low": {"en": "Low", "zh": "低"},
    "unknown": {"en": "Unknown", "zh": "未知"},
    "at_least": {"en": "{x} or more", "zh": "{x} 及以上"},
    "range": {"en": "{lo} to below {hi}", "zh": "{lo} 至 {hi}（不含）"},
    "below": {"en": "below {x}", "zh": "低于 {x}"},
    "too_few": {"en": "not enough answers", "zh": "作答不足"},
    "ordering": {"en": "Order and ties", "zh": "排序与并列"},
    "ordering_items": {
        "en": "by need, rounded to one decimal, highest first;|"
              "then by the lower score of the recommendation's primary area;|"
              "then by the higher coverage;|"
              "then in the report's order.",
        "zh": "按需求度（保留一位小数）从高到低；|"
              "需求度相同时，建议所属主要领域得分较低者在前；|"
              "仍相同时，覆盖率较高者在前；|"
              "仍相同时，按报告中的建议顺序。"},
    "ordering_text": {
        "en": "Recommendations with an unknown need come last. Recommendations with the same "
              "need share a rank and are shown as tied.",
        "zh": "需求度未知的建议排在最后。需求度相同的建议名次相同，并标示为并列。"},
    "drivers": {"en": "Drivers and next steps", "zh": "主要短板与行动建议"},
    "drivers_text": {
        "en": "The drivers of a recommendation are up to {drivers_max} of its linked questions "
              "with the largest gaps (on equal gaps, the heavier question first, then the "
              "questionnaire's order). The next steps follow the internal drivers, which the "
              "firm can act on; external drivers point to support the firm can look for.",
        "zh": "每项建议的主要短板，是与之关联的题目中差距最大的至多 {drivers_max} 道（差距相同时，"
              "权重较高者在前，再按问卷顺序）。行动建议针对内部因素短板，即企业自己能够改进的方面；"
              "外部因素短板则提示企业可以寻求的支持。"},
    "by_area": {"en": "Questions by area", "zh": "各领域题目"},
    "by_rec": {"en": "Questions behind each recommendation",
               "zh": "各项建议的依据题目"},
    "primary": {"en": "Primary area: {area}.", "zh": "主要领域：{area}。"},
    "id_col": {"en": "ID", "zh": "编号"},
    "question_col": {"en": "Question", "zh": "题目"},
    "root_col": {"en": "Root cause", "zh": "成因"},
    "weight_col": {"en": "Weight", "zh": "权重"},
    "recs_col": {"en": "Recommendations", "zh": "对应建议"},
    "max_col": {"en": "Max points / full credit", "zh": "最高分值/满分点数"},
    "internal": {"en": "internal", "zh": "内部"},
    "external": {"en": "external", "zh": "外部"},
    "full_credit": {"en": "full credit {x}", "zh": "满分点数 {x}"},
    "max_points": {"en": "{x}", "zh": "{x}"},
    "multi_note": {"en": " (multiple choice)", "zh": "（多选）"},
}


P27: dict[str, dict[str, str]] = {
    "overview_text27": {
        "en": "The questionnaire has {n_questions} questions ({n_units} as a respondent meets "
              "them: each grid of rows counts once): a company profile, which is not scored, and "
              "{n_scored} scored questions in three areas. Each scored question belongs to one "
              "area, has a weight and a root cause (internal or external), and is linked to one "
              "or two recommendations, each link with its reason. Some questions are asked only "
              "of the firms they apply to.",
        "zh": "问卷共 {n_questions} 题（表格中的各行合计为一题时，受访者实际看到 {n_units} 题）："
              "企业概况部分不计分，其余 {n_scored} 道计分题分属三个领域。每道计分题归属一个领域，"
              "设有权重和成因类型（内部或外部），并关联一至两项建议，每项关联都写明依据。部分题目"
              "只向适用的企业提问。"},
    "qs_items27": {
        "en": "A single-choice question scores points ÷ maximum points × 100.|"
              "A multiple-choice question scores min(sum of the points chosen, full credit) ÷ "
              "full credit × 100: a firm need not tick everything to earn 100. \"None of "
              "these\" scores 0 and cannot be combined with other options.|"
              "\"Don't know\" gives no score: it counts exactly as an unanswered question, never "
              "as 0. So does an answer that says the item does not concern the firm, such as "
              "\"aware of the scheme, did not need it\".|"
              "Not doing something a firm could reasonably do is a real answer worth 0 (no "
              "security measures is 0), and so is \"never heard of it\".",
        "zh": "单选题得分 = 所选选项分值 ÷ 该题最高分值 × 100。|"
              "多选题得分 = 所选选项分值之和（超过满分点数时按满分点数计）÷ 满分点数 × 100，"
              "即不必全选也能得到100分。“以上都没有”计0分，且不能与其他选项同时选择。|"
              "“不清楚”不计分，与未作答完全相同，绝不按0分计算；表示该项与企业无关的答案"
              "（如“了解该政策，但不需要”）同样不计分。|"
              "企业本可以做而没有做的事，是真实的答案，计0分（例如没有任何网络安全措施计0分）；"
              "“从未听说”同样计0分。"},
    "applicability": {"en": "Which questions apply", "zh": "题目的适用范围"},
    "applicability_text": {
        "en": "Applicability is routed, never chosen: a question may be asked only when "
              "earlier answers show that it applies — export practice only to firms that "
              "export, export preparation to firms that export, used to or plan to, loan "
              "outcomes only to firms that applied. A question that does not apply is not "
              "shown and has no score (\"not applicable\"); an answer sent for it anyway is "
              "ignored, and the result lists it as ignored. Respondents are never offered \"not "
              "applicable\" as an escape from a question that applies.|"
              "{n_routed} questions are asked only when their condition holds:",
        "zh": "题目是否适用由此前的答案决定，而不是由受访者选择：出口实践题只问有出口的企业，"
              "出口准备题问有出口、曾经出口或计划出口的企业，贷款结果只问申请过贷款的企业。不适用"
              "的题目不会出现，也不计分（“不适用”）；如仍提交了答案，该答案会被忽略，并在结果中"
              "注明。对适用的题目，不提供“不适用”选项。|"
              "以下 {n_routed} 道题只在条件满足时提问："},
    "asked_when_col": {"en": "Asked when", "zh": "提问条件"},
    "area_score": {"en": "Area score, capability and environment",
                   "zh": "领域得分、自身能力与外部环境"},
    "area_score_text": {
        "en": "An area's score — the firm's position on that challenge, 0–100, higher meaning "
              "the challenge binds less — is the weighted mean of the scores of its answered "
              "applicable questions, internal and external alike.|"
              "Beside it stand the capability, the same mean over the internal questions only "
              "(the firm's knowledge, capabilities and resources), and the environment, over "
              "the external questions only (the institutions, policies, markets and "
              "infrastructure around it); neither has a level. The report traces the SMEs' "
              "challenges to both root causes, so the score counts both; the two sub-scores "
              "keep them apart, so a firm is not blamed for a poor local network and policy is "
              "not blamed for what the firm can change itself.|"
              "An area none of whose questions applies is not applicable (overseas markets for "
              "a firm with no export activity or plans): it has no score and does not count in "
              "the overall score.",
        "zh": "领域得分反映企业在该挑战上所处的位置（0–100，越高表示该挑战对企业的制约越小），"
              "是该领域已作答且适用的题目得分的加权平均，内部和外部因素题都计入。|"
              "与之并列的有自身能力得分（只计内部因素题，即企业自身的知识、能力和资源）和外部"
              "环境得分（只计外部因素题，即企业所处的制度、政策、市场和基础设施），二者都不划分"
              "等级。报告将中小企业面临的挑战归结为这两类成因，所以领域得分同时计入二者；两个分项"
              "得分则把它们分开，既不因当地网络差而责怪企业，也不把企业自己能改进的问题归咎于"
              "政策。|"
              "所有题目都不适用的领域记为“不适用”（例如没有出口、也不打算出口的企业的海外市场"
              "领域），不计得分，也不计入总分。"},
    "gap_split": {"en": "Where the gap comes from", "zh": "差距来自哪里"},
    "gap_split_text": {
        "en": "The gap split tells which root cause an area's gap comes from. Its external "
              "share is the sum of weight × (100 − score) over the answered external questions "
              "of the area, divided by the same sum over all its answered questions. The gap "
              "is \"mostly external\" when that share is {external} or more, \"mostly "
              "internal\" when it is {internal} or less, and \"mixed\" in between. There is no "
              "split when the area has no score or no gap. This is the report's root-cause "
              "analysis, firm by firm.",
        "zh": "差距来源说明某领域的差距主要来自哪类成因。其外部占比 = 该领域已作答外部因素题的"
              "“权重 × (100 − 得分)”之和 ÷ 该领域全部已作答题目的同一求和。外部占比达到 "
              "{external} 及以上为“主要来自外部”，不超过 {internal} 为“主要来自内部”，介于"
              "两者之间为“内外兼有”。领域没有得分或没有差距时，不给出差距来源。这就是报告中的"
              "成因分析，落实到每一家企业。"},
    "coverage_text27": {
        "en": "Coverage is the share of the applicable weight that was answered with a score. A "
              "score, capability or environment is null (“not enough answers”), never 0, when "
              "fewer than {min_answered} of its applicable questions (or all of them, when fewer "
              "apply) or less than {min_share} of their weight were answered.",
        "zh": "覆盖率是适用题目中已作答且计分的题目所占的权重比例。适用题目中已作答的少于 "
              "{min_answered} 道（适用题目不足 {min_answered} 道时须全部作答），或已作答权重低于 "
              "{min_share} 时，领域得分、自身能力或外部环境得分记为空（“作答不足”），而不是0。"},
    "overall_text27": {
        "en": "The overall score is the mean of the scores of the areas that apply to the firm. "
              "It is null unless every applicable area is scored and at least {min_areas} areas "
              "apply; a firm with no export activity or plans gets the mean of its financing "
              "and digital technology scores.|"
              "Scores, capabilities, environments and needs are kept to one decimal (rounded "
              "half away from zero), and levels, "
              "priorities and the order of the recommendations use that rounded value; people "
              "see scores as whole numbers, cut rather than rounded (19.9 shows as 19), so a "
              "shown score always lies in the band of its level.",
        "zh": "总分为适用于该企业的各领域得分的平均值。只有每个适用领域都有得分、且适用领域不少于 "
              "{min_areas} 个时才计算总分，否则记为空；没有出口、也不打算出口的企业，总分为融资"
              "和数字技术应用两个领域得分的平均值。|"
              "各项得分、自身能力、外部环境得分和需求度均保留一位小数（四舍五入，远离零进位），等级、优先级和建议排序都"
              "以该数值为准；向用户展示时取整数，且只舍不入（19.9显示为19），使显示的分数始终"
              "落在其等级区间内。"},
    "needs_text27": {
        "en": "The need for a recommendation is the weighted mean gap (100 − question score) "
              "over its linked questions that apply and were answered, internal and external "
              "alike. It is null, with priority “unknown”, when less than {need_share} of the "
              "applicable linked weight was answered, and “not applicable” when none of its "
              "linked questions applies to the firm.",
        "zh": "某项建议的需求度，是与之关联、适用且已作答的题目的差距（100 − 单题得分）的加权"
              "平均，内部和外部因素题都计入。适用的关联题目中已作答的权重低于 {need_share} 时，"
              "需求度记为空，优先级为“未知”；没有任何关联题目适用于该企业时，优先级为“不适用”。"},
    "not_applicable": {"en": "Not applicable", "zh": "不适用"},
    "none_apply": {"en": "no linked question applies", "zh": "没有适用的关联题目"},
    "ordering_text27": {
        "en": "Recommendations with an unknown need follow those with a known need, and "
              "recommendations that do not apply come last. Recommendations with the same need "
              "share a rank and are shown as tied.",
        "zh": "需求度未知的建议排在需求度已知的建议之后，不适用的建议排在最后。需求度相同的建议"
              "名次相同，并标示为并列。"},
    "drivers_text27": {
        "en": "The drivers of a recommendation are up to {drivers_max} of its answered linked "
              "questions with the largest gaps (score below 100; on equal gaps, the heavier "
              "question first, then the questionnaire's order).|"
              "Next steps are data with conditions. The report shows the first {steps_max} "
              "steps of a recommendation whose condition holds, in the order listed under each "
              "recommendation below, each with the answered questions its condition read "
              "(\"because …\"). A condition holds only on positive evidence: an unanswered, "
              "\"don't know\" or inapplicable question makes every part of a condition on it "
              "false (except \"is not answered\"), so a step never advises what the firm says "
              "it already does. A recommendation that does not apply shows no step.",
        "zh": "每项建议的主要短板，是与之关联且已作答的题目中差距最大的至多 {drivers_max} 道"
              "（得分低于100；差距相同时，权重较高者在前，再按问卷顺序）。|"
              "行动建议是附带条件的数据。报告按下文各建议下列出的顺序，展示条件成立的前 "
              "{steps_max} 条行动建议，并注明触发该条件的已作答题目（“因为……”）。条件只在有"
              "明确依据时成立：未作答、答“不清楚”或不适用的题目，使涉及它的每一项条件都不成立"
              "（“未作答”本身除外），因此不会建议企业去做它已经在做的事。不适用的建议不展示"
              "行动建议。"},
    "credit": {"en": "Credit-constraint class", "zh": "信贷约束类型"},
    "credit_text": {
        "en": "Each firm is classed as in the World Bank Enterprise Surveys (Kuntchev et al., "
              "2013): no need (did not apply because its own funds were enough), not "
              "constrained, partially constrained (has some external finance but was refused "
              "or discouraged), or fully constrained (has no external finance, and was refused "
              "or discouraged by procedures, rates, collateral, loan size or term, or an "
              "expected refusal). The rules are tried in the order below; the first whose "
              "condition holds gives the class, and a firm for which none holds is "
              "\"unknown\".",
        "zh": "参照世界银行企业调查（Kuntchev 等，2013），将每家企业归入以下类型之一：无融资需求"
              "（因自有资金充足而没有申请）、不受约束、部分受约束（有一定外部融资，但被拒绝或"
              "望而却步）、完全受约束（没有外部融资，且被拒绝，或因手续、利率、抵押、额度期限、"
              "预计申请不下来而没有申请）。以下规则按顺序判断，第一条成立的规则决定类型；没有任何"
              "规则成立的企业记为“未知”。"},
    "rule_col": {"en": "Rule", "zh": "规则"},
    "class_col": {"en": "Class", "zh": "类型"},
    "when_col": {"en": "When", "zh": "条件"},
    "no_need": {"en": "No need", "zh": "无融资需求"},
    "not_constrained": {"en": "Not constrained", "zh": "不受约束"},
    "partially_constrained": {"en": "Partially constrained", "zh": "部分受约束"},
    "fully_constrained": {"en": "Fully constrained", "zh": "完全受约束"},
    "sensitivity": {"en": "How much the results depend on the weights",
                    "zh": "结果对权重的敏感性"},
    "sensitivity_text": {
        "en": "The weights are expert judgements. To show how much the results depend on them, "
              "every question weight was multiplied by its own random factor between {lo} and "
              "{hi}, {draws} times, for {n} synthetic firms that answer at random wherever the "
              "questionnaire routes them (seed {seed}). The table gives, for each area level "
              "and for the top recommendation, the share of firm-draws in which it changed and "
              "the share of firms for which it changed at least once. Random answers are less "
              "coherent than real firms' answers, so real data may move more or less; staff "
              "repeat the analysis on the stored real assessments with the command "
              "`flask --app app method sensitivity`.",
        "zh": "各题权重是专家判断。为说明结果在多大程度上取决于权重，我们将每道题的权重分别乘以 "
              "{lo} 至 {hi} 之间的随机系数，共抽取 {draws} 次，对 {n} 家模拟企业重新评分（模拟"
              "企业按问卷的提问规则随机作答，随机种子为 {seed}）。下表列出各领域等级和排名第一的"
              "建议发生变化的“企业 × 抽样”比例，以及至少变化过一次的企业比例。随机作答不如真实"
              "企业的答案前后一致，真实数据上的变化可能更大也可能更小；工作人员可以用已存储的"
              "真实评估结果重复这一分析。"},
    "result_col": {"en": "Result", "zh": "结果"},
    "draws_changed_col": {"en": "Firm-draws in which it changed",
                          "zh": "发生变化的“企业 × 抽样”比例"},
    "firms_changed_col": {"en": "Firms for which it ever changed", "zh": "至少变化一次的企业比例"},
    "area_level": {"en": "{area}: level", "zh": "{area}：等级"},
    "top_rec": {"en": "Top recommendation", "zh": "排名第一的建议"},
    "links": {"en": "Why each question is linked to its recommendations",
              "zh": "题目与建议的关联依据"},
    "links_text": {
        "en": "A question is linked to a recommendation only when the policy lever that "
              "recommendation names could change the answer; the reason is written beside each "
              "link.",
        "zh": "只有当某项建议所指的政策手段能够改变某道题的答案时，该题才与这项建议关联；每项"
              "关联都写明了依据。"},
    "why_col": {"en": "Why", "zh": "依据"},
    "rec_col": {"en": "Recommendation", "zh": "建议"},
    "steps_text": {
        "en": "Next steps, in the order they are considered, and when each is shown:",
        "zh": "行动建议（按判断顺序排列）及其展示条件："},
    "step_col": {"en": "Next step", "zh": "行动建议"},
    "shown_when_col": {"en": "Shown when", "zh": "展示条件"},
}

TEXT: dict[str, dict[str, str]] = {**P, **P27, **AGGREGATES}


def say(key: str, lang: str, **params: object) -> str:
    text = TEXT[key]["zh" if lang == "zh" else "en"]
    return text.format(**params) if params else text
