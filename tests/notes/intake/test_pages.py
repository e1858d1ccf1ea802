import pytest

from notes.intake.fetch import FetchPolicy
from notes.intake.pages import read_link
from tests.support.web_server import Route, WebServer, make_pdf

OPEN = FetchPolicy(allow_private=True, timeout=2.0)

ARTICLE = """<html><head><title>Как мы делали RAG — Хабр</title>
<meta property="og:site_name" content="Хабр"><meta name="author" content="Иван Петров">
<meta property="article:published_time" content="2026-10-01"></head>
<body><nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<article><h1>Как мы делали RAG</h1>
<p>Первый абзац статьи про RAG, достаточно длинный, чтобы экстрактор принял его за основной
текст. Мы расскажем, как устроен поиск и как модель отвечает на вопросы.</p>
<p>Подробности в <a href="/docs/rag">документации</a>, там всё описано по шагам.</p>
<pre><code>def retrieve(query):
    return index.search(query, k=5)
</code></pre>
<p>Последний абзац, тоже длинный, чтобы его не выбросили как шум: выводы и планы на будущее.</p>
</article><footer>© 2026 Все права защищены. Подписаться на рассылку.</footer></body></html>"""


def test_an_article_becomes_markdown_with_its_code_block_fenced(web: WebServer) -> None:
    url = web.page("/ru/articles/1/", ARTICLE)
    page = read_link(url, OPEN)
    assert page.problem is None
    assert page.kind == "article"
    assert page.title == "Как мы делали RAG"
    assert page.site == "Хабр"
    assert "```\ndef retrieve(query):\n    return index.search(query, k=5)\n```" in page.markdown
    assert f"[документации]({web.url('/docs/rag')})" in page.markdown
    assert "Подписаться" not in page.markdown and "Новости" not in page.markdown


def test_a_cp1251_page_is_decoded(web: WebServer) -> None:
    body = ARTICLE.replace("<head>", '<head><meta charset="windows-1251">').encode("cp1251")
    url = web.page("/cp1251", body, content_type="text/html")
    page = read_link(url, OPEN)
    assert "Первый абзац статьи про RAG" in page.markdown


CODE_BLOCK = "<pre><code>def retrieve(query):\n    return index.search(query, k=5)\n</code></pre>"


@pytest.mark.parametrize(
    ("block", "fenced"),
    [
        ("<pre><code>pip install voicenotes</code></pre>", "pip install voicenotes"),
        ("<pre>voicenotes bot --kb ~/kb</pre>", "voicenotes bot --kb ~/kb"),
        (
            '<pre class="hl"><code><span class="k">def</span> f():<br>    '
            '<span class="k">return</span> 1</code></pre>',
            "def f():\n    return 1",
        ),
    ],
    ids=["one-line-code", "bare-pre", "highlighted-with-br"],
)
def test_a_pre_block_is_always_fenced(web: WebServer, block: str, fenced: str) -> None:
    html = ARTICLE.replace(CODE_BLOCK, block)
    assert block in html
    page = read_link(web.page("/one-line", html), OPEN)
    assert f"\n```\n{fenced}\n```\n" in page.markdown, page.markdown


def test_a_one_line_pre_on_a_cp1251_page_is_fenced(web: WebServer) -> None:
    html = ARTICLE.replace("<head>", '<head><meta charset="windows-1251">').replace(
        CODE_BLOCK, "<pre><code>echo привет</code></pre>"
    )
    page = read_link(web.page("/cp1251-pre", html.encode("cp1251"), "text/html"), OPEN)
    assert "\n```\necho привет\n```\n" in page.markdown
    assert "Первый абзац статьи про RAG" in page.markdown


def test_a_pdf_link_is_read_with_pypdf(web: WebServer) -> None:
    pdf = make_pdf(["Prompt Graph Engineering", "We propose a graph of prompts."], "PGE")
    url = web.route("/pdf/2607.27578", Route(body=pdf, content_type="application/pdf"))
    page = read_link(url, OPEN)
    assert page.problem is None
    assert (page.kind, page.title) == ("pdf", "PGE")
    assert "We propose a graph of prompts." in page.markdown


def test_a_corrupt_pdf_is_a_reason_not_a_crash(web: WebServer) -> None:
    url = web.route("/bad.pdf", Route(body=b"%PDF-1.4\n garbage", content_type="application/pdf"))
    page = read_link(url, OPEN)
    assert page.kind == "none"
    assert page.problem is not None and "PDF" in page.problem


def test_content_that_is_not_a_page_is_a_reason(web: WebServer) -> None:
    url = web.route("/x.zip", Route(body=b"PK\x03\x04....", content_type="application/zip"))
    page = read_link(url, OPEN)
    assert page.problem == "not a web page or PDF (content type application/zip)"


def test_a_page_built_by_javascript_is_a_reason(web: WebServer) -> None:
    url = web.page("/app", "<html><body><div id=root></div><script>app()</script></body></html>")
    page = read_link(url, OPEN)
    assert page.problem is not None and "no article text" in page.problem


def test_an_unreachable_page_is_a_reason(web: WebServer) -> None:
    page = read_link(web.url("/gone"), OPEN)
    assert page.problem == "the server answered HTTP 404"
    assert page.url == web.url("/gone")


def test_a_github_repository_gives_its_readme(web: WebServer) -> None:
    readme = "# faq\n\nThe FAQ of DataTalks.Club.\n\n```sh\nmake test\n```\n"
    web.route(
        "/repos/DataTalksClub/faq/readme", Route(body=readme.encode(), content_type="text/plain")
    )
    page = read_link("https://github.com/DataTalksClub/faq", OPEN, github_api=web.url(""))
    assert page.problem is None
    assert (page.kind, page.title, page.site) == (
        "github_readme",
        "DataTalksClub/faq",
        "github.com",
    )
    assert page.markdown == readme.strip()
