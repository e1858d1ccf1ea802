from datetime import timedelta
from typing import Any

from telegram import Bot, Message

from bot.material_of import Bursts, forward_of, job_for, message_link, urls_of
from tests.support.telegram_server import (
    FEB_4,
    OWNER,
    TOKEN,
    User,
    forwarded,
    from_channel,
    from_hidden,
    from_user,
    photo_message,
    text_link,
    text_message,
    video_message,
    video_note_message,
)

BOT = Bot(TOKEN)


def message(data: dict[str, Any]) -> Message:
    parsed = Message.de_json(data, BOT)
    assert parsed is not None
    return parsed


def test_urls_from_text_hidden_links_and_captions() -> None:
    text = "читай статью и https://arxiv.org/abs/1"
    data = text_message(OWNER, 1, text, FEB_4) | {
        "entities": [text_link(text.index("статью"), 6, "https://habr.com/x")]
    }
    assert urls_of(message(data)) == ["https://arxiv.org/abs/1", "https://habr.com/x"]
    caption = photo_message(
        OWNER, 2, "f", caption="вот", caption_entities=[text_link(0, 3, "https://a.org")]
    )
    assert urls_of(message(caption)) == ["https://a.org"]


def test_forward_origins() -> None:
    juan = User(42, "juanpp", "Juan")
    person = forward_of(
        message(forwarded(text_message(OWNER, 1, "x", FEB_4), from_user(juan, FEB_4)))
    )
    assert person is not None and (person.kind, person.name, person.username) == (
        "user",
        "Juan",
        "juanpp",
    )
    hidden = forward_of(
        message(forwarded(text_message(OWNER, 2, "x", FEB_4), from_hidden("Anon", FEB_4)))
    )
    assert hidden is not None and (hidden.kind, hidden.name) == ("hidden_user", "Anon")
    origin = from_channel(-1001012345678, "Data", 55, FEB_4)
    channel = forward_of(message(forwarded(text_message(OWNER, 3, "x", FEB_4), origin)))
    assert channel is not None and (channel.kind, channel.message_id) == ("channel", 55)
    assert forward_of(message(text_message(OWNER, 4, "x", FEB_4))) is None


def test_message_links_only_in_groups_and_channels_with_the_prefix_removed() -> None:
    data = text_message(OWNER, 1080, "x", FEB_4)
    assert message_link(message(data)) is None
    data["chat"] = {"id": -1003688590333, "type": "supergroup", "title": "KB"}
    assert message_link(message(data)) == "https://t.me/c/3688590333/1080"
    data["chat"] = {"id": -1001012345678, "type": "supergroup", "title": "KB"}
    assert message_link(message(data)) == "https://t.me/c/1012345678/1080"


def test_a_burst_of_forwards_and_the_next_comment_share_a_group() -> None:
    bursts = Bursts()
    first = message(forwarded(text_message(OWNER, 10, "a", FEB_4), from_hidden("A", FEB_4)))
    second = message(forwarded(text_message(OWNER, 11, "b", FEB_4 + 5), from_hidden("B", FEB_4)))
    comment = message(text_message(OWNER, 12, "моё", FEB_4 + 20))
    later = message(text_message(OWNER, 13, "другое", FEB_4 + 25))
    assert [bursts.group_for(m) for m in (first, second)] == ["forwards10", "forwards10"]
    assert bursts.is_open(comment)
    assert bursts.group_for(comment) == "forwards10"
    assert bursts.group_for(comment) == "forwards10", "asked again, the same answer"
    assert not bursts.is_open(later) and bursts.group_for(later) is None


def test_a_burst_closes_after_the_window() -> None:
    bursts = Bursts(window=timedelta(minutes=2))
    bursts.group_for(
        message(forwarded(text_message(OWNER, 10, "a", FEB_4), from_hidden("A", FEB_4)))
    )
    late = message(text_message(OWNER, 11, "позже", FEB_4 + 600))
    assert not bursts.is_open(late) and bursts.group_for(late) is None


def test_albums_share_their_media_group() -> None:
    bursts = Bursts()
    photos = [
        message(photo_message(OWNER, n, f"f{n}", media_group_id="9", date=FEB_4)) for n in (1, 2)
    ]
    assert {bursts.group_for(p) for p in photos} == {"album9"}


def test_jobs_take_the_largest_photo_and_the_declared_video_details() -> None:
    photo = job_for(
        message(photo_message(OWNER, 1, "big", width=2560, height=1920, date=FEB_4)),
        _user(),
        "photo",
        None,
    )
    assert (photo.file_id, photo.width, photo.stem) == (
        "big",
        2560,
        "20260204_102339_AlexeyDTC_msg1",
    )
    video = job_for(
        message(video_message(OWNER, 2, "v", duration=95, size=5, date=FEB_4)),
        _user(),
        "video",
        "g",
    )
    assert (video.duration, video.file_size, video.group, video.file_name) == (
        95,
        5,
        "g",
        "clip.mp4",
    )


def test_a_round_video_job_is_square_by_its_length_with_no_file_name() -> None:
    data = video_note_message(OWNER, 3, "r", size=7, length=384, duration=21, date=FEB_4)
    job = job_for(message(data), _user(), "video_note", None)
    assert (job.kind, job.file_id, job.file_name, job.file_size) == ("video_note", "r", "", 7)
    assert (job.width, job.height, job.duration) == (384, 384, 21)


def test_a_forwarded_text_is_kept_as_sent_with_its_origin() -> None:
    data = forwarded(
        text_message(OWNER, 4, "\x1b[31mкрасный\x1b[0m\r\n\tконец", FEB_4),
        from_hidden("Anon", FEB_4),
    )
    job = job_for(message(data), _user(), "text", None)
    assert job.text == "[31mкрасный[0m\r\n\tконец"
    assert job.forward is not None and job.forward["kind"] == "hidden_user"


def _user() -> Any:
    from telegram import User as TelegramUser

    return TelegramUser(OWNER.id, "Alexey", False, username=OWNER.username)
