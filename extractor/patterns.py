"""Every regular expression jxcheck uses, compiled once, with an example.

Patterns run on normalised views (full-width digits already half-width,
whitespace between CJK characters and numbers removed), so they need not
allow for spaces inside a figure.
"""

from __future__ import annotations

import re

# A Chinese character in a one-class pattern is written [^\W\d_a-zA-Z] (a letter,
# not a digit, _ or ASCII letter), not [\u4e00-\u9fa5]: re builds a 20,000-entry map
# for the range on every compile, about 1 ms each, paid by every cold start.

__all__ = [
    "CHANGE_LABEL",
    "CHANGE_WORDS",
    "COMPARISON_CUE",
    "FUND_NAME",
    "PREVIOUS_CUE",
    "SPENT_LABEL",
    "SUMMARY_LABEL",
    "TARGET_LABEL",
    "AMOUNT",
    "APPROX_PREFIX",
    "BASE_COUNT_UNITS",
    "COUNT_SCALES",
    "COUNT_UNITS",
    "APPROX_SUFFIX",
    "BREAKDOWN_CUE",
    "TOTAL_THEN_PARTS_CUE",
    "CN_NUMBER",
    "COMPLETION_RATIO",
    "DIFFERENCE",
    "DETAIL_LIST_CUE",
    "GROWTH",
    "HEADING",
    "LIST_MARKER",
    "NAMED_RATE",
    "NUMBER",
    "SCORE_AWARDED",
    "SCORE_TOTAL",
    "SENTENCE_END",
    "UNIT",
]

# 31,859,312.45 | 23.54 | -8.4 | 100
NUMBER_SRC = r"(?<![\d.])[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
NUMBER = re.compile(NUMBER_SRC)

# Longest first, so that 万美元 wins over 美元 and 万元 over 元.
MONEY_UNITS = (
    "万亿元", "亿美元", "万美元", "千美元", "美元", "亿元", "千万元", "百万元", "万元", "千元", "元",
)
PERCENT_UNITS = ("个百分点", "%", "‰")
# Things counted in performance reports (people, visits, households, cases,
# land, goods); each is a dimension of its own ("count:人次").
BASE_COUNT_UNITS = (
    "人次", "场次", "户次", "件次", "台次", "车次", "架次", "标箱", "平方米", "立方米",
    "公顷", "千瓦时", "千克", "公斤", "课时", "学时", "㎡", "m²", "m2",
    "平方公里", "公里", "千米", "延米", "米",
    "个", "家", "人", "名", "位", "次", "项", "场", "户", "列", "篇", "座", "条", "款", "份", "批",
    "所", "辆", "台", "套", "本", "期", "度", "吨", "天", "件", "亩", "张", "处", "栋", "间",
    "册", "株", "棵", "头", "只", "元/人",
)
# Counts are often printed in 万 or 亿 of their unit (3.72万人次, 1.2亿人次, 5万亩);
# quantities.factor() scales them exactly, as 万元 is scaled to 元.
COUNT_SCALES = {"万": 10**4, "亿": 10**8}
_UNSCALED = ("元/人",)  # "3万元/人" is 3万元 per person, money read as 万元
COUNT_UNITS = BASE_COUNT_UNITS + tuple(
    p + u for p in COUNT_SCALES for u in BASE_COUNT_UNITS if u not in _UNSCALED)
SCORE_UNITS = ("分",)
UNITS = MONEY_UNITS + PERCENT_UNITS + COUNT_UNITS + SCORE_UNITS
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
UNIT = re.compile(_UNIT_ALT)

# "23.54亿元", "102.35%", "16人", "5 分" (after normalisation: no inner spaces)
AMOUNT = re.compile(
    rf"(?P<num>{NUMBER_SRC})(?P<unit>{_UNIT_ALT})?"
)

# 近400余万元, 约5亿元, 逾1.9亿美元, ≥95%, 超过30余个
# 约 ends other words too: 节约3.28万元 and 签约5个 are exact figures.
APPROX_PREFIX = re.compile(
    r"(?:近|(?<![节制签预违履合集契])约|逾|超过|超|不少于|不低于|不足|不到|≥|≤|>|<|＞|＜|大约|达到约)$")
# 200余场, 160多个, 8%左右, 以上, 以下
APPROX_SUFFIX = re.compile(r"^(?:余|多|以上|以下|左右|上下|（含）|\(含\)|以内|之内|强)")

# 百分之五十, 一百二十, 三千四百万
CN_NUMBER = re.compile(r"百分之[零〇一二两三四五六七八九十百千点]+|[零〇一二两三四五六七八九十百千万亿]+")

# "完成年度任务23亿元的102.35%", "完成州定年度目标任务（6亿元）的157.83%",
# "占全县进出口的42.76%" — the denominator sits between the cue and 的.
COMPLETION_RATIO = re.compile(
    r"(?:完成|达到|占|为)(?P<mid>(?:[^。；;，,]|(?<=\d),(?=\d{3})){0,30}?)的"
    r"(?P<pct>[-−]?\d+(?:\.\d+)?)(?:%|％)"
)

# "执行率93.81%", "资金到位率6.13%", "注册率98.9%", "控制率为100%"
# Any "…率" or share word is a named rate ("办结率", "即时结算率", "占比") except
# changes and prices, which have no numerator among the sentence's figures.
NAMED_RATE = re.compile(
    r"(?P<label>[\u4e00-\u9fa5“”\"]{0,12}?(?<!增长)(?<!下降)(?<!变动)(?<![增利税汇])"
    r"(?:率|满意度|占比|比重|比例))"
    r"(?:为|达到|达|是|：|:)?(?P<pct>[-−]?\d+(?:\.\d+)?)(?:%|％)"
)

