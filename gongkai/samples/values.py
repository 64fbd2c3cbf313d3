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

from .model import (LabelStyle, Narrative, Region, SampleReport, Sections, TEMPLATE_IDS, template_of)

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
    ("人民政府", None, 2, False), ("人民政府办公室", "政府办", 1, False),
    ("卫生健康局", "卫健局", 1, False), ("教育局", None, 1, False),
    ("市场监督管理局", "市场监管局", 1, False), ("自然资源局", None, 2, False),
    ("住房和城乡建设局", "住建局", 1, False), ("人力资源和社会保障局", "人社局", 1, False),
    ("财政局", None, 0, False), ("民政局", None, 0, False), ("司法局", None, 0, False),
    ("发展和改革局", "发改局", 0, False), ("交通运输局", None, 0, False),
    ("农业农村局", None, 0, False), ("应急管理局", None, 0, False), ("统计局", None, 0, False),
    ("医疗保障局", "医保局", 0, False), ("退役军人事务局", None, 0, False),
    ("城市管理局", "城管局", 0, False), ("公安分局", None, 1, False),
)
CITY_AGENCIES = (
    ("人民政府", None, 2, True), ("人民政府办公室", "政府办", 1, True),
    ("卫生健康委员会", "卫健委", 1, False), ("发展和改革委员会", "发改委", 1, False),
    ("教育局", None, 1, False), ("公安局", None, 2, False), ("生态环境局", None, 1, False),
    ("自然资源和规划局", None, 2, False), ("住房和城乡建设局", "住建局", 2, False),
    ("市场监督管理局", "市场监管局", 1, False), ("交通运输局", None, 1, False),
)

S3_RESULT_WEIGHTS_2021 = {
    "granted": 35, "partially_granted": 8, "denied_state_secret": 0.5, "denied_law_prohibited": 1,
    "denied_three_security_one_stability": 0.5, "denied_third_party_rights": 2,
    "denied_internal_affairs": 2, "denied_process_info": 3, "denied_enforcement_file": 1,
    "denied_admin_query": 3, "unavailable_not_held": 25, "unavailable_need_creation": 3,
    "unavailable_unclear_after_correction": 2, "not_processed_petition_complaint": 3,
    "not_processed_duplicate": 2, "not_processed_publication": 0.5,
    "not_processed_excessive_repeat": 0.5, "not_processed_confirm_or_reissue": 0.5,
    "other_no_correction_overdue": 3, "other_fee_unpaid_overdue": 0.3, "other_misc": 3,
}
_OTHER_2021 = ("other_no_correction_overdue", "other_fee_unpaid_overdue", "other_misc")
COLUMNS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org")
COLUMN_SHARE = (86, 8, 0.7, 0.8, 2.5, 2)

GENERATOR_QUIRKS = frozenset({
    "zeros_blank", "blank_review_block", "truncated_labels", "halfwidth_labels", "body_year_typo",
    "cite_2019_notice", "org_without_region", "abbreviated_org", "narrative_new_plus_carried",
    "no_application_sentence", "two_line_title", "year_first_title", "spaced_title",
})


def generate_report(rng: random.Random, *, template: str = "gov2021", year: int | None = None,
                    blanks: float = 0.0, org: str | None = None, quirks: Iterable[str] = (),
                    size: str | None = None, narrative_paragraphs: int = 0,
                    region: str | None = None) -> SampleReport:
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
    cells = {k: cells[k] for k in d.keys}  # template order

    truth = dict(cells)
    _apply_blanks(rng, cells, blanks, quirks)

    unit_word = "局" if org.endswith("局") else ("委" if "委" in org[-4:] else "单位")
    new_total = truth["s3_new_received__total"]
    carried = truth["s3_carried_over__total"]
    active = _active_total(rng, size)
    narrative, sec1 = _sec1(rng, year, org, unit_word, active, new_total, carried, truth, quirks,
                            narrative_paragraphs)
    notice = _notice(template, quirks)
    preamble = (f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{notice}要求，"
                f"现公布{org}{year}年政府信息公开工作年度报告。"
                f"本报告中所列数据统计期限为{year}年1月1日至{year}年12月31日。")
    sections = Sections(preamble=preamble, sec1_overview=sec1,
                        sec5_problems=_sec5(rng, year), sec6_other=_sec6(rng, year, unit_word))
    title, title_lines = _title(rng, org, year, quirks)
    site_name = f"{place}人民政府"
    site = {"SiteName": site_name, "SiteDomain": domain,
            "SiteIDCode": adcode[:4] + "%06d" % rng.randrange(1, 999999),
            "ColumnName": "政府信息公开年报", "Author": org if len(org) > 4 else site_name + "办公室"}
    return SampleReport(
        org_name=org, title=title, report_year=year, template=template, region=region, cells=cells,
        narrative=narrative, sections=sections, title_lines=title_lines,
        label_style=_label_style(quirks), quirks=quirks, units=units,
        publish_date=f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}", site=site)


