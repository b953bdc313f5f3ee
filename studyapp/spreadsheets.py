"""What the uploads of tables share (people enrolment, the 题库 question import): a cell as the text a
person sees, the header row read into named columns, and a workbook's row count found without
reading its rows. Each upload keeps its own columns, rules and messages about rows."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: numbers without a trailing .0 (a phone number, 工号 or answer
    typed into a number cell), dates as written, Excel's TRUE/FALSE as words, whitespace (full-width
    too) trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else f"{value:.15g}"
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text.replace("\r\n", "\n").strip()


@dataclass(frozen=True)
class Header:
    """The columns an upload reads: their names in order, those that must be there, and the other
    names people give them (登录名 is also 工号, 手机号…)."""

    columns: Sequence[str]
    required: Sequence[str]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def name(self, text: str) -> str | None:
        """The column a header cell names: width-folded, spaces, a required-mark * and a bracketed
        note (登录名（工号或手机号）) dropped, letters in capitals (选项a); None when unknown."""
        key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).strip("*")
        key = re.sub(r"\(.*?\)", "", key).upper()  # NFKC made full-width brackets ASCII
        key = self.aliases.get(key, key)
        return key if key in self.columns else None

    def read(self, cells: Iterable[tuple[int, str]]) -> tuple[dict[int, str], list[str]]:
        """Column position → column name from the header row's (position, text) cells, and what is
        wrong with the header (missing required columns, unknown and repeated ones), in Chinese."""
        columns: dict[int, str] = {}
        unknown: list[str] = []
        repeated: list[str] = []
        for position, text in cells:
            if not text:
                continue
            name = self.name(text)
            if name is None:
                unknown.append(text)
            elif name in columns.values():
                repeated.append(name)
            else:
                columns[position] = name
        available = "、".join(self.columns)
        errors = []
        missing = [name for name in self.required if name not in columns.values()]
        if missing:
            errors.append(f"缺少必填列：{'、'.join(missing)}（第1行应是表头：{available}）")
        if unknown:
            errors.append(f"无法识别的列：{'、'.join(unknown)}（可用的列：{available}）")
        if repeated:
            errors.append(f"表头重复的列：{'、'.join(dict.fromkeys(repeated))}")
        return columns, errors


def declared_rows(data: bytes, *, csv: bool = False) -> int | None:
    """How many rows (header included) the file says it has, found without reading its rows: a
    workbook's first sheet's declared dimension, or its row tags counted when the dimension is left
    out; a CSV file's line count. None when the workbook cannot be opened."""
    if csv:
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # a damaged or foreign file fails in many ways (zip, XML, KeyError…)
        return None
    try:
        if not workbook.worksheets:
            return None
        sheet = workbook.worksheets[0]
        if sheet.max_row:
            return int(sheet.max_row)
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet._worksheet_path) as xml:
            return _row_tags(xml)
    except Exception:
        return None
    finally:
        workbook.close()


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _row_tags(stream: IO[bytes]) -> int:
    """The <row> elements of a worksheet's XML, read in chunks; a tag in a chunk's last bytes waits
    for the next chunk, where it is whole."""
    count, tail = 0, b""
    while chunk := stream.read(1 << 20):
        window = tail + chunk
        cut = max(0, len(window) - 32)
        count += sum(1 for match in ROW_TAG.finditer(window) if match.start() < cut)
        tail = window[cut:]
    return count + len(ROW_TAG.findall(tail))
