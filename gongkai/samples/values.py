"""Realistic, internally consistent values for a sample report.

:func:`generate_report` draws an agency (real administrative division codes), the size of its
caseload (most agencies: a handful of applications and many zeros; a few: thousands), every cell of
the template so that all rules of ``cells_rules.json`` hold, the narrative sentences of section 一
that state the figures, and the texts of sections 五 and 六. ``blanks`` then leaves printed cells
blank at random; named ``quirks`` reproduce patterns of real reports (docs/samples.md).
"""

from __future__ import annotations

import random
from typing import Iterable

from .model import LabelStyle, Region, SampleReport, Sections, TEMPLATE_IDS, template_of
from .texts import active_total, notice_text, sec1_text, sec5_text, sec6_text, title_text

# adcode, province, city, county (None = a city-level government), site domain
REGIONS: tuple[tuple[str, str, str | None, str | None, str], ...] = (
    ("330211", "浙江省", "宁波市", "镇海区", "www.zh.gov.cn"),
    ("330106", "浙江省", "杭州市", "西湖区", "www.hzxh.gov.cn"),
    ("331102", "浙江省", "丽水市", "莲都区", "www.liandu.gov.cn"),
    ("350128", "福建省", "福州市", "平潭县", "www.pingtan.gov.cn"),
    ("410100", "河南省", "郑州市", None, "www.zhengzhou.gov.cn"),
    ("230400", "黑龙江省", "鹤岗市", None, "www.hegang.gov.cn"),
    ("231084", "黑龙江省", "牡丹江市", "宁安市", "www.ningan.gov.cn"),
    ("210115", "辽宁省", "沈阳市", "辽中区", "www.liaozhong.gov.cn"),
    ("320813", "江苏省", "淮安市", "洪泽区", "www.hongze.gov.cn"),
    ("320118", "江苏省", "南京市", "高淳区", "www.njgc.gov.cn"),
    ("310101", "上海市", "上海市", "黄浦区", "www.shhuangpu.gov.cn"),
    ("110105", "北京市", "北京市", "朝阳区", "www.bjchy.gov.cn"),
    ("440106", "广东省", "广州市", "天河区", "www.thnet.gov.cn"),
    ("441803", "广东省", "清远市", "清新区", "www.qingxin.gov.cn"),
    ("510104", "四川省", "成都市", "锦江区", "www.cdjinjiang.gov.cn"),
    ("420106", "湖北省", "武汉市", "武昌区", "www.wuchang.gov.cn"),
    ("500107", "重庆市", "重庆市", "九龙坡区", "www.cqjlp.gov.cn"),
    ("621100", "甘肃省", "定西市", None, "www.dingxi.gov.cn"),
    ("430100", "湖南省", "长沙市", None, "www.changsha.gov.cn"),
    ("370102", "山东省", "济南市", "历下区", "www.lixia.gov.cn"),
    ("610403", "陕西省", "咸阳市", "杨陵区", "www.ylq.gov.cn"),
    ("130104", "河北省", "石家庄市", "桥西区", "www.sjzqx.gov.cn"),
)

# full suffix, abbreviation, how busy its 依申请 desk usually is (0 quiet .. 2 busy), rule-making
COUNTY_AGENCIES = (
    ("人民政府", None, 2, False),
    ("人民政府办公室", "政府办", 1, False),
    ("卫生健康局", "卫健局", 1, False),
    ("教育局", None, 1, False),
    ("市场监督管理局", "市场监管局", 1, False),
    ("自然资源局", None, 2, False),
    ("住房和城乡建设局", "住建局", 1, False),
    ("人力资源和社会保障局", "人社局", 1, False),
    ("财政局", None, 0, False),
    ("民政局", None, 0, False),
    ("司法局", None, 0, False),
    ("发展和改革局", "发改局", 0, False),
    ("交通运输局", None, 0, False),
    ("农业农村局", None, 0, False),
    ("应急管理局", None, 0, False),
    ("统计局", None, 0, False),
    ("医疗保障局", "医保局", 0, False),
    ("退役军人事务局", None, 0, False),
    ("城市管理局", "城管局", 0, False),
    ("公安分局", None, 1, False),
)
CITY_AGENCIES = (
    ("人民政府", None, 2, True),
    ("人民政府办公室", "政府办", 1, True),
    ("卫生健康委员会", "卫健委", 1, False),
    ("发展和改革委员会", "发改委", 1, False),
    ("教育局", None, 1, False),
    ("公安局", None, 2, False),
    ("生态环境局", None, 1, False),
    ("自然资源和规划局", None, 2, False),
    ("住房和城乡建设局", "住建局", 2, False),
    ("市场监督管理局", "市场监管局", 1, False),
    ("交通运输局", None, 1, False),
)

