"""Unit tests of the interpreter's pieces: numbers, sniffing, row matching, rules, imputation."""

import io
import zipfile

import pytest

from pipeline import template
from pipeline.interpret.sec3 import match_row
from pipeline.layout import text_line
from pipeline.normalize import parse_number, squash
from pipeline.record import IMPUTED, MISSING, READ, CellValue
from pipeline.rules import evaluate, impute
from pipeline.sniff import sniff


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("0", 0, None),
        ("　　0", 0, None),
        ("0\u3000", 0, None),
        ("1,234", 1234, None),
        ("6.144", 6.144, None),
        ("７.５２", 7.52, None),
        ("75394432.52元", 75394432.52, "元"),
        ("-8", -8, None),
        ("+3", 3, None),
        ("〇", 0, None),
        ("3件", 3, "件"),
    ],
)
def test_parse_number(text, value, unit):
    n = parse_number(text)
    assert n is not None and n.value == value and n.unit == unit


@pytest.mark.parametrize("text", ["", " ", "—", "1.属于国家秘密", "2022年", "0 0", "abc"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_squash_removes_artefacts_and_space():
    assert squash("[bookmark: _GoBack]辽中区 卫健局") == "辽中区卫健局"
    assert squash("## **六、其他需要报告的事项**") == "六、其他需要报告的事项"
    assert squash("（三） 不予公开") == "(三)不予公开"


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data,name,fmt",
    [
        (b"%PDF-1.7\n...", "a.docx", "pdf"),
        (None, "a.pdf", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 100, "x.wps", "wps"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 100, "x.doc", "doc"),
        ("<!DOCTYPE html><html><body><p>年报</p></body></html>".encode(), "x.txt", "html"),
        ("一、总体情况\n本年度".encode("gb18030"), "x.html", "txt"),
        ("一、总体情况\r\n本年度".encode("utf-16"), "x.txt", "txt"),
        ("<html><body><p>年报</p></body></html>".encode("utf-16"), "x.txt", "html"),
        (b"\xff\xfe" + bytes(range(256)) * 8, "x.txt", "binary"),
        (b"", "x.pdf", "empty"),
        (bytes(range(256)) * 8, "x.pdf", "binary"),
    ],
)
def test_sniff_trusts_bytes_not_names(data, name, fmt):
    if data is None:
        data = _zip(["[Content_Types].xml", "word/document.xml"])
    assert sniff(data, name) == fmt


@pytest.mark.parametrize(
    "label,group,row",
    [
        ("一、本年新收政府信息公开申请数", None, "new_received"),
        ("三、本年度办理结果(一)予以公开", None, "granted"),
        ("(三)不予公开1.属于国家秘密", 3, "denied_state_secret"),
        ("2.其他法律行政", 3, "denied_law_prohibited"),
        ("4.无正当理由大", 5, "not_processed_excessive_repeat"),
        ("5.要求行政机关", 5, "not_processed_confirm_or_reissue"),
        ("(六)其他处理", 6, "other_processing"),
        (
            "(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            6,
            "other_no_correction_overdue",
        ),
        ("缴纳费用、行政机关不再处理其政府信息公开申请3.其他", 6, "other_misc"),
        ("3.其他", 6, "other_misc"),
        ("(六)其他处理1.申请人无", 6, "other_no_correction_overdue"),
        ("(七)总计", None, "results_total"),
        ("四、结转下年度继续办理", None, "carried_forward"),
        ("申请人情况自然人法人或其他组织商业科研社会法律服其他", None, None),
    ],
)
def test_match_row(label, group, row):
    assert match_row(label, group) == row


def _cells(values: dict[str, float | None], t) -> dict[str, CellValue]:
    return {
        k: (CellValue(values[k], READ, str(values[k])) if values.get(k) is not None else CellValue(None, MISSING, ""))
        for k in t.keys
    }


def test_imputation_needs_every_other_operand_read():
    t = template.get("gov2021")
    vals = {k: 0 for k in t.keys}
    vals.update(
        {
            "s3_granted__natural_person": 1,
            "s3_results_total__natural_person": 1,
            "s3_results_total__total": 1,
            "s3_new_received__natural_person": 1,
            "s3_new_received__total": 1,
        }
    )
    vals["s3_granted__total"] = None  # seed 004: the row printed 6 numbers
    out = impute(t, _cells(vals, t))
    assert out["s3_granted__total"].status == IMPUTED and out["s3_granted__total"].value == 1
    assert out["s3_granted__total"].rule in {"T3_ROWSUM__granted", "T3_RESULTSUM__total"}
    # two blanks in one rule and nowhere else determined: both stay missing
    vals2 = dict(vals, **{"s4_review_upheld": None, "s4_review_total": None})
    out2 = impute(t, _cells(vals2, t))
    assert out2["s4_review_upheld"].status == MISSING and out2["s4_review_total"].status == MISSING


def test_contradictions_are_kept_and_fail():
    t = template.get("gov2021")
    vals = {k: 0 for k in t.keys}
    vals.update({"s4_review_upheld": 10, "s4_review_corrected": 1, "s4_review_total": 0})  # 洪泽区 2023
    checks = {c.rule: c for c in evaluate(t, _cells(vals, t))}
    assert checks["T4_SUM__review"].result == "fail"
    assert checks["T3_BALANCE__total"].result == "pass"


def test_line_tokens_split_labels_from_numbers():
    from pipeline.interpret.tokens import line_tokens

    toks = line_tokens(text_line("1.属于国家秘密 0 0 0 0 0 0 0"))
    assert [t.kind for t in toks] == ["label"] + ["num"] * 7
    toks = line_tokens(text_line("行政事业性收费7.52"))
    assert [t.kind for t in toks] == ["label", "num"] and toks[1].number.value == 7.52


@pytest.mark.parametrize(
    "title,org,year",
    [
        ("宁波市镇海区卫生健康局2022年度政府信息公开工作年度报告", "宁波市镇海区卫生健康局", 2022),
        ("郑州市卫生健康委员会 2022 年政府信息公开工作年度报告", "郑州市卫生健康委员会", 2022),
        ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
        ("定西市公共资源交易中心2020年政府信息公开工作的年度报告", "定西市公共资源交易中心", 2020),
        ("舒兰市市场监督管理局2016年政务信息公开年度报告", "舒兰市市场监督管理局", 2016),
        ("二〇二二年度XX市财政局政府信息公开工作年度报告", "XX市财政局", 2022),
        ("XX县人民政府政府信息公开工作2021年度报告", "XX县人民政府", 2021),
        ("关于XX区2023年政府信息公开工作年度报告（全文）", "XX区", 2023),
        ("XX市审计局政府信息公开工作年度报告（2022年度）", "XX市审计局", 2022),
        ("[bookmark: _GoBack]辽中区卫健局2022年政府信息公开工作年度报告", "辽中区卫健局", 2022),
        ("# 鹤岗市卫健委 2021 年 政府信息公开工作年度报告", "鹤岗市卫健委", 2021),
        ("二〇二二年政府信息公开工作年度报告", None, 2022),  # no agency in the title: none, not 政府
        ("XX县人民政府办公室关于2023年政府信息公开工作年度报告", "XX县人民政府办公室", 2023),
        ("XX县人民政府信息公开工作年度报告（2023年度）", "XX县人民政府", 2023),
        ("XX镇人民政府2023年政府信息公开工作年度报告（2024年1月）", "XX镇人民政府", 2023),
        ("XX市统计局2023年政府信息公开工作年度报告（更正）", "XX市统计局", 2023),
        ("XX区人民政府关于2023年度政府信息公开工作情况的报告", "XX区人民政府", 2023),
        ("XX市生态环境局2023年政府信息公开工作年度报告（全文）.pdf", "XX市生态环境局", 2023),  # a file name
    ],
)
def test_titles(title, org, year):
    from pipeline.interpret.meta import _match_title

    got = _match_title(title)
    assert got is not None and got[1:] == (org, year)


@pytest.mark.parametrize(
    "text",
    [
        "现将2022年政府信息公开工作年度报告如下：",
        "关于印发2022年政府信息公开工作年度报告的通知",
        "2023年政务公开工作要点",
    ],
)
def test_not_titles(text):
    from pipeline.interpret.meta import _match_title

    assert _match_title(text) is None


@pytest.mark.parametrize(
    "head,org,year",
    [
        ("XX区教育局\n2023年政府信息公开\n工作年度报告", "XX区教育局", 2023),  # a title on three lines
        (
            "首页 > 政务公开 > 政府信息公开年报\nXX区财政局2023年政府信息公开工作年度报告\n发布时间：2024-01-20",
            "XX区财政局",
            2023,
        ),  # the breadcrumb above the title is not part of the agency
        ("2022年政府信息公开工作年度报告\n现将我局2022年度政府信息公开工作报告如下。", None, 2022),  # 我局 names nobody
    ],
)
def test_title_lines(head, org, year):
    from pipeline.interpret.meta import extract
    from pipeline.layout import text_line

    meta = extract([text_line(t) for t in head.split("\n")])
    assert (meta.org_name, meta.report_year) == (org, year)


def test_markdown_table_rows_become_cells_and_rule_lines_vanish():
    from pipeline.text_layout import text_to_layout

    text = (
        "二、主动公开政府信息情况\n说明 | 见下表 | 无\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 |\n|:---|---:|---|\n| 规章 |  | 0 |\n| 行政\\|规范性文件 | 7 | 7 |\n"
    )
    lines = text_to_layout(text.encode("utf-8")).lines
    cells = [[c.text for c in line.cells] for line in lines]
    assert cells[1] == ["说明 | 见下表 | 无"]  # not a table row: no outer pipes
    assert cells[2] == ["信息内容", "本年制发件数", "本年废止件数"]
    assert cells[3] == ["规章", "", "0"]  # the rule line is dropped, the blank cell kept
    assert cells[4] == ["行政|规范性文件", "7", "7"]  # an escaped pipe is text
    assert [l.locator["line"] for l in lines[2:5]] == [3, 5, 6]  # locators keep the file's line numbers


def test_two_pipe_lines_alone_do_not_make_a_markdown_table():
    from pipeline.text_layout import text_to_layout

    text = "|甲|乙|\n|丙|丁|\n正文\t1\n"
    cells = [[c.text for c in line.cells] for line in text_to_layout(text.encode("utf-8")).lines]
    assert cells[0] == ["|甲|乙|"] and cells[2] == ["正文", "1"]
