"""Advertising-law compliance check: flagged terms by category, context exemptions,
the show's allow list, located findings, and the term file's own validation."""
from __future__ import annotations

import pytest

from studio_app.core.paths import sample_show_path
from studio_app.show.compliance import ComplianceChecker, TermList, check_show, check_text
from studio_app.show.errors import RundownError
from studio_app.show.rundown import loads_rundown

SAMPLE_TEXT = sample_show_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def checker() -> ComplianceChecker:
    return ComplianceChecker()


def terms(checker, text):
    return [(text[s:e], t.category) for s, e, t in checker.hits(text)]


@pytest.mark.parametrize(
    "text, term, category",
    [
        ("这是全网最低价！", "全网最低价", "price_claim"),
        ("历史最低价，错过再等一年", "历史最低价", "price_claim"),
        ("我们是销量第一的品牌", "销量第一", "first"),
        ("国家级工艺", "国家级", "rank"),
        ("顶级面料", "顶级", "extreme"),
        ("极品好茶", "极品", "extreme"),
        ("全网首发", "全网首发", "first_exclusive"),
        ("正品保证，零风险", "零风险", "guarantee"),
        ("这款是最好的", "最好", "superlative"),
        ("最火的一款", "最", "superlative"),
        ("Top1 单品", "Top1", "first"),
        ("我们的NO.1单品", "NO.1", "first"),
        ("领导特供款", "特供", "special_supply"),
        ("最新技术加持", "最新技术", "superlative"),
        ("最后一波了家人们", "最后一波", "first"),
    ],
)
def test_flags_terms_longest_first(checker, text, term, category):
    assert terms(checker, text) == [(term, category)]


@pytest.mark.parametrize(
    "text",
    [
        "最近天气冷了",
        "今天是活动最后一天",
        "第一次来直播间的宝宝点关注",
        "第一款给大家带来的是围巾",
        "每人最多限购两件",
        "最佳赏味期是开封后七天",
        "成分是100%羊绒",
        "纯棉100%，亲肤透气",
        "最新一期的直播预告",
        "收到后第一时间联系客服",
        "SKU-TOP10 和 5A01 是货号",  # ASCII terms only as whole words
        "这是我的最爱",
    ],
)
def test_context_exemptions(checker, text):
    assert terms(checker, text) == []


def test_exemption_does_not_hide_a_longer_term(checker):
    # 最后 is exempt, but 最后一波 is a term of its own
    assert terms(checker, "最后三分钟，最后一波") == [("最后一波", "first")]


def test_show_allow_list_exempts_product_names_and_trademarks():
    text = SAMPLE_TEXT.replace('name = "充电暖手宝"', 'name = "极致暖手宝"').replace("allow = []", 'allow = ["极致暖手宝"]')
    show = loads_rundown(text, "s.toml")
    assert check_show(show) == []
    show.compliance_allow = []
    found = check_show(show)
    assert [(f.term, f.field) for f in found] == [("极致", "products[5].name")]


def test_sample_show_is_clean():
    assert check_show(loads_rundown(SAMPLE_TEXT, "sample_show.toml")) == []


def test_findings_point_at_file_line_and_column():
    text = (SAMPLE_TEXT.replace("不起球、不掉毛", "全网最低价，不起球")
            .replace('"引导扣 1"', '"引导扣 1，销量第一"')
            .replace("三种香型各一支", "顶级香型"))
    show = loads_rundown(text, "bad.toml")
    found = check_show(show, source_text=text)
    lines = text.splitlines()
    assert [(f.term, f.segment, f.field) for f in found] == [
        ("全网最低价", "scarf", "segments[2].script"),
        ("销量第一", "chat-1", "segments[3].talking_points[2]"),
        ("顶级", None, "products[6].selling_points[2]"),
    ]
    for f in found:
        assert lines[f.line - 1][f.column - 1:].startswith(f.term), f
        assert f.term in f.context
        assert f.file == "bad.toml"
    assert found[0].severity == "error" and found[0].category == "price_claim"


def test_plain_text_lines_and_columns(checker):
    found = check_text("大家好\n这是全网最低价\n\n销量第一，国家级", checker, file="s.txt")
    assert [(f.term, f.line, f.column) for f in found] == [("全网最低价", 2, 3), ("销量第一", 4, 1), ("国家级", 4, 6)]


def test_bundled_term_list_covers_the_categories():
    tl = TermList.load()
    cats = {t.category for t in tl.terms}
    assert cats >= {"superlative", "first", "rank", "extreme", "first_exclusive", "guarantee", "price_claim",
                    "special_supply", "state_symbol"}
    assert len(tl.terms) > 100
    assert all(t.severity in ("error", "warning") for t in tl.terms)


def test_term_file_errors_are_located():
    bad = '[categories]\nx = "X"\n\n[[terms]]\nterm = "最"\ncategory = "y"\n'
    with pytest.raises(RundownError) as info:
        TermList.loads(bad, "t.toml")
    assert info.value.line == 6 and info.value.field == "terms[1].category"
    bad = '[[exempt]]\npattern = "(unclosed"\n'
    with pytest.raises(RundownError) as info:
        TermList.loads(bad, "t.toml")
    assert info.value.line == 2 and "regular expression" in info.value.message


def test_edited_term_list_is_used():
    tl = TermList.loads('[categories]\nmine = "house rule"\n[[terms]]\nterm = "秒没"\ncategory = "mine"\nseverity = "warning"\n')
    assert [(f.term, f.severity) for f in check_text("手慢秒没", ComplianceChecker(tl))] == [("秒没", "warning")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(list("最第一国家级顶极品首发独家100%近后天次NO.1TOP5A佳赏味期的，。 \n") + ["全网最低价", "最近", "销量第一"]), max_size=40).map("".join))
def test_hits_are_ordered_non_overlapping_and_real(checker, text):
    hits = checker.hits(text)
    last_end = 0
    for s, e, term in hits:
        assert last_end <= s < e <= len(text)
        assert text[s:e].lower() == term.term.lower()
        last_end = e
    found = check_text(text, checker)
    assert len(found) == sum(len(checker.hits(line)) for line in text.splitlines())