S3_RESULT_WEIGHTS_2021 = {
    "granted": 35,
    "partially_granted": 8,
    "denied_state_secret": 0.5,
    "denied_law_prohibited": 1,
    "denied_three_security_one_stability": 0.5,
    "denied_third_party_rights": 2,
    "denied_internal_affairs": 2,
    "denied_process_info": 3,
    "denied_enforcement_file": 1,
    "denied_admin_query": 3,
    "unavailable_not_held": 25,
    "unavailable_need_creation": 3,
    "unavailable_unclear_after_correction": 2,
    "not_processed_petition_complaint": 3,
    "not_processed_duplicate": 2,
    "not_processed_publication": 0.5,
    "not_processed_excessive_repeat": 0.5,
    "not_processed_confirm_or_reissue": 0.5,
    "other_no_correction_overdue": 3,
    "other_fee_unpaid_overdue": 0.3,
    "other_misc": 3,
}
_OTHER_2021 = ("other_no_correction_overdue", "other_fee_unpaid_overdue", "other_misc")
COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
)
COLUMN_SHARE = (86, 8, 0.7, 0.8, 2.5, 2)

GENERATOR_QUIRKS = frozenset(
    {
        "zeros_blank",
        "blank_review_block",
        "truncated_labels",
        "halfwidth_labels",
        "body_year_typo",
        "cite_2019_notice",
        "org_without_region",
        "abbreviated_org",
        "narrative_new_plus_carried",
        "no_application_sentence",
        "two_line_title",
        "year_first_title",
        "spaced_title",
    }
)


def generate_report(
    rng: random.Random,
    *,
    template: str = "gov2021",
    year: int | None = None,
    blanks: float = 0.0,
    org: str | None = None,
    quirks: Iterable[str] = (),
    size: str | None = None,
    narrative_paragraphs: int = 0,
    region: str | None = None,
) -> SampleReport:
    """A random consistent report. ``size`` = small | medium | large (drawn when None);
    ``narrative_paragraphs`` adds that many work-description paragraphs to section 一 (long PDFs).
    Quirks not known to the generator are kept on the report for the renderers."""
    if template not in TEMPLATE_IDS:
        raise ValueError(f"template must be one of {TEMPLATE_IDS}, not {template!r}")
    quirks = frozenset(quirks)
    year = year or _draw_year(rng, template)
    size = size or rng.choices(("small", "medium", "large"), (65, 25, 10))[0]
    choice = rng.choice(REGIONS)
    if region is not None:  # the same agency's reports of several years share its division
        choice = next((r for r in REGIONS if r[0] == region), choice)
    adcode, province, city, county, domain = choice
    region = Region(adcode, province, city, county)
    place = county or city
    agencies = COUNTY_AGENCIES if county else CITY_AGENCIES
    suffix, abbrev, busy, rule_making = rng.choice(agencies)
    if org is None:
        org = place + suffix
        if "abbreviated_org" in quirks and abbrev:
            org = place + abbrev
        elif "org_without_region" in quirks and suffix not in ("人民政府", "人民政府办公室"):
            org = suffix
    if size == "small" and busy == 2:
        size = "medium"

    cells, units = _table_cells(rng, template, size, rule_making)
    truth = dict(cells)
    _apply_blanks(rng, cells, blanks, quirks)

    unit_word = "局" if org.endswith("局") else ("委" if "委" in org[-4:] else "单位")
    new_total = truth["s3_new_received__total"]
    carried = truth["s3_carried_over__total"]
    active = active_total(rng, size)
    narrative, sec1 = sec1_text(
        rng, year, org, unit_word, active, new_total, carried, truth, quirks, narrative_paragraphs
    )
    notice = notice_text(template, quirks)
    preamble = (
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{notice}要求，"
        f"现公布{org}{year}年政府信息公开工作年度报告。"
        f"本报告中所列数据统计期限为{year}年1月1日至{year}年12月31日。"
    )
    sections = Sections(
        preamble=preamble,
        sec1_overview=sec1,
        sec5_problems=sec5_text(rng, year),
        sec6_other=sec6_text(rng, year, unit_word),
    )
    title, title_lines = title_text(rng, org, year, quirks)
    site = _site(rng, org, place, domain, adcode)
    return SampleReport(
        org_name=org,
        title=title,
        report_year=year,
        template=template,
        region=region,
        cells=cells,
        narrative=narrative,
        sections=sections,
        title_lines=title_lines,
        label_style=_label_style(quirks),
        quirks=quirks,
        units=units,
        publish_date=f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}",
        site=site,
    )


