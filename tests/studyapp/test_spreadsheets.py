"""The table-reading parts the uploads share (studyapp/spreadsheets.py): people enrolment and the 题库
question import read their header rows, cells and row counts through them."""

from __future__ import annotations

import datetime
import io

import openpyxl

from studyapp import spreadsheets
from studyapp.spreadsheets import Header, cell_text, declared_rows

HEADER = Header(("姓名", "登录名", "选项A"), ("姓名", "登录名"), {"工号": "登录名"})


def test_header_cells_are_named_as_people_write_them():
    cells = enumerate(["＊姓名", " 工 号 ", "登录名（工号或手机号）", "选项ａ", ""])

    columns, errors = HEADER.read(cells)

    # 工号 and 登录名（…） name the same column: the second is a repeat.
    assert columns == {0: "姓名", 1: "登录名", 3: "选项A"}
    assert errors == ["表头重复的列：登录名"]


def test_a_header_lists_what_is_missing_and_unknown_with_the_columns_it_takes():
    columns, errors = HEADER.read([(1, "备注"), (2, "姓名")])

    assert columns == {2: "姓名"}
    assert errors == [
        "缺少必填列：登录名（第1行应是表头：姓名、登录名、选项A）",
        "无法识别的列：备注（可用的列：姓名、登录名、选项A）",
    ]


def test_cells_read_as_a_person_sees_them():
    assert cell_text(None) == ""
    assert cell_text(13800000001.0) == "13800000001"
    assert cell_text(2.5) == "2.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2026, 5, 1)) == "2026-05-01"  # noqa: DTZ001 (a cell holds no zone)
    assert cell_text(" 甲\r\n乙　") == "甲\n乙"


def test_declared_rows_of_a_csv_and_a_workbook():
    assert declared_rows(b"a,b\n1,2\n3,4\n", csv=True) == 3
    assert declared_rows(b"a,b\n1,2", csv=True) == 2
    book = openpyxl.Workbook()
    for row in range(7):
        book.active.append([f"r{row}"])
    data = io.BytesIO()
    book.save(data)
    assert declared_rows(data.getvalue()) == 7
    assert declared_rows(b"not a zip") is None


def test_row_tags_are_counted_across_chunk_boundaries():
    xml = b"<sheetData>" + b"".join(b'<row r="%d"><c/></row>' % i for i in range(1, 5001)) + b"</sheetData>"
    for size in (7, 100, 4096):

        class Chunked(io.BytesIO):
            def read(self, _size=-1, size=size):
                return super().read(size)

        assert spreadsheets._row_tags(Chunked(xml)) == 5000
