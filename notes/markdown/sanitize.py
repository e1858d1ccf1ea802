"""Model output is Markdown, not HTML: what it may not put in an article, found and defused.

Pure text. Outside code (fenced and indented blocks, code spans, front matter):

- raw HTML is escaped (`<` becomes `&lt;`, so it shows as text), except the figure form
  voicenotes places and the author's KB holds: `<figure>` with `<img src="KB image">`,
  `<figcaption>`, and in it a `<video>`/`<source>` of the KB, `<p>`, `<a href="http(s)">`,
  `<em>`, `<strong>`, `<code>`; and `<br>` anywhere; HTML comments are inert and stay. A tag
  with an attribute other than the plain ones (`on…`, `style`, `srcset`…) or a link attribute
  that breaks the rules below is raw HTML;
- a link whose scheme is not http, https or mailto (`javascript:`, `data:`, `file:`…) is
  unlinked: its text stays, the destination goes;
- a link into the KB must resolve, from the article's folder, to a document, note, image,
  audio or video of the KB (`exists`): never an absolute or `~` path, nothing outside the
  KB, nothing hidden (`.env`, `.git`, `.voicenotes`); otherwise it is unlinked;
- a remote image (`![x](https://…)`, `<img src="https://…">`) is not embedded: its alt text
  stays.

`sanitize` returns the defused text and what it found. `findings` only finds, for `check` on
what the author wrote: there inert HTML (`<span>`, `<details>`, a KB `<img>`…) is his to use
and only active HTML is reported (`<script>`, `<iframe>`, `<object>`, `<embed>`, `<style>`,
forms, `<meta>`/`<base>`, `<svg>`, an `on…` or `style` attribute), with every link rule
above; a link to a missing file is left to check's own broken-link finding.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from notes.markdown import parser

RAW_HTML = "raw HTML"
UNSAFE_LINK = "unsafe link"
KB_LINK = "link outside the KB's files"
REMOTE_IMAGE = "remote image"

Exists = Callable[[str], bool]
"""Whether a KB path (`assets/images/x.jpg`) names a file of the KB."""

IMAGES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")
MEDIA = (".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav", ".mp4", ".mov", ".webm")
DOCUMENTS = (".md", ".txt", ".pdf")
WEB_SCHEMES = ("http", "https")

_FIGURE_TAGS = frozenset(
    {"figure", "img", "figcaption", "video", "source", "p", "a", "em", "strong", "code", "br"}
)
_PLAIN_ATTRIBUTES = frozenset(
    {"src", "href", "alt", "title", "width", "height", "controls", "type", "loading"}
)
_ACTIVE_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
        "meta", "base", "form", "input", "button", "textarea", "select", "svg", "math",
        "template", "portal",
    }
)  # fmt: skip
_ACTIVE_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "srcset"})
_EMBEDDING = frozenset({"img", "video", "audio", "source", "track", "picture"})
_HTML = re.compile(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[\s/][^<>]*)?)>|<[!?][^<>]*>", re.DOTALL
)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"((?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?)\s*\)"
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}):([^<>\s]*)>")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*(<[^<>\n]*>|\S+)", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)
"""A code span: never across a blank line, as a span cannot leave its paragraph."""
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PROSE = re.compile(
    "|".join(f"(?P<{name}>{rx.pattern})" for name, rx in (("link", _LINK), ("auto", _AUTOLINK)))
)


@dataclass(frozen=True)
class Finding:
    """One thing an article may not hold: its kind, 1-based line, and the text as written."""

    kind: str
    line: int
    text: str

    @property
    def message(self) -> str:
        shown = " ".join(self.text.split())
        return f"{self.kind}: {shown[:80]}{'…' if len(shown) > 80 else ''}"


def sanitize(text: str, path: str, exists: Exists) -> tuple[str, list[Finding]]:
    """`text` (Markdown of the article at KB path `path`) with every rule of the module
    applied, and what was found; text that breaks no rule comes back byte for byte."""
    return _Scan(text, path, exists, strict=True).run()


def findings(text: str, path: str) -> list[Finding]:
    """What in the author's `text` breaks the rules (inert HTML is his; see the module)."""
    return _Scan(text, path, lambda _rel: True, strict=False).run()[1]


def link_problem(destination: str, path: str, exists: Exists, *, image: bool) -> str | None:
    """The finding kind a link (or, with `image`, an embedded image) from the article at KB
    path `path` to `destination` breaks; None when it is fine."""
    target = destination.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    if not target or target.startswith("#"):
        return None
    scheme = _SCHEME.match(target)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name in WEB_SCHEMES:
            return REMOTE_IMAGE if image else None
        return UNSAFE_LINK if image or name != "mailto" else None
    if target.startswith("//"):
        return REMOTE_IMAGE if image else None
    local = unquote(urlsplit(target).path)
    if not local:
        return None
    if local.startswith(("/", "~", "\\")):
        return KB_LINK
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), local))
    parts = resolved.split("/")
    if parts[0] == ".." or any(part.startswith(".") for part in parts):
        return KB_LINK
    if not image and (local.endswith("/") or posixpath.basename(local) in (".", "..")):
        return None if exists(resolved) else KB_LINK  # a folder of the KB
    kinds = IMAGES + MEDIA if image else DOCUMENTS + IMAGES + MEDIA
    if not resolved.lower().endswith(kinds) or not exists(resolved):
        return KB_LINK
    return None


