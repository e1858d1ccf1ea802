"""Figures: a photo note's image placed in an article the way the author's KB has them (pure).

The model only says which image goes after which block of the body and suggests a name; this
module makes the name safe and unique under `assets/images/{article slug}/`, and writes the
KB's form:

    <figure>
      <img src="../assets/images/slug/name.jpg" alt="...">
      <figcaption>caption</figcaption>
    </figure>

The caption carries no footnote marker: a `<figure>` is an HTML block, which GitHub and
Obsidian show raw, so a `[^N]` there would be read as literal text. The photo note is cited
instead in the paragraph the figure follows (`[^N]` is added to its last sentence when that
paragraph does not cite it already). A figure asked to follow a block that is not a paragraph,
list or quote (a heading, code) follows the first paragraph citing the photo instead.

Moving the image and recording its place in the photo note (`original_image`,
`final_location`, `article`) is the writer's job.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape

from notes.drafting import videofigures
from notes.drafting.answers import Figure
from notes.drafting.messages import Source
from notes.markdown import articles, citations, parser

ASSETS = "assets/images"
UNUSED = f"{ASSETS}/_unused"
NAME_LIMIT = 60
_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class PlacedFigure:
    """An image an article shows: which note, which file beside it, where it goes."""

    note: str
    """The photo note's name (`NAME_photo.md`)."""

    image: str
    """The image file beside the note in `inbox/raw/` (`NAME.jpg`)."""

    asset: str
    """Its KB path once placed: `assets/images/{slug}/{name}.jpg`."""

    after: int
    alt: str
    caption: str
    link: str = ""
    """A video's Telegram message link (notes.drafting.videofigures)."""

    video_info: str = ""
    """A video's length and size, shown with its link (`0m 34s, 2144x1240`)."""

    plays: bool = False
    """The moved file is the video itself, shown in a `<video>` element."""


def safe_name(suggested: str) -> str:
    """A file stem of lowercase letters, digits and single hyphens (`figure` if none)."""
    stem = _UNSAFE.sub("-", suggested.lower()).strip("-")[:NAME_LIMIT].strip("-")
    return stem or "figure"


def asset_folder(article_path: str) -> str:
    """`assets/images/{slug}` for `articles/**/slug.md`, as the KB names them."""
    return f"{ASSETS}/{posixpath.splitext(posixpath.basename(article_path))[0]}"


def unique_asset(folder: str, stem: str, extension: str, taken: Collection[str]) -> str:
    """`folder/stem.ext`, or `folder/stem-2.ext`.. : the first KB path not in `taken`."""
    number = 1
    while True:
        candidate = f"{folder}/{stem}{'' if number == 1 else f'-{number}'}{extension}"
        if candidate not in taken:
            return candidate
        number += 1


def plan(
    article_path: str,
    figures: Sequence[Figure],
    sources: Sequence[Source],
    taken: Collection[str],
) -> tuple[list[PlacedFigure], list[str]]:
    """The figures to place and the problems with the answer's figures (empty: none).

    `taken` holds the KB paths already used under `assets/images/`. A source may be shown
    once; only photo notes with an image can be figures.
    """
    by_id = {source.id: source for source in sources}
    placed: list[PlacedFigure] = []
    problems: list[str] = []
    used = set(taken)
    for figure in figures:
        source = by_id.get(figure.source)
        if source is None or not (source.is_image or source.is_video):
            problems.append(
                f'figure {figure.source}: not a photo with image="yes" or a video with figure="yes"'
            )
            continue
        if any(p.note == source.name for p in placed):
            continue
        image = source.image_file if source.is_image else videofigures.moved_file(source)
        asset = ""
        if image:
            extension = videofigures.extension(image, ".jpg")
            stem = safe_name(figure.name)
            asset = unique_asset(asset_folder(article_path), stem, extension, used)
            used.add(asset)
        alt = figure.alt.strip() or dict(source.details).get("alt", "")
        shown = PlacedFigure(source.name, image, asset, figure.after, alt, figure.caption.strip())
        if source.is_video:
            shown = replace(
                shown,
                link=source.message_link,
                video_info=videofigures.info(source),
                plays=videofigures.shows_video(source, image),
            )
        placed.append(shown)
    return placed, problems


def figure_html(article_path: str, figure: PlacedFigure) -> str:
    """The KB's `<figure>` block for `figure`, its caption plain text (no footnote marker)."""
    src = articles.relative_link(article_path, figure.asset) if figure.asset else None
    caption = escape(" ".join(figure.caption.split()).rstrip(), quote=False)
    inside = videofigures.body_lines(
        src, figure.alt, figure.link, figure.video_info, plays=figure.plays
    )
    return "\n".join(["<figure>", *inside, f"  <figcaption>{caption}</figcaption>", "</figure>"])