# "同比增长27.28%", "增长-8.4%", "同比下降34.2%", "增速9.9%", "增幅5%"
GROWTH = re.compile(
    r"(?P<verb>同比增长|同比下降|同比减少|同比增加|增长|下降|增速|增幅|减少|降幅|增长率)"
    r"(?:了|为|达|达到|约)?(?P<pct>[-−]?\d+(?:\.\d+)?)(?:%|％)"
)

# "较上年减少1.52万元", "比上年的100万元增加20万元", "比去年多5人",
# "较2024年的930万元减少70万元" (the base year named)
DIFFERENCE = re.compile(
    r"(?:较|比)(?:(?:上年|去年|上一年)(?:决算数?|实际支出|累计支出|支出|累计)?|上年同期|同期|年初预算数?|"
    r"预算数?|计划数?|目标|\d{4}年度?(?=的?\d))(?:的)?"
    r"(?P<prev>[-−]?\d[\d,]*(?:\.\d+)?[^\d，,；;。]{0,4}?)?"
    r"(?P<verb>增加|减少|增长|下降|多|少|节约|超出)(?:了)?[^\W\d_a-zA-Z]{0,4}?(?P<diff>[-−]?\d[\d,]*(?:\.\d+)?)"
)
# "其中：", "其中:", "其中" — introduces the parts of the total before it
BREAKDOWN_CUE = re.compile(r"其中[:：]?")
# "本年支出合计192.01万元中，基本支出143.88万元…": 中 right after a total's figure
TOTAL_THEN_PARTS_CUE = re.compile(r"中[，,:：]?(?=[^，,。；;\d]{1,16}[-−]?\d)")
# "具体明细如下：", "明细如下：", "包括：" — a numbered list of parts follows
DETAIL_LIST_CUE = re.compile(
    r"(?:具体)?(?:明细|情况)如下[:：]|主要为|主要用于|分别为[:：]?|包括[:：]?(?=[^，,。；;]{1,20}\d)")
# "1、", "2.", "（1）", "(2)" at the start of a list item
LIST_MARKER = re.compile(r"(?:^|(?<=[；;。，,：:\s]))(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)])")

# "得分为100分", "实得100分", "评价得分5", "综合得分91.73"
SCORE_AWARDED = re.compile(
    r"(?P<label>[^\W\d_a-zA-Z]{0,12}?)(?:评价)?(?:得分|实得)(?:为|是|：|:)?(?P<num>\d+(?:\.\d+)?)(?:分)?"
)
# "总分 100 90.88", "指标得分 85 分"
SCORE_TOTAL = re.compile(r"(?:总分|合计|总计)(?P<rest>(?:\s+\d+(?:\.\d+)?){1,3})\s*$")

# Section headings: "一、", "（一）", "1、", "(1)", "目标1：", "附件3"
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|"
    r"\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[）)]|目标\d+[:：]|附件\s*\d+|附[:：])"
)
# "。", and an ASCII full stop between a figure and CJK text ("增速9.9%.全年…").
SENTENCE_END = re.compile(r"[。！？!?]|(?<=[%\u4e00-\u9fa5])\.(?=[^\W\d_a-zA-Z])")

# ---------------------------------------------------------------- label words
# Words of the label before a figure (metrics.label_before) that say what the
# figure is: last year's, a change, a plan, an amount spent. The sentence
# readers (extract/sentence_*.py) share them so that they classify alike.

# Labels before a figure that mark it as a plan/target (the implied denominator
# of "完成年度目标任务的96.48%").
TARGET_LABEL = re.compile(r"(?:计划|任务|目标|预算)")

# The names of the budget funds hold 预算 without naming a plan: "一般公共预算卫生经费
# 8,250万元比上年的7,600万元增长8.6%" states an outturn.
FUND_NAME = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")

# The words before last year's figure ("上年支出3,350.62万元", "较2024年的930万元"):
# the base a change or rate is measured against.
PREVIOUS_CUE = re.compile(r"(?:上年|去年|上一年|上年度|上期|同期)(?!结转|结余)(?:同期)?[^，,；;。\d]{0,8}$"
                          r"|(?:较|比|与)\d{4}年度?的$")

# A figure after these words is a change, never a level ("增加10万元").
# ("下降至3.71万吨" is a level: the change word must end the label.)
CHANGE_LABEL = re.compile(
    r"(?:增加|减少|增长|下降|降低|节约|节省|超出|超支|结余|节余|剩余|差额|增收|减收|增支|减支|多|少)"
    r"(?:了|为|达|共|约)?(?:支出|资金|经费|金额)?$")

# What a change is measured against: last year, or the budget ("较年初预算数减少10.93万元，
# 下降54.65%": the base is then the budget, equally current − change).
COMPARISON_CUE = re.compile(
    r"(?:比|较|与)(?:\d{4}年度?|上年度?|去年|上年同期|同期|年初预算数?|全年预算数?|预算数?)|同比")

# A figure after these words is a change, not a level: never a mention.
CHANGE_WORDS = re.compile(r"超出|节约|减少|增加|增长|下降|增收|减收|较上年|比上年|同比|结余|差额")

# Labels of an amount spent or done ("实际支出", "决算数"), as against one provided or planned.
SPENT_LABEL = re.compile(r"支出|决算|执行|使用|实际|花费|完成")

# A sentence about a total or a comparison is never one more item of a list.
SUMMARY_LABEL = re.compile(
    r"合计|总计|决算|预算|超出|共计|累计|整体|规模|总额|上年|去年|同期|上期|本年|全年|年初")
