"""Plain text from whatever a person pasted: HTML tags and comments go (scripts and styles with their content),
the text between them and every Markdown mark stay (an autolink `<https://…>` keeps its address). Repeated
until nothing changes, so an escaped tag (`&lt;script&gt;`) cannot come back as a real one once unescaped."""

import html
import re

import nh3

DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea"}
AUTOLINK = re.compile(r"<(https?://[^\s<>\"']+)>")
PASSES = 5  # each pass unwraps one level of escaping; five is past any honest text


def _clean(text: str) -> str:
    return nh3.clean(AUTOLINK.sub(r"\1", text), tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)


def plain_text(text: str) -> str:
    for _ in range(PASSES):
        stripped = html.unescape(_clean(text))
        if stripped == text:
            return text
        text = stripped
    return _clean(text)  # still unwrapping: left escaped, so no tag can remain