def place(
    body: str, article_path: str, placed: Sequence[PlacedFigure], footnotes: Mapping[str, str]
) -> str:
    """`body` with each figure after its block (past the last one if the number is too big).

    `footnotes` maps a note name to its footnote label in the body. The block each figure
    follows cites its note afterwards (see the module docstring).
    """
    if not placed:
        return body
    lines = body.split("\n")
    blocks = _block_spans(body)
    inserts: dict[int, list[str]] = {}
    cite: dict[int, list[str]] = {}
    for figure in placed:
        label = footnotes[figure.note]
        wanted = min(max(figure.after, 1), len(blocks)) - 1 if blocks else -1
        chosen = _anchor(blocks, wanted, label) if blocks else None
        at = blocks[chosen].end if chosen is not None else len(lines)
        if chosen is not None and label not in blocks[chosen].labels:
            cite.setdefault(blocks[chosen].last, []).append(label)
        inserts.setdefault(at, []).append(figure_html(article_path, figure))
    for number, labels in cite.items():
        lines[number] = cite_at_end(lines[number], labels)
    out: list[str] = []
    for number, line in enumerate(lines):
        if number in inserts:
            out += _blocks(out, inserts.pop(number), followed=bool(line.strip()))
        out.append(line)
    for at in sorted(inserts):
        out += _blocks(out, inserts[at], followed=False)
    return "\n".join(out)


def cite_at_end(line: str, labels: Sequence[str]) -> str:
    """`line` with `[^label]` markers added where the author puts them: before the closing
    full stop (`...what I saw[^30].`), or at the end when the line ends otherwise."""
    markers = "".join(f"[^{label}]" for label in dict.fromkeys(labels))
    stripped = line.rstrip()
    trailing = line[len(stripped) :]
    if stripped.endswith((".", "!", "?")) and not stripped.endswith(".."):
        return stripped[:-1] + markers + stripped[-1] + trailing
    return stripped + markers + trailing


@dataclass(frozen=True)
class _Span:
    """A top-level block: its last line, the line after it, its kind, the labels it cites."""

    last: int
    end: int
    prose: bool
    labels: frozenset[str]


_PROSE = frozenset({"paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open"})


def _block_spans(body: str) -> list[_Span]:
    lines = parser.Lines(body)
    spans = []
    for token in parser.parse(body):
        if token.level == 0 and token.map is not None and token.nesting in (0, 1):
            start, end = token.map
            text = "\n".join(lines.line(n) for n in range(start, min(end, len(lines))))
            labels = frozenset(ref.label for ref in citations.scan(text).references)
            last = _last_text_line(lines, start, end)
            spans.append(_Span(last, end, token.type in _PROSE, labels))
    return spans


def _last_text_line(lines: parser.Lines, start: int, end: int) -> int:
    last = min(end, len(lines)) - 1
    while last > start and not lines.line(last).strip():
        last -= 1
    return last


def _anchor(blocks: Sequence[_Span], wanted: int, label: str) -> int:
    """The block a figure follows: `wanted` when it is prose; else the first prose block
    citing `label`, else the nearest prose block before it (after it when none is)."""
    if blocks[wanted].prose:
        return wanted
    citing = [n for n, block in enumerate(blocks) if block.prose and label in block.labels]
    if citing:
        return citing[0]
    before = [n for n in range(wanted, -1, -1) if blocks[n].prose]
    after = [n for n in range(wanted, len(blocks)) if blocks[n].prose]
    return (before or after or [wanted])[0]


def record_placement(note_text: str, figure: PlacedFigure, article_path: str) -> str:
    """The photo note's text once its image is placed, as the KB's placed photos read.

    The `image_file: NAME.jpg` line becomes `original_image: NAME.jpg`, followed by
    `final_location` (the image, relative to `inbox/used/`) and `article` (the article,
    relative to `articles/`); a video note's `keyframe_file` or `saved_as` line naming the
    moved file is kept and followed by the same two. Every other byte stays as it was.
    """
    location = posixpath.relpath(figure.asset, "inbox/used")
    article = posixpath.relpath(article_path, "articles")
    lines = note_text.split("\n")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            break
        if line.startswith("image_file:"):
            lines[number : number + 1] = [
                f"original_image: {figure.image}",
                f"final_location: {location}",
                f"article: {article}",
            ]
            break
        if line.rstrip() in (f"keyframe_file: {figure.image}", f"saved_as: {figure.image}"):
            lines[number + 1 : number + 1] = [f"final_location: {location}", f"article: {article}"]
            break
    return "\n".join(lines)


def _blocks(before: list[str], html: list[str], *, followed: bool) -> list[str]:
    """Figure blocks with the blank lines around them that Markdown needs."""
    lead = [""] if before and before[-1].strip() else []
    return lead + "\n\n".join(html).split("\n") + ([""] if followed else [])
