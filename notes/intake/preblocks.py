"""`<pre>` blocks of a fetched page made so the extractor fences every one of them.

trafilatura fences a code block only when its text holds a line break: a one-line
`<pre><code>` comes out as inline code run into the next paragraph, and a `<pre>` without
`<code>` as a plain paragraph. A `<pre>` is a block of preformatted text whatever its length,
so before extraction each becomes one `<code>` holding the block's text, ending with a line
break.
"""

from __future__ import annotations

from lxml.html import HtmlElement


def fence_pre_blocks(tree: HtmlElement) -> HtmlElement:
    """`tree` with every `<pre>` holding only a `<code>` of its text (changed in place).

    The characters of the block are kept as the page has them, `<br>` read as a line break;
    markup inside (a highlighter's `<span>`s, bold, links) is dropped, as a Markdown code
    block cannot hold it. The extractor trims the added final break inside the fence."""
    for pre in list(tree.iter("pre")):
        if any(ancestor.tag == "pre" for ancestor in pre.iterancestors()):
            continue  # the outer block holds its text already
        text = _text_of(pre)
        if not text.endswith("\n"):
            text += "\n"
        tail, attributes = pre.tail, dict(pre.attrib)
        pre.clear()
        pre.attrib.update(attributes)
        pre.tail = tail
        code = pre.makeelement("code", {})
        code.text = text
        pre.append(code)
    return tree


def _text_of(element: HtmlElement) -> str:
    """The element's text with each `<br>` as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "br" else _text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)
