import pytest

from notes.intake.youtube_ids import video_id, watch_url

ID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={ID}",
        f"https://youtube.com/watch?feature=share&v={ID}",
        f"https://m.youtube.com/watch?v={ID}&t=42s",
        f"https://youtu.be/{ID}",
        f"https://youtu.be/{ID}?si=abc",
        f"https://www.youtube.com/shorts/{ID}",
        f"https://www.youtube.com/live/{ID}?feature=share",
        f"https://www.youtube.com/embed/{ID}",
    ],
)
def test_every_shape_of_youtube_url_gives_the_id(url: str) -> None:
    assert video_id(url) == ID


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/@channel",
        "https://www.youtube.com/watch?v=short",
        "https://example.org/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/playlist?list=PL123",
    ],
)
def test_other_urls_are_not_videos(url: str) -> None:
    assert video_id(url) is None


def test_watch_url() -> None:
    assert watch_url(ID) == f"https://www.youtube.com/watch?v={ID}"
