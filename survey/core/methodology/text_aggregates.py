"""The methodology's words on aggregate figures: intervals, rounding and small groups (pure).

What staff pages, the brief, chart CSVs and GET /api/v1/stats promise about every aggregate —
the interval each number carries, the one rounding rule, and when a number is withheld — said
once here, in both languages (the rules: survey.core.stats, survey.core.rounding,
survey.core.suppression, survey.core.disclosure). Merged into `methodology.text.TEXT`.
"""

from __future__ import annotations

AGGREGATES: dict[str, dict[str, str]] = {
    "aggregates": {"en": "Aggregate figures: intervals, rounding and small groups",
                   "zh": "汇总数据：置信区间、取舍规则与小样本保护"},
    "aggregates_text": {
        "en": "Staff pages, the policy brief, chart downloads and the statistics API show "
              "figures over many SMEs. Each carries its n — the SMEs that have that value, "
              "which for a mean is the SMEs with that score and for a priority share the SMEs "
              "whose priority is known — and a 95 % interval.",
        "zh": "工作人员页面、政策简报、图表下载和统计接口展示的是多家企业的汇总数据。每个数字都"
              "标明其样本量n——即具有该数值的企业数：平均分的n是有该项得分的企业数，优先级占比的n"
              "是优先级已知的企业数——并附95%置信区间。"},
    "aggregates_items": {
        "en": "Means: Student's t interval, mean ± t(0.975, n − 1)·sd/√n, computed from the "
              "count, sum and sum of squares (at n = 10, t = 2.262 rather than the normal "
              "1.96, whose interval would be 13 % too narrow); clipped to 0–100.|"
              "Shares: Wilson score interval, which stays inside 0–100 % and does not "
              "collapse to a point at 0 % or 100 %.|"
              "High, medium and low priority shares are among the SMEs whose priority is "
              "known; “unknown” (too few linked questions answered) is reported apart, as a "
              "share of the SMEs the recommendation applies to, and is in no other "
              "denominator. Level shares are cumulative: the share of SMEs at or above each "
              "level.|"
              "Two-way tables (one level against another, capability against environment) "
              "count only the SMEs with both scores, margins included.|"
              "Figures from fewer than 30 SMEs are marked low precision.|"
              "Rounding: every number shown or published is rounded half away from zero on "
              "the decimal it stands for (2.675 → 2.68, 52.5 → 53, −0.5 → −1), never to even "
              "and never on its binary approximation; a firm's own score is cut, not rounded, "
              "so that it stays in the band of its level.",
        "zh": "平均分：采用t分布置信区间，平均分 ± t(0.975, n − 1)·sd/√n，由计数、总和与平方和计算"
              "（n = 10时t = 2.262，而正态分布的1.96会使区间窄13%）；区间截断在0–100之内。|"
              "占比：采用Wilson区间，始终位于0–100%之内，在0%或100%处也不会退化为一个点。|"
              "高、中、低优先级的占比以优先级已知的企业为分母；“未知”（关联题目作答过少）单独"
              "列示，其占比以该建议适用的企业为分母，不计入其他任何分母。等级占比是累计的：即"
              "达到或高于各等级的企业占比。|"
              "二维表（两个等级交叉、自身能力与外部环境交叉）只统计两项得分都有的企业，合计行列"
              "亦然。|"
              "少于30家企业得出的数字标注为精度较低。|"
              "取舍规则：所有展示或发布的数字，均按其所代表的十进制数值四舍五入（正负数均远离零"
              "进位：2.675 → 2.68，52.5 → 53，−0.5 → −1），不采用“四舍六入五成双”，也不按二进"
              "制近似值取舍；企业自身的得分只舍不入，使其始终落在所属等级区间内。"},
    "privacy_text": {
        "en": "Small groups are never shown. A number resting on fewer than the minimum group "
              "(PRIVACY_MIN_GROUP, 10 by default) — counted on its own n, so a mean of 7 scored "
              "SMEs inside a group of 25 is hidden — is withheld, and within each table more "
              "cells are withheld where a total would let a hidden one be worked out (hidden "
              "cells together always number at least the minimum).|"
              "Filters cannot be played against each other either. A figure under some filters "
              "is withheld when dropping any of its filters, or widening its months to any "
              "wider range, would add between 1 and the minimum − 1 real SMEs: otherwise "
              "“west” minus “west and exporting” would give away the few western SMEs that do "
              "not export. A survey wave counts as the months it spans, so a month next to a "
              "very small month can be withheld too. Demo rows never count towards such a "
              "difference: they describe nobody.",
        "zh": "小样本组从不展示。某个数字所依据的企业少于最小组规模（PRIVACY_MIN_GROUP，默认10）"
              "时不予展示——按该数字自身的n计算，因此25家企业的组中只有7家有得分时，其平均分也会"
              "隐藏；在每张表内，如果合计数会让人推算出被隐藏的单元格，还会再隐藏更多单元格（被"
              "隐藏的单元格合计始终不少于最小组规模）。|"
              "不同筛选条件之间也不能相互抵减。某个筛选结果中的数字，如果去掉其任一筛选条件，或"
              "把月份范围放宽到任何更宽的范围，会增加1到（最小组规模 − 1）家真实企业，该数字即不"
              "予展示：否则“西部”减去“西部且出口”就会暴露少数不出口的西部企业。调查轮次按其涵盖"
              "的月份计算，因此紧邻极小月份的月份也可能被隐藏。演示数据不计入此类差额：它们不对"
              "应任何真实企业。"},
}

