"""The site's HTML helpers, without a browser: links between pages, escaping, tables as text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from artifact.site import hooks, references
from artifact.site.embed import parse_table_md
from artifact.site.templating import href, markdown_safe, page_url, render, safe_url, site_file


@pytest.mark.parametrize("src, url", [("index.md", ""), ("index.zh.md", ""), ("claims.md", "claims/"),
                                      ("article/2-1-complex-reasoning.zh.md", "article/2-1-complex-reasoning/"),
                                      ("evidence/index.md", "evidence/")])
def test_page_url_follows_directory_urls(src, url):
    assert page_url(src) == url


def test_links_between_pages_and_to_site_files():
    assert href("article/1-emergence.md", "claims.md", "claim-x") == "../../claims/#claim-x"
    assert href("claims.md", "evidence/wei2022cot.md", "t2/a b") == "../evidence/wei2022cot/#t2/a%20b"
    assert href("index.md", "claims.md") == "claims/"
    assert href("claims.md", "claims.md", "claim-x") == "#claim-x"
    # figures/ exists once, at the site root: Chinese pages (under zh/) climb one level more.
    assert site_file("claims.md", "figures/a.csv", "en") == "../figures/a.csv"
    assert site_file("claims.md", "figures/a.csv", "zh") == "../../figures/a.csv"


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", ""])
def test_only_http_links_come_from_data(url):
    assert safe_url(url) == ""
    assert safe_url("https://arxiv.org/abs/2201.11903v6") == "https://arxiv.org/abs/2201.11903v6"


HOSTILE = "<script>x</script> <img src=x onerror=y> [x](javascript:alert(3)) *em* _u_ `c` [@key] {{ claims }}"


def test_markdown_safe_text_survives_markdown_inside_inline_html():
    html = markdown.markdown(f'Text <a title="{markdown_safe(HOSTILE)}" href="#">m</a> more.')
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("&#58;", "")
    assert "<em>" not in html and "<code>" not in html and 'href="javascript' not in html


def test_templates_escape_everything_they_are_given():
    out = render("marker.html", card={"id": "c"}, css="supported", symbol="✓", tip=HOSTILE, url="#claim-c")
    html = markdown.markdown(f"A sentence.{out} Next.", extensions=["md_in_html"])
    assert "<script" not in html and "<em>" not in html and 'href="javascript' not in html


def test_a_table_exhibit_reads_back_as_text():
    md = ("**Title**\n\n| Part | Text |\n|---|---|\n| Sol | 3*7 = &lt;&lt;3*7=21&gt;&gt;21<br>a \\| b |\n"
          "\nA note with cot_threshold.py\n\nSource: x")
    head, body, paragraphs = parse_table_md(md)
    assert head == [["Part"], ["Text"]]
    assert body == [[["Sol"], ["3*7 = <<3*7=21>>21", "a | b"]]]
    assert paragraphs == ["A note with cot_threshold.py", "Source: x"]


def test_chinese_citations_are_localised_without_a_seam():
    text = references.link_citations("发布 [@cobbe2021]；作者\n[@wei2022cot]，", "refs.md", "zh")
    assert text.startswith("发布（[Cobbe 等, 2021](refs.md#cobbe2021)）；作者（[Wei 等, 2022a]")
    assert references.link_citations("released [@cobbe2021];", "refs.md") == \
        "released ([Cobbe et al. 2021](refs.md#cobbe2021));"


def test_two_works_of_one_first_author_and_year_are_told_apart():
    # Wei et al. 2022 wrote both the chain-of-thought and the emergent-abilities paper; Wei's
    # single-author blog post of 2022 already reads differently ('Wei 2022').
    assert references.short_name("wei2022cot") == "Wei et al. 2022a"
    assert references.short_name("wei2022emergent", "zh") == "Wei 等, 2022b"
    assert references.short_name("wei2022emergenceblog") == "Wei 2022"
    assert references.short_name("cobbe2021") == "Cobbe et al. 2021"


@pytest.mark.parametrize("version, label", [("v6", "arXiv 2201.11903v6"), ("v2 (latest; ar5iv rendering)", "arXiv 2201.11903v2"),
                                            ("not shown in copies", "arXiv 2201.11903"),
                                            ("v2 (inferred: table cites Oct-2022 works)", "arXiv 2201.11903")])
def test_arxiv_links_come_from_the_id_alone(version, label):
    assert references.arxiv("2201.11903", version) == ("https://arxiv.org/abs/2201.11903", label)
    assert references.arxiv("2001.08361not shown", "v1") == ("", "")


def test_bold_table_cells_render_as_strong_text_never_as_markup():
    head, body, _ = parse_table_md("| a | b |\n|---|---|\n| **+5.6** | **<i>x</i>** |\n")
    assert str(body[0][0][0]) == "<strong>+5.6</strong>"
    assert str(body[0][1][0]) == "<strong>&lt;i&gt;x&lt;/i&gt;</strong>"


def test_line_breaks_between_chinese_characters_are_joined():
    assert hooks.CJK_BREAK.sub("", "局面：\n先是\nGSM8K\n测试") == "局面：先是\nGSM8K\n测试"
    assert hooks.CJK_BREAK.sub("", "- 倒序写\n  出来\n\n段落") == "- 倒序写出来\n\n段落"  # list continuation lines


@pytest.mark.parametrize("directive, message", [("{{ claim: no-such }}", "unknown claim 'no-such'"),
                                                ("{{ evidence: no-such }}", "unknown evidence source 'no-such'")])
def test_unknown_claim_or_source_fails_the_build(directive, message):
    from mkdocs.exceptions import PluginError

    class Page:
        class file:
            src_uri = "article/x.md"

    with pytest.raises(PluginError, match=message):
        hooks.on_page_markdown(f"A sentence.{directive}", Page, {"theme": {"language": "en"}}, None)


def test_chart_images_say_what_the_chart_shows():
    from artifact.exhibits import REGISTRY
    from artifact.site import embed

    for ex in (e for e in REGISTRY.values() if e.kind == "chart"):
        for lang in ("en", "zh"):
            alt = ex.alt(lang)
            assert alt != ex.title(lang) and len(alt) > len(ex.title(lang))
            assert f"![{embed._alt_text(alt)}](" in embed.exhibit(ex.id, lang, "index.md")


def test_a_chart_without_alt_text_cannot_register():
    from artifact.errors import RegistryError
    from artifact.exhibits.registry import register

    with pytest.raises(RegistryError, match="chart 'no-alt' needs alt_en and alt_zh"):
        register("no-alt", kind="chart", title_en="T", title_zh="标题", inputs=())


def test_a_second_checkout_builds_with_its_own_package(tmp_path):
    """MkDocs loads the hooks file by path: the package it then imports is that checkout's, not the one an
    editable install points at."""
    from tests.conftest import copy_repo

    repo = copy_repo(tmp_path / "second")
    hooks = repo / "artifact" / "site" / "hooks.py"
    code = ("import importlib.util, sys; spec = importlib.util.spec_from_file_location('hooks', sys.argv[1]); "
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module); "
            "import artifact; print(artifact.__file__)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", code, str(hooks)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve() == (repo / "artifact" / "__init__.py").resolve()
