"""What a phrase is, read from its head: 产业工人 and 技术工人 are people, 联动机制 and 激励制度 are
institutions, 平衡发展 and 高质量发展 are kinds of development.

An option of a single choice, a swapped term of a true/false and a wrong option of a multiple select
must be of the answer's kind, or a reader rules it out by its form alone (切实＿＿、维护好 — 不想腐).
Numbers and quoted names have their own kinds; for the rest, the kind is the head's family below,
else the head itself (the last two characters, or the last one for a suffix such as 性, 力, 化).
"""

from __future__ import annotations

from functools import lru_cache

# Heads of one kind, longest match first. One table, here; documented in the README.
FAMILIES: dict[str, tuple[str, ...]] = {
    "enterprise": ("企业", "单位", "机构", "公司"),
    "union body": ("委员会", "联合会", "代表团", "工会", "协会", "研讨营"),
    "state body": ("检察院", "法院", "政府", "党委", "部门", "机关", "院校", "学院"),
    "people": (
        "劳动者",
        "工作者",
        "工人",
        "民工",
        "职工",
        "人才",
        "工匠",
        "劳模",
        "干部",
        "会员",
        "群体",
        "大军",
        "党员",
        "班子",
        "一把手",
        "员",
    ),
    "institution": ("机制", "制度", "体系", "格局", "规划", "标准", "规定", "政策", "法规", "责任制", "实名制"),
    "activity": (
        "活动",
        "竞赛",
        "行动",
        "工程",
        "项目",
        "品牌",
        "计划",
        "教育",
        "培训",
        "研讨",
        "课堂",
        "宣讲",
        "交流",
        "合作",
        "援助",
    ),
    "facility": ("站点", "中心", "阵地", "书屋", "文化宫", "疗养院", "平台", "终端", "展馆", "工作室", "热线"),
    "idea": ("精神", "思想", "理论", "论述", "主题", "方针", "道路", "传统", "理念", "信念", "价值观"),
    "growth": ("发展", "建设", "改革", "创新", "创造", "提升", "提高", "壮大", "转化"),
    "interest": ("权益", "利益", "待遇", "保障", "福利", "权"),
    "risk": ("安全", "风险", "隐患"),
    "response": ("预警", "处置", "治理", "排查", "化解"),  # what is done about a risk, not a risk
    "media": ("媒体", "网络", "网站", "阵地"),
    "quality": ("性",),
    "power": ("力",),
    "process": ("化",),
}
# Words ending in a family's suffix that are not of the family.
_NOT_HEADS = ("努力", "动力", "压力", "人员", "文化")  # 廉政文化 is a culture, no process (…化)
_BY_SUFFIX = sorted(
    ((suffix, family) for family, suffixes in FAMILIES.items() for suffix in suffixes),
    key=lambda pair: (-len(pair[0]), pair[0]),
)


@lru_cache(maxsize=65536)
def head_kind(text: str) -> str:
    """The family of the text's head, else its head: 产业工人 → people, 联动机制 → institution,
    首要任务 → 任务 (a task, of no family: only other …任务 are of its kind)."""
    if text.startswith("以") and "为" in text:
        return "framed"  # 以职工为中心 is a principle, not a place
    if text.endswith(_NOT_HEADS):
        return text[-2:]  # 努力 is no power (力), 能力 is
    for suffix, family in _BY_SUFFIX:
        if text.endswith(suffix) and len(text) > len(suffix) - (len(suffix) >= 2):
            return family
    return text[-2:] if len(text) >= 3 else text


def same_head_kind(answer: str, other: str) -> bool:
    """Two phrases of one kind by their heads (see `head_kind`)."""
    return head_kind(answer) == head_kind(other)