def _draw_year(rng: random.Random, template: str) -> int:
    if template == "gov2019":
        return rng.choice((2019, 2020))
    return rng.choice((2021, 2022, 2022, 2023, 2023, 2024))


def _label_style(quirks: frozenset[str]) -> LabelStyle:
    if "truncated_labels" in quirks:  # seed 002
        return LabelStyle(number_space=True, truncate=6, short_headers=True,
                          decision_header="本年度处理决定数量", fee_header="本年增收费金额（单位：万元）",
                          new_received_label="一、本年新收政府信息公开申请数",
                          carried_over_label="二、上年结转政府信息公开申请数")
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
            vals = [rng.randint(0, 2 * scale), rng.randint(0, max(1, scale // 3)),
                    rng.randint(0, scale), rng.choice((0, 0, 1, rng.randint(0, scale)))]
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
        out.update(s2_regulation_issued=issued, s2_regulation_repealed=repealed,
                   s2_regulation_in_force=issued + rng.randint(20, 220))
    else:
        out.update(s2_regulation_issued=0, s2_regulation_repealed=0, s2_regulation_in_force=0)
    issued = _skewed(rng, size, 6, 40, 120, 0.45)
    out.update(s2_normative_doc_issued=issued,
               s2_normative_doc_repealed=_skewed(rng, size, 4, 30, 80, 0.6),
               s2_normative_doc_in_force=issued + _skewed(rng, size, 30, 200, 700, 0.3))
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
        out.update(s2_regulation_new_made=made, s2_regulation_new_published=made,
                   s2_regulation_total_published=made + rng.randint(30, 500))
    else:
        out.update(s2_regulation_new_made=0, s2_regulation_new_published=0, s2_regulation_total_published=0)
    made = _skewed(rng, size, 8, 60, 120, 0.4)
    published = made if rng.random() < 0.8 else rng.randint(0, made)
    out.update(s2_normative_doc_new_made=made, s2_normative_doc_new_published=published,
               s2_normative_doc_total_published=published + _skewed(rng, size, 30, 300, 400, 0.3))
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


# --- narrative --------------------------------------------------------------------------------

def _active_total(rng: random.Random, size: str) -> int:
    lo, hi = {"small": (15, 400), "medium": (200, 3000), "large": (1500, 20000)}[size]
    return rng.randint(lo, hi)


_FILLER = {
    "management": (
        "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开内容合法合规。",
        "进一步完善信息发布审核机制，明确科室职责分工，规范信息采集、审核、发布、更新流程。",
        "加强行政规范性文件管理，对文号、成文日期、发布日期、有效性等要素进行规范标注。",
        "及时调整主动公开目录，动态更新机构职能、领导分工等基础信息。",
    ),
    "platform": (
        "依托政府门户网站政府信息公开专栏集中发布政府信息，持续优化栏目设置，方便公众查阅。",
        "加强政务新媒体日常管理，规范信息发布流程，及时回应公众关切。",
        "在办事大厅设置政府信息公开查阅点，为群众提供查阅和咨询服务。",
    ),
    "oversight": (
        "成立政务公开工作领导小组，主要领导亲自抓，分管领导具体抓，明确专人负责日常工作。",
        "将政务公开工作纳入年度绩效考核，定期开展自查自纠，发现问题及时整改。",
        "组织工作人员参加政务公开业务培训，提升依法公开意识和业务水平。",
        "本年度未发生因政府信息公开工作引发的责任追究情况。",
    ),
    "work": (
        "围绕中心工作，坚持以公开为常态、不公开为例外，不断提升政务公开标准化规范化水平。",
        "聚焦群众关心关注的重点领域，加大政策文件发布和解读力度，切实保障群众知情权、参与权和监督权。",
        "坚持把政务公开与日常业务工作同部署、同推进、同落实，推动各项工作有序开展。",
        "深化重点领域信息公开，及时发布财政预决算、重大建设项目、公共资源配置等信息。",
        "健全政策解读机制，坚持政策文件与解读材料同步组织、同步审签、同步发布。",
        "持续推进基层政务公开标准化规范化建设，完善基层政务公开事项目录。",
    ),
}


def _pick(rng: random.Random, pool: str, n: int) -> str:
    return "".join(rng.sample(_FILLER[pool], min(n, len(_FILLER[pool]))))


def _sec1(rng, year, org, unit_word, active, new_total, carried, truth, quirks, extra):
    paragraphs = [f"{year}年，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，" + _pick(rng, "work", 2)]
    # （一）主动公开
    web = rng.randint(active // 2, active)
    form = rng.randrange(3)
    if form == 0:
        active_s = (f"本年度主动公开政府信息{active}条（不同渠道和方式公开相同信息计1条），"
                    f"其中政府网站公开{web}条，政务微信公开{active - web}条。")
        channels = (("website", web), ("wechat", active - web))
    elif form == 1:
        active_s = f"{year}年，通过政府门户网站主动公开政府信息 {active} 条。"
        channels = ()
    else:
        active_s = f"全年共主动公开政府信息{active}条，其中政策文件{web}条。"
        channels = ()
    license_n = truth.get("s2_license_decisions") or 0
    license_s = f"全年办理行政许可事项{license_n}件，办结率100%。" if license_n and rng.random() < 0.5 else ""
    paragraphs += ["（一）主动公开情况", _pick(rng, "work", 1) + active_s + license_s]
    # （二）依申请公开
    body_year = year + 1 if "body_year_typo" in quirks else year
    if "no_application_sentence" in quirks:
        stated = None
        apps_s = "进一步规范依申请公开受理、审核、答复等环节，确保在法定期限内答复。"
    elif new_total == 0 and carried == 0:
        stated = 0
        apps_s = rng.choice((f"{body_year}年，我{unit_word}未收到政府信息公开申请。",
                             f"{body_year}年未收到政府信息公开申请。"))
    else:
        stated = new_total + carried if "narrative_new_plus_carried" in quirks else new_total
        apps_s = rng.choice((f"{body_year}年，共收到政府信息公开申请{stated}件，均在法定期限内予以答复。",
                             f"本年度收到政府信息公开申请{stated}份。",
                             f"{body_year}年共收到政府信息公开申请 {stated} 件。"))
    paragraphs += ["（二）依申请公开情况", "坚持依法规范办理，明确申请接收、登记、办理、答复、归档等流程。" + apps_s]
    paragraphs += ["（三）政府信息管理情况", _pick(rng, "management", 2)]
    paragraphs += ["（四）政府信息公开平台建设情况", _pick(rng, "platform", 2)]
    paragraphs += ["（五）监督保障情况", _pick(rng, "oversight", 2)]
    for _ in range(extra):
        paragraphs.append(_pick(rng, "work", 3) + _pick(rng, "management", 2) + _pick(rng, "platform", 1))
    narrative = Narrative(n_active_disclosed_total=active, n_applications_narr=stated,
                          n_active_by_channel=channels, n_license_items_narr=license_n if license_s else None)
    return narrative, "\n".join(paragraphs)


_PROBLEMS = ("主动公开政府信息的及时性和全面性还需进一步提高。", "政策解读形式较为单一，解读的深度和广度有待加强。",
             "政务新媒体信息更新频率不高，互动回应还不够及时。", "工作人员业务能力有待提升，公开内容的规范性仍需加强。")
_IMPROVE = ("加强业务培训，提升工作人员依法公开意识和能力。", "丰富政策解读形式，综合运用图表图解、音频视频等方式。",
            "加强政务新媒体管理，提高信息发布的时效和质量。", "健全工作机制，压实工作责任，推动政务公开工作提质增效。")


def _sec5(rng: random.Random, year: int) -> str:
    problems = rng.sample(_PROBLEMS, 2)
    improve = rng.sample(_IMPROVE, 2)
    return "\n".join((f"{year}年，政府信息公开工作虽取得一定成效，但仍存在一些不足：一是{problems[0]}二是{problems[1]}",
                      f"下一步，将采取以下措施加以改进：一是{improve[0]}二是{improve[1]}"))


def _sec6(rng: random.Random, year: int, unit_word: str) -> str:
    return rng.choice((f"依据《政府信息公开信息处理费管理办法》的规定，我{unit_word}本年度未收取相关费用。",
                       "本年度没有其他需要报告的事项。", "无。", f"{year}年，无收取信息处理费情况。"))


def _notice(template: str, quirks: frozenset[str]) -> str:
    if template == "gov2019" or "cite_2019_notice" in quirks:
        return "国务院办公厅政府信息与政务公开办公室《关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
    return "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"


def _title(rng: random.Random, org: str, year: int, quirks: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    if "year_first_title" in quirks:
        t = f"{year}年{org}政府信息公开工作年度报告"
        return t, (t,)
    if "spaced_title" in quirks:
        t = f"{org} {year} 年政府信息公开工作年度报告"
        return t, (t,)
    tail = rng.choice(("年", "年度"))
    tail_text = f"{year}{tail}政府信息公开工作年度报告"
    if "two_line_title" in quirks:
        return org + tail_text, (org, tail_text)
    return org + tail_text, (org + tail_text,)
