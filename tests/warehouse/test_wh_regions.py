"""Administrative divisions: coverage of the table and resolving agencies to a code."""

import pytest

from pipeline import regions
from warehouse import agencies


def test_table_covers_every_province_and_prefecture():
    d = regions.divisions()
    levels = {}
    for div in d.values():
        levels[div.level] = levels.get(div.level, 0) + 1
    assert levels["province"] == 33  # 34 provincial units; the table gives 台湾省 no code
    assert levels["prefecture"] >= 333
    assert levels["county"] >= 2800
    assert all(len(code) == 6 and code.isdigit() for code in d)


@pytest.mark.parametrize(
    "text,code,province,city,county",
    [
        ("宁波市镇海区卫生健康局", "330211", "浙江省", "宁波市", "镇海区"),
        ("平潭综合实验区管委会", "350128", "福建省", "福州市", "平潭县"),
        ("淮安市洪泽区人民政府", "320813", "江苏省", "淮安市", "洪泽区"),
        ("郑州市卫生健康委员会", "410100", "河南省", "郑州市", None),
        ("辽中区卫健局", "210115", "辽宁省", "沈阳市", "辽中区"),
        ("鹤岗市卫健委", "230400", "黑龙江省", "鹤岗市", None),
        ("宁安市卫生健康局", "231084", "黑龙江省", "牡丹江市", "宁安市"),
        ("上海市人民政府办公厅", "310000", "上海市", "上海市", None),
        ("上海市浦东新区人民政府", "310115", "上海市", "上海市", "浦东新区"),
        ("洪泽县人民政府", "320813", "江苏省", "淮安市", "洪泽区"),
        ("公安县公安局", "421022", "湖北省", "荆州市", "公安县"),
        ("荆州市公安局", "421000", "湖北省", "荆州市", None),
        ("济源市人民政府", "419001", "河南省", None, "济源市"),
    ],
)
def test_names_resolve(text, code, province, city, county):
    res = regions.resolve(org_name=text)
    d = res.division
    assert (d.adcode, d.province, d.city, d.county, res.resolved_from) == (code, province, city, county, "name")


def test_ambiguous_names_stay_unresolved():
    assert regions.resolve(org_name="和平区人民政府").division is None  # 天津 and 沈阳
    assert regions.resolve(org_name="卫生健康局").division is None
    assert regions.resolve(org_name="和平区人民政府", source_region="210100").division.adcode == "210102"


def test_order_of_evidence():
    # the registry's code, refined by the name inside it
    assert regions.resolve(source_region="320800", org_name="洪泽区人民政府").division.adcode == "320813"
    # a name outside the registry's region is ignored
    res = regions.resolve(source_region="350128", org_name="宁波市卫生健康委员会")
    assert (res.division.adcode, res.resolved_from) == ("350128", "source")
    res = regions.resolve(org_name="卫生健康局", record_region={"adcode": "231084"})
    assert (res.division.adcode, res.resolved_from) == ("231084", "record")
    res = regions.resolve(org_name="卫生健康局", record_region={"province": "黑龙江省", "county": "宁安市"})
    assert res.division.adcode == "231084"
    assert regions.resolve(source_region="999999", org_name="卫生健康局").division is None


def test_agency_identity_is_stable_across_name_forms():
    ids = {
        agencies.identify(org_name=n, title=None, source_id="s", source_region=None, record_region=None)[0].agency_id
        for n in ("宁波市镇海区卫生健康局", "镇海区卫健局", "浙江省宁波市镇海区卫生健康局")
    }
    assert ids == {"330211:卫生健康局"}
    a, _ = agencies.identify(org_name="卫生健康局", title=None, source_id="s1", source_region=None, record_region=None)
    assert a.agency_id == "src=s1:卫生健康局" and a.adcode is None
    assert agencies.identify(org_name=None, title="x", source_id="s", source_region=None, record_region=None)[0] is None
