"""The words of a sample report: section 一's sentences that state the figures, the texts of
sections 五 and 六, the notice it cites and its title (used by ``values.generate_report``)."""

from __future__ import annotations

import random

from .model import Narrative


def active_total(rng: random.Random, size: str) -> int:
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


def sec1_text(rng, year, org, unit_word, active, new_total, carried, truth, quirks, extra):
    paragraphs = [f"{year}年，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，" + _pick(rng, "work", 2)]
    # （一）主动公开
    web = rng.randint(active // 2, active)
    form = rng.randrange(3)
    if form == 0:
        active_s = (
            f"本年度主动公开政府信息{active}条（不同渠道和方式公开相同信息计1条），"
            f"其中政府网站公开{web}条，政务微信公开{active - web}条。"
        )
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
        apps_s = rng.choice(
            (f"{body_year}年，我{unit_word}未收到政府信息公开申请。", f"{body_year}年未收到政府信息公开申请。")
        )
    else:
        stated = new_total + carried if "narrative_new_plus_carried" in quirks else new_total
        apps_s = rng.choice(
            (
                f"{body_year}年，共收到政府信息公开申请{stated}件，均在法定期限内予以答复。",
                f"本年度收到政府信息公开申请{stated}份。",
                f"{body_year}年共收到政府信息公开申请 {stated} 件。",
            )
        )
    paragraphs += ["（二）依申请公开情况", "坚持依法规范办理，明确申请接收、登记、办理、答复、归档等流程。" + apps_s]
    paragraphs += ["（三）政府信息管理情况", _pick(rng, "management", 2)]
    paragraphs += ["（四）政府信息公开平台建设情况", _pick(rng, "platform", 2)]
    paragraphs += ["（五）监督保障情况", _pick(rng, "oversight", 2)]
    for _ in range(extra):
        paragraphs.append(_pick(rng, "work", 3) + _pick(rng, "management", 2) + _pick(rng, "platform", 1))
    narrative = Narrative(
        n_active_disclosed_total=active,
        n_applications_narr=stated,
        n_active_by_channel=channels,
        n_license_items_narr=license_n if license_s else None,
    )
    return narrative, "\n".join(paragraphs)


_PROBLEMS = (
    "主动公开政府信息的及时性和全面性还需进一步提高。",
    "政策解读形式较为单一，解读的深度和广度有待加强。",
    "政务新媒体信息更新频率不高，互动回应还不够及时。",
    "工作人员业务能力有待提升，公开内容的规范性仍需加强。",
)
_IMPROVE = (
    "加强业务培训，提升工作人员依法公开意识和能力。",
    "丰富政策解读形式，综合运用图表图解、音频视频等方式。",
    "加强政务新媒体管理，提高信息发布的时效和质量。",
    "健全工作机制，压实工作责任，推动政务公开工作提质增效。",
)


def sec5_text(rng: random.Random, year: int) -> str:
    problems = rng.sample(_PROBLEMS, 2)
    improve = rng.sample(_IMPROVE, 2)
    return "\n".join(
        (
            f"{year}年，政府信息公开工作虽取得一定成效，但仍存在一些不足：一是{problems[0]}二是{problems[1]}",
            f"下一步，将采取以下措施加以改进：一是{improve[0]}二是{improve[1]}",
        )
    )


def sec6_text(rng: random.Random, year: int, unit_word: str) -> str:
    return rng.choice(
        (
            f"依据《政府信息公开信息处理费管理办法》的规定，我{unit_word}本年度未收取相关费用。",
            "本年度没有其他需要报告的事项。",
            "无。",
            f"{year}年，无收取信息处理费情况。",
        )
    )


def notice_text(template: str, quirks: frozenset[str]) -> str:
    if template == "gov2019" or "cite_2019_notice" in quirks:
        return "国务院办公厅政府信息与政务公开办公室《关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）"
    return "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"


def title_text(rng: random.Random, org: str, year: int, quirks: frozenset[str]) -> tuple[str, tuple[str, ...]]:
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