def _table_cells(
    rng: random.Random, template: str, size: str, rule_making: bool
) -> tuple[dict[str, int | float | None], dict[str, str]]:
    """The cells of the three tables in template order, and the units printed with some (gov2019 二)."""
    d = template_of(template)
    cells: dict[str, int | float | None] = {}
    units: dict[str, str] = {}
    cells.update(_sec3(rng, d, size))
    cells.update(_sec4(rng, size))
    if template == "gov2019":
        cells.update(_sec2_2019(rng, size, rule_making, units))
    else:
        cells.update(_sec2_2021(rng, size, rule_making))
    assert set(cells) == set(d.keys), set(d.keys) ^ set(cells)
    return {k: cells[k] for k in d.keys}, units  # template order


def _site(rng: random.Random, org: str, place: str, domain: str, adcode: str) -> dict[str, str]:
    """The page's site fields (TRS-style meta tags) of the agency's portal."""
    site_name = f"{place}人民政府"
    return {
        "SiteName": site_name,
        "SiteDomain": domain,
        "SiteIDCode": adcode[:4] + "%06d" % rng.randrange(1, 999999),
        "ColumnName": "政府信息公开年报",
        "Author": org if len(org) > 4 else site_name + "办公室",
    }


def _draw_year(rng: random.Random, template: str) -> int:
    if template == "gov2019":
        return rng.choice((2019, 2020))
    return rng.choice((2021, 2022, 2022, 2023, 2023, 2024))


def _label_style(quirks: frozenset[str]) -> LabelStyle:
    if "truncated_labels" in quirks:  # seed 002
        return LabelStyle(
            number_space=True,
            truncate=6,
            short_headers=True,
            decision_header="本年度处理决定数量",
            fee_header="本年增收费金额（单位：万元）",
            new_received_label="一、本年新收政府信息公开申请数",
            carried_over_label="二、上年结转政府信息公开申请数",
        )
    if "halfwidth_labels" in quirks:  # seed 003
        return LabelStyle(brackets="half_space", number_space=True, halfwidth_article=True)
    return LabelStyle()


# --- section 三 and 四 ------------------------------------------------------------------------


def _new_counts(rng: random.Random, size: str) -> int:
    if size == "small":
        return rng.choices((0, 1, 2, 3, 4, 5, 6, 8), (45, 18, 12, 8, 6, 4, 4, 3))[0]
    if size == "medium":
        return rng.randint(5, 90)
    return int(rng.lognormvariate(6.0, 0.9)) + 90


def _split_columns(rng: random.Random, n: int) -> list[int]:
    counts = [0] * len(COLUMNS)
    for i in rng.choices(range(len(COLUMNS)), COLUMN_SHARE, k=n):
        counts[i] += 1
    return counts


def _sec3(rng: random.Random, d, size: str) -> dict[str, int]:
    result_rows = [r.row_key for r in d.rows if r.group is not None and r.row_key != "results_total"]
    weights = dict(S3_RESULT_WEIGHTS_2021)
    if "other_processing" in result_rows:
        weights["other_processing"] = sum(weights.pop(k) for k in _OTHER_2021)
    w = [weights[k] for k in result_rows]
    new = _split_columns(rng, _new_counts(rng, size))
    carried_n = 0 if size == "small" and rng.random() < 0.85 else int(sum(new) * rng.uniform(0, 0.06))
    carried = _split_columns(rng, carried_n)
    out: dict[str, int] = {}
    results = {k: [0] * len(COLUMNS) for k in result_rows}
    forward = [0] * len(COLUMNS)
    for i, col in enumerate(COLUMNS):
        pending = new[i] + carried[i]
        fwd_share = 0.0 if size == "small" and rng.random() < 0.8 else rng.uniform(0, 0.08)
        forward[i] = min(pending, int(round(pending * fwd_share)))
        for k in rng.choices(result_rows, w, k=pending - forward[i]):
            results[k][i] += 1
    rows = {"new_received": new, "carried_over": carried, "carried_forward": forward, **results}
    rows["results_total"] = [sum(results[k][i] for k in result_rows) for i in range(len(COLUMNS))]
    for row_key, counts in rows.items():
        for col, v in zip(COLUMNS, counts):
            out[f"s3_{row_key}__{col}"] = v
        out[f"s3_{row_key}__total"] = sum(counts)
    return out


