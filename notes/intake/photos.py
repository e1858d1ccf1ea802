"""Photos and images: shrunk, stripped of metadata, described now or by a later pass."""

from __future__ import annotations

from notes.intake import filing, formats, images, inbox, metastrip, transcripts, vision
from notes.intake.filing import FiledNote, Materials
from notes.intake.formats import Description
from notes.intake.origin import Origin
from notes.kb import atomic


def file_image(
    m: Materials,
    data: bytes,
    stem: str,
    origin: Origin,
    caption: str | None,
    *,
    original_filename: str | None = None,
    describe_now: bool = True,
) -> FiledNote:
    """`NAME.jpg` (oriented, resized, metadata stripped) and `NAME_photo.md`.

    Bytes that are not an image, or an image too large to decode, are kept as a file note
    with the reason: a JPEG or PNG without its metadata (notes/intake/metastrip.py).
    """
    note_name = stem + formats.PHOTO_SUFFIX
    inbox.ensure_new(m.kb, note_name)
    try:
        prepared = images.prepare(data)
    except images.NotAnImage as error:
        name = original_filename or "image"
        kept = metastrip.strip(data) or data
        reason = str(error) + ("; its metadata removed" if kept != data else "")
        return filing.file_binary(m, kept, name, stem, origin, caption, problem=reason)
    image_name = stem + ".jpg"
    atomic.write_bytes(m.kb.raw / image_name, prepared.jpeg, overwrite=True)
    extra = [("original_filename", original_filename)] if original_filename else []
    description, pending = None, "not asked yet"
    if describe_now:
        try:
            description = vision.describe(m.settings, prepared.jpeg, caption)
        except vision.VisionUnavailable as error:
            pending = str(error)
    ocr_text = vision.ocr(prepared.jpeg) if description is None else ""
    text = formats.photo_note(
        origin, image_name, caption, description, pending=pending, ocr_text=ocr_text, extra=extra
    )
    path = inbox.file_note(m.kb, note_name, text)
    summary = _image_summary(prepared, description, ocr_text)
    problem = None if description or not describe_now else f"not described yet: {pending}"
    return FiledNote(path, "photo", summary, problem)


def _image_summary(
    prepared: images.PreparedImage, description: Description | None, ocr_text: str
) -> str:
    size = f"{prepared.width}×{prepared.height}"
    if description is not None:
        return f"{description.kind or 'image'}, {size}: {filing.first_line(description.summary)}"
    if ocr_text:
        return f"image {size}, OCR: {filing.first_line(ocr_text)}"
    return f"image {size}"


def describe_pending(m: Materials) -> list[FiledNote]:
    """Describe the photo notes filed without a description, now that a model may answer.

    Only notes still in `inbox/raw/` (not yet drafted) and written as pending are rewritten;
    the caption's bytes are carried over unchanged. A model failure leaves them as they are.
    """
    done: list[FiledNote] = []
    for path in sorted(m.kb.raw.glob("*" + formats.PHOTO_SUFFIX)):
        document = path.read_text(encoding="utf-8")
        if not formats.photo_waiting(document):
            continue
        head_end = document.find("\n---", 4)
        image_path = m.kb.raw / (path.name.removesuffix(formats.PHOTO_SUFFIX) + ".jpg")
        if not image_path.is_file():
            continue
        rest = document[head_end + len("\n---") :]
        caption_part = _caption_part(rest)
        caption = caption_part.removeprefix("\n\nCaption: ") or None
        try:
            description = vision.describe(m.settings, image_path.read_bytes(), caption)
        except vision.VisionUnavailable:
            break
        described = [("alt", description.alt), ("suggested_name", description.suggested_name)]
        lines = transcripts.front([(k, v) for k, v in described if v]).split("\n")[1:-1]
        filled = "".join(f"{line}\n" for line in lines)
        head = document[: head_end + 1].replace(formats.PHOTO_PENDING, filled)
        text = head + "---\n\n" + formats.describe_body(description) + caption_part
        atomic.write_text(path, text, overwrite=True)
        done.append(FiledNote(path, "photo", filing.first_line(description.summary)))
    return done


def _caption_part(rest: str) -> str:
    """The `\\n\\nCaption: …` tail of a pending photo note's body, exactly as written."""
    body = rest.removeprefix("\n\n")
    first_break = body.find("\n\n")
    if first_break < 0:
        return ""
    remainder = body[first_break:]
    ocr_head = "\n\n### Visible Text (OCR)\n"
    if remainder.startswith(ocr_head):
        fence_line = remainder[len(ocr_head) :].split("\n", 1)[0]
        closing = remainder.find("\n" + fence_line, len(ocr_head) + len(fence_line))
        remainder = remainder[closing + 1 + len(fence_line) :] if closing >= 0 else ""
    return remainder if remainder.startswith("\n\nCaption: ") else ""
