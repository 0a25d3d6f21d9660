"""CSV cells that a spreadsheet would run as a formula get a leading
apostrophe; numbers stay numbers; plain text is untouched."""

import csv
import io

import pytest

from server.lib.spreadsheet import cell, row


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1",
                                  '=HYPERLINK("http://x","click")'])
def test_formula_starts_are_neutralised(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value,out", [("地面有水", "地面有水"), ("a=b", "a=b"), (" =1", " =1"), (5, 5), (98.5, 98.5),
                                       (None, ""), (True, "true"), ("", "")])
def test_everything_else_is_left_alone(value, out):
    assert cell(value) == out


def test_a_written_row_reads_back_as_text():
    buf = io.StringIO()
    csv.writer(buf).writerow(row(["=cmd|' /C calc'!A0", -3, "ok"]))
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == ["'=cmd|' /C calc'!A0", "-3", "ok"]
