"""Chinese numerals as a person writes them: 两个 = 二个 = 2个, 二十五人 = 25人, 百分之四十 = 40%.

Answers are compared in one form (digits), so that whoever knows the number is right however they
write it. Only numbers are rewritten: a numeral run counts as a number before a measure word, or
after 百分之 / 第; a numeral inside a word (一带一路, 统一, 十八大) is left alone.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千万"
# Measure words and units a counted number stands before (人, 个, 年 …).
MEASURE_WORDS = "个人名位项条款章节次年月日天周岁倍家所座批届期轮类种件篇元万亿小时分钟秒户支只张本部处"

_NUMBER = re.compile(rf"百分之([{NUMERAL}]+)|第([{NUMERAL}]+)|([{NUMERAL}]+)(?=[{MEASURE_WORDS}])")


def chinese_to_int(text: str) -> int | None:
    """The value of a Chinese numeral (三, 十五, 二十五, 一百零五, 两千, 三万五千); None if it is not one."""
    if not text or any(char not in NUMERAL for char in text):
        return None
    if "万" in text:
        high, _sep, low = text.partition("万")
        high_value = chinese_to_int(high) if high else 1
        low_value = chinese_to_int(low) if low else 0
        if high_value is None or low_value is None:
            return None
        return high_value * 10000 + low_value
    if not any(char in UNITS for char in text):
        return int("".join(str(DIGITS[char]) for char in text))  # 三, 二〇二五: digit by digit
    total, digit = 0, None
    for char in text:
        if char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        elif DIGITS[char]:
            if digit is not None:
                return None  # 二三十: not a number
            digit = DIGITS[char]
        # 零 only holds a place (一百零五)
    return total + (digit or 0)


def with_digits(text: str) -> str:
    """`text` with the Chinese numbers in it written in digits (两个 → 2个, 百分之四十 → 40%)."""

    def replace(match: re.Match[str]) -> str:
        percent, ordinal, counted = match.groups()
        value = chinese_to_int(percent or ordinal or counted)
        if value is None:
            return match.group(0)
        if percent:
            return f"{value}%"
        return f"第{value}" if ordinal else str(value)

    return _NUMBER.sub(replace, text)