def _sec4(rng: random.Random, size: str) -> dict[str, int]:
    out = {}
    p_any = {"small": 0.1, "medium": 0.35, "large": 0.8}[size]
    scale = {"small": 1, "medium": 3, "large": 12}[size]
    for group in ("review", "lit_direct", "lit_after_review"):
        vals = [0, 0, 0, 0]
        if rng.random() < p_any:
            vals = [
                rng.randint(0, 2 * scale),
                rng.randint(0, max(1, scale // 3)),
                rng.randint(0, scale),
                rng.choice((0, 0, 1, rng.randint(0, scale))),
            ]
        for name, v in zip(("upheld", "corrected", "other", "pending"), vals):
            out[f"s4_{group}_{name}"] = v
        out[f"s4_{group}_total"] = sum(vals)
    return out


# --- section 二 -------------------------------------------------------------------------------


def _skewed(rng: random.Random, size: str, small: int, medium: int, large: int, p_zero: float) -> int:
    if rng.random() < p_zero:
        return 0
    top = {"small": small, "medium": medium, "large": large}[size]
    return int(top * rng.random() ** 2.5)


def _fee(rng: random.Random, size: str) -> int | float:
    if rng.random() < 0.7:
        return 0
    digits = rng.choice((2, 2, 2, 3, 4, 6))
    top = {"small": 20, "medium": 500, "large": 12000}[size]
    v = round(rng.uniform(0.01, top), digits)
    return int(v) if float(v).is_integer() else v


def _sec2_2021(rng: random.Random, size: str, rule_making: bool) -> dict[str, int | float]:
    out: dict[str, int | float] = {}
    if rule_making:
        issued, repealed = rng.randint(0, 6), rng.randint(0, 4)
        out.update(
            s2_regulation_issued=issued,
            s2_regulation_repealed=repealed,
            s2_regulation_in_force=issued + rng.randint(20, 220),
        )
    else:
        out.update(s2_regulation_issued=0, s2_regulation_repealed=0, s2_regulation_in_force=0)
    issued = _skewed(rng, size, 6, 40, 120, 0.45)
    out.update(
        s2_normative_doc_issued=issued,
        s2_normative_doc_repealed=_skewed(rng, size, 4, 30, 80, 0.6),
        s2_normative_doc_in_force=issued + _skewed(rng, size, 30, 200, 700, 0.3),
    )
    out["s2_license_decisions"] = _skewed(rng, size, 600, 8000, 40000, 0.3)
    out["s2_penalty_decisions"] = _skewed(rng, size, 80, 2500, 12000, 0.4)
    out["s2_coercion_decisions"] = _skewed(rng, size, 5, 80, 300, 0.7)
    out["s2_fee_amount_wan_yuan"] = _fee(rng, size)
    return out


def _change(rng: random.Random, prev: int) -> int:
    if rng.random() < 0.6:
        return 0
    return max(-prev, rng.randint(-12, 15))


def _sec2_2019(rng: random.Random, size: str, rule_making: bool, units: dict[str, str]) -> dict:
    out: dict[str, int | float] = {}
    if rule_making:
        made = rng.randint(0, 15)
        out.update(
            s2_regulation_new_made=made,
            s2_regulation_new_published=made,
            s2_regulation_total_published=made + rng.randint(30, 500),
        )
    else:
        out.update(s2_regulation_new_made=0, s2_regulation_new_published=0, s2_regulation_total_published=0)
    made = _skewed(rng, size, 8, 60, 120, 0.4)
    published = made if rng.random() < 0.8 else rng.randint(0, made)
    out.update(
        s2_normative_doc_new_made=made,
        s2_normative_doc_new_published=published,
        s2_normative_doc_total_published=published + _skewed(rng, size, 30, 300, 400, 0.3),
    )
    for name, top in (("license", 400), ("other_mgmt_service", 200), ("penalty", 3000), ("coercion", 130)):
        prev = _skewed(rng, size, top // 20, top // 3, top, 0.35)
        out[f"s2_{name}_prev_year_items"] = prev
        out[f"s2_{name}_change"] = _change(rng, prev)
        out[f"s2_{name}_decisions"] = _skewed(rng, size, 300, 5000, 20000, 0.35)
    prev = _skewed(rng, size, 3, 20, 40, 0.5)
    out.update(s2_fee_prev_year_items=prev, s2_fee_change=_change(rng, prev))
    items = _skewed(rng, size, 10, 60, 200, 0.4)
    out["s2_procurement_items"] = items
    amount: int | float = 0
    if items:
        if rng.random() < 0.5:
            amount = round(rng.uniform(5_000, 2_000_000) * items, 2)
            units["s2_procurement_amount"] = "元"
        else:
            amount = round(rng.uniform(0.5, 200) * items, 4)
            units["s2_procurement_amount"] = "万元"
        if float(amount).is_integer():
            amount = int(amount)
    out["s2_procurement_amount"] = amount
    return out


def _apply_blanks(rng: random.Random, cells: dict, blanks: float, quirks: frozenset[str]) -> None:
    for key in sorted(cells):
        if blanks and rng.random() < blanks:
            cells[key] = None
        elif "zeros_blank" in quirks and key.startswith("s3_") and cells[key] == 0:
            cells[key] = None  # 上海市人民政府办公厅 2019: zeros left blank
    if "blank_review_block" in quirks:  # seed 002: the five 行政复议 cells blank
        for name in ("upheld", "corrected", "other", "pending", "total"):
            cells[f"s4_review_{name}"] = None