class _Scan:
    """One pass over a text: prose ranges, then each HTML tag and link in them, in order."""

    def __init__(self, text: str, path: str, exists: Exists, *, strict: bool) -> None:
        self.text, self.path, self.exists, self.strict = text, path, exists, strict
        self.found: list[Finding] = []
        self.edits: list[tuple[int, int, str]] = []
        self.in_figure = False
        self.breaks = [i for i, char in enumerate(text) if char == "\n"]

    def run(self, *, inline: bool = False) -> tuple[str, list[Finding]]:
        """Apply the rules; `inline`: the text is one span of inline Markdown (a link's text)."""
        for start, end in _prose(self.text, inline=inline):
            self._html(start, end)
            self._links(start, end)
            self._definitions(start, end)
        self.found.sort(key=lambda finding: finding.line)
        out: list[str] = []
        last = 0
        for start, end, new in sorted(self.edits):
            if start < last:
                continue
            out += [self.text[last:start], new]
            last = end
        return "".join(out) + self.text[last:], self.found

    def _find(self, kind: str, start: int, end: int) -> None:
        line = bisect.bisect_right(self.breaks, start) + 1
        self.found.append(Finding(kind, line, self.text[start:end]))

    def _html(self, start: int, end: int) -> None:
        for match in _HTML.finditer(self.text, start, end):
            if match.group().startswith("<!--"):
                continue
            kind = self._tag_problem(match)
            if kind is not None:
                if not match.group(1):  # a closing tag is defused, not reported again
                    self._find(kind, match.start(), match.end())
                self.edits.append((match.start(), match.start() + 1, "&lt;"))

    def _tag_problem(self, match: re.Match[str]) -> str | None:
        closing, name, attributes = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if name == "figure":
            self.in_figure = not closing
        placed = name in ("figure", "br") or (self.in_figure and name in _FIGURE_TAGS)
        if not name or name in _ACTIVE_TAGS or (self.strict and not placed):
            return RAW_HTML
        pairs = [(key.lower(), value) for key, value in _ATTRIBUTE.findall(attributes or "")]
        for key, _ in pairs:
            active = key.startswith("on") or key in _ACTIVE_ATTRIBUTES
            if active or (self.strict and key not in _PLAIN_ATTRIBUTES):
                return RAW_HTML
        for key, value in pairs:
            if key in ("src", "href"):
                link = value.strip("\"'")
                kind = link_problem(link, self.path, self.exists, image=name in _EMBEDDING)
                if kind is not None:
                    return kind
        return None

    def _links(self, start: int, end: int) -> None:
        for match in _PROSE.finditer(self.text, start, end):
            if match.group("auto") is not None:
                scheme = match.group(_AUTOLINK_SCHEME).lower()
                if scheme not in WEB_SCHEMES and scheme != "mailto":
                    self._find(UNSAFE_LINK, match.start(), match.end())
                    self.edits.append((match.start(), match.end(), match.group()[1:-1]))
                continue
            self._link(match)

    def _link(self, match: re.Match[str]) -> None:
        bang, label, destination = match.group(2), match.group(3), match.group(4)
        image = bang == "!"
        kind = link_problem(destination, self.path, self.exists, image=image)
        if kind is None:
            return
        self._find(kind, match.start(), match.end())
        inner = label
        if not image:
            inner = _Scan(label, self.path, self.exists, strict=True).run(inline=True)[0]
        self.edits.append((match.start(), match.end(), inner))

    def _definitions(self, start: int, end: int) -> None:
        for match in _DEFINITION.finditer(self.text, start, end):
            kind = link_problem(match.group(2), self.path, self.exists, image=False)
            if kind is not None:
                self._find(kind, match.start(), match.end())
                self.edits.append((match.start(), match.end(), ""))


_AUTOLINK_SCHEME = _PROSE.groupindex["auto"] + 1


def _prose(text: str, *, inline: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of the parts of `text` outside code blocks, code spans and front matter."""
    lines = parser.Lines(text)
    code: set[int] = set()
    for token in [] if inline else parser.parse(text):
        if token.type in ("fence", "code_block", "front_matter") and token.map is not None:
            code.update(range(*token.map))
    number = 0
    while number < len(lines):
        if number in code:
            number += 1
            continue
        first = number
        while number < len(lines) and number not in code:
            number += 1
        start, end = lines.starts[first], lines.ends[number - 1]
        cursor = start
        for span in _CODE_SPAN.finditer(text, start, end):
            yield cursor, span.start()
            cursor = span.end()
        yield cursor, end
