import pytest

from notes.intake import urls


def test_urls_in_text_in_order_once_without_sentence_punctuation() -> None:
    text = (
        "Смотри https://habr.com/ru/articles/1/, и ещё (https://example.org/a_(b)) "
        "плюс https://arxiv.org/pdf/2607.27578. Снова https://habr.com/ru/articles/1/"
    )
    assert urls.urls_in(text) == [
        "https://habr.com/ru/articles/1/",
        "https://example.org/a_(b)",
        "https://arxiv.org/pdf/2607.27578",
    ]


def test_hidden_links_are_added_and_get_a_scheme() -> None:
    found = urls.urls_in("статью и репо", hidden=["https://habr.com/x", "github.com/a/b"])
    assert found == ["https://habr.com/x", "https://github.com/a/b"]


def test_other_schemes_are_not_links() -> None:
    assert urls.urls_in("ftp://x.org/file and mailto:a@b.c") == []


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/DataTalksClub/faq", ("DataTalksClub", "faq")),
        ("https://github.com/DataTalksClub/faq/", ("DataTalksClub", "faq")),
        ("https://github.com/a/b.git", ("a", "b")),
        ("https://github.com/DataTalksClub/faq/blob/main/x.py", None),
        ("https://github.com/orgs/foo", None),
        ("https://gitlab.com/a/b", None),
    ],
)
def test_github_repository_front_pages(url: str, repo: tuple[str, str] | None) -> None:
    assert urls.github_repo(url) == repo


def test_site_is_the_host_without_www() -> None:
    assert urls.site_of("https://www.Example.org/a") == "example.org"
