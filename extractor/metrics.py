"""Metric names: the label in front of a figure → a comparable key.

Reports name one metric several ways (社零 / 社会消费品零售总额, 外贸总额 /
进出口总额, 增速 / 增长率 / 同比增长). Two statements of a metric can only be
compared when their keys agree, so the key drops place and filler words,
applies the aliases below and keeps the period (年份, 1-9月, 预计) so that a
forecast is never compared with an outturn.
"""

from __future__ import annotations

import functools
import re

__all__ = ["GENERIC", "label_before", "metric_key", "period_of"]

# Label words that are only a verb or a place, never a metric by themselves.
_FILLER = re.compile(
    r"^(?:全市|全县|全州|全省|全国|全局|全年|我县|我市|我州|我局|本单位|本局|单位|本部门|我部门|部门|本年度|本年|年度|今年|当年|"
    r"其中|另外|同时|共|累计|实现|完成|达到|达|为|是|已|已经|年末|年底|总计|合计|计(?!划))+"
)
_TRAILING = re.compile(r"(?:为|达到|达|是|共|约|近|超过|实现|完成|累计)+$")
_NOISE = re.compile(r"[“”\"‘’《》()（）\s·、：:]")
_YEAR_OR_PERIOD = re.compile(
    r"\d{4}年(?:度)?|\d{1,2}[-—~至]\d{1,2}月(?:份)?|截[止至]\d{1,2}月(?:底)?|\d{1,2}月(?:底|末)?"
    r"|[上下]半年|前?[一二三四1-4]季度|前三季度|第[一二三四]季度")

# Alias → canonical name (longest aliases first when applied).
ALIASES = {
    # The 基础数据表's 财政供养人员 控制率 is the 共性指标 在职人员控制率.
    "财政供养人员情况": "在职人员",
    "财政供养人员": "在职人员",
    "社零总额": "社会消费品零售总额",
    "社零": "社会消费品零售总额",
    "社会消费品零售额": "社会消费品零售总额",
    "外贸进出口总额": "进出口总额",
    "外贸总额": "进出口总额",
    "外贸进出口": "进出口总额",
    "进出口额": "进出口总额",
    "电商交易额": "电子商务交易额",
    "交易额": "电子商务交易额",
    "增长率": "增速",
    "同比增长": "增速",
    "增幅": "增速",
    "增长": "增速",
}
_ALIAS_ORDER = sorted(ALIASES, key=len, reverse=True)


def _apply_aliases(name: str) -> str:
    """Replace aliases by canonical names, never inside a canonical name already there."""
    for alias in _ALIAS_ORDER:
        canonical = ALIASES[alias]
        if alias in name and canonical not in name:
            name = name.replace(alias, canonical)
    return name

# Too vague to identify a metric without the sentence's subject.
GENERIC = frozenset({
    "资金", "金额", "到位资金", "总额", "货值", "总计货值", "投资", "计划投资", "总投资额", "投资额",
    "项目", "支出", "收入", "预算", "决算数", "预算数", "合同资金", "合同引资", "营业额", "产值",
    "增加值", "数量", "人数", "企业", "家", "任务", "目标任务", "年度任务", "完成投资", "已完成投资",
    "销售额", "出口", "进口", "增速", "规模",
})
_LABEL_STOP = "，,；;。：:、（(）)！？!? \t\n"


def label_before(text: str, pos: int, floor: int = 0) -> str:
    """The words right before ``pos`` back to the previous clause mark or figure."""
    i = pos
    while i > floor and text[i - 1] not in _LABEL_STOP and not text[i - 1].isdigit():
        i -= 1
    return text[i:pos]


# A figure stated as a plan or target is a different statement from the outturn.
_TARGET_CONTEXT = re.compile(r"任务|目标|计划|预算|预期|指标值")


@functools.lru_cache(maxsize=64)
def _periods_in(text: str) -> tuple[str, ...]:
    # Cached per sentence: period_of is asked once per figure, and a sentence
    # of n figures was searched n times (quadratic, issue 11).
    return tuple(_YEAR_OR_PERIOD.findall(text))


def period_of(text: str, clause: str = "") -> str:
    """Year, month range, forecast and target markers of ``text`` (a sentence).

    ``clause`` is the text right before the figure; plan/target words there
    mark the figure as a target ("任务1：完成电子商务交易额50亿元").
    """
    parts = list(_periods_in(text))
    if "预计" in text:
        parts.append("预计")
    if _TARGET_CONTEXT.search(clause):
        parts.append("目标")
    return "|".join(dict.fromkeys(p.replace("份", "") for p in parts))


_QUALIFIER = re.compile(r"^(?:实际|全年|本年|当年|年度|累计|合计|总)")
_UNIT_NOTE = re.compile(r"[（(][^）)]{0,6}[）)]")


def metric_key(label: str, subject: str = "") -> str | None:
    """Canonical metric name for ``label``; ``subject`` qualifies a generic one.

    Returns ``None`` when nothing specific enough remains.
    """
    name = _NOISE.sub("", _UNIT_NOTE.sub("", label))
    name = _YEAR_OR_PERIOD.sub("", name)
    name = _FILLER.sub("", name)
    name = _TRAILING.sub("", name)
    name = _apply_aliases(name)
    if len(name) < 2:
        return None
    base = name[:-2] if name.endswith("增速") and len(name) > 2 else name
    # "实际支出", "全年支出": a qualifier does not make a generic name specific.
    if _QUALIFIER.sub("", base) in GENERIC:
        base = name = _QUALIFIER.sub("", base)
    if base not in GENERIC and len(base) < 4:
        return None
    if base in GENERIC:
        subj = _FILLER.sub("", _YEAR_OR_PERIOD.sub("", _NOISE.sub("", subject)))
        subj = _apply_aliases(subj)
        if len(subj) < 2 or subj == name:
            return None
        return f"{subj}/{name}"
    return name
