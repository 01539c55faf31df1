"""What a member would read wrong, whatever Slack or a PDF reader takes without complaint.

`misread` looks at a Slack surface's texts, `misread_file` at a file or a web page as people
read it. Both are told what people typed (`typed`): a person may well type `<@U0ANNA>`,
`{count}` or `*bold*`, and must then read exactly that, as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

GROUP_ZONE = ZoneInfo("Europe/Amsterdam")
SLACK_DATE = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")
FALLBACK = re.compile(r"(\d{4}-\d\d-\d\d \d\d:\d\d) \(([\w/+-]+)\)")
CLOCK = re.compile(r"\d\d:\d\d")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ESCAPED_MARKUP = re.compile(r"&lt;([!@#][^&\s]*)&gt;")
SLACK_MARKUP = re.compile(r"<([!@#][^>\s]*)>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+);")
HEDGED_PLURAL = re.compile(r"\w\((s|n|en|sen|men|ken|'s)\)")
SHORTCODE = re.compile(r"(?<![\w:]):[a-z_]+:(?![\w:])")


def texts_in(part: object) -> list[str]:
    """Every string a surface holds (text, labels, values...)."""
    if isinstance(part, str):
        return [part]
    if isinstance(part, dict):
        return [t for value in part.values() for t in texts_in(value)]
    if isinstance(part, list):
        return [t for value in part for t in texts_in(value)]
    return []


def _common(text: str, typed: str) -> list[str]:
    wrong = []
    for field in PLACEHOLDER.findall(SLACK_DATE.sub("", text)):
        if field not in typed:
            wrong.append(f"unfilled placeholder {field}: {text[:80]}")
    for hedge in HEDGED_PLURAL.finditer(text):
        if hedge.group() not in typed:
            wrong.append(f"plural in brackets '{hedge.group()}': {text[:80]}")
    return wrong


def _wrong_time(text: str, zone: ZoneInfo) -> list[str]:
    """A date Slack shows in each reader's zone, whose fallback names another moment: what
    readers see where Slack does not render dates (notifications, older clients). A fallback
    names its zone, or is a clock time in the group's `zone`."""
    wrong = []
    for stamp, fallback in SLACK_DATE.findall(text):
        moment = datetime.fromtimestamp(int(stamp), UTC)
        if shown := FALLBACK.fullmatch(fallback):
            local, expected = moment.astimezone(ZoneInfo(shown.group(2))), shown.group(1)
            said = f"{local:%Y-%m-%d %H:%M}"
        elif CLOCK.fullmatch(fallback):
            said, expected = f"{moment.astimezone(zone):%H:%M}", fallback
        else:
            wrong.append(f"a date without a readable fallback: {fallback}")
            continue
        if said != expected:
            wrong.append(f"{fallback} for {said}")
    return wrong


def misread(surface: object, typed: Sequence[str] = (), zone: ZoneInfo = GROUP_ZONE) -> list[str]:
    """In a Slack message or view: the bot's own markup shown escaped (`&lt;@U...`, a date as
    `&lt;!date...`), a placeholder nobody filled in, a plural in brackets, a date whose
    fallback is another time."""
    said = " ".join(typed)
    wrong = []
    for text in texts_in(surface):
        for token in ESCAPED_MARKUP.findall(text):
            if f"<{token}>" not in said:
                wrong.append(f"escaped markup <{token}>: {text[:80]}")
        wrong += _common(text, said)
        wrong += _wrong_time(text, zone)
    return wrong


class _Words(HTMLParser):
    """A web page's words as a browser shows them, entities read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def page_words(page: str) -> str:
    reader = _Words()
    reader.feed(page)
    reader.close()
    return "".join(reader.words)


def misread_file(text: str, typed: Sequence[str] = (), page: bool = False) -> list[str]:
    """In a file (PDF, CSV, Markdown) or, with `page`, a web page once the browser has read its
    entities: Slack's markup or entities, which mean nothing there, an emoji shortcode, a
    placeholder nobody filled in, a plural in brackets."""
    said = " ".join(typed)
    read = page_words(text) if page else text
    wrong = _common(read, said)
    for token in SLACK_MARKUP.findall(read):
        if f"<{token}>" not in said:
            wrong.append(f"Slack markup <{token}> in a file: {read[:80]}")
    for entity in ENTITY.findall(read):
        if f"&{entity};" not in said:
            wrong.append(f"&{entity}; shown as is: {read[:80]}")
    for code in SHORTCODE.findall(read):
        if code not in said:
            wrong.append(f"emoji shortcode {code} in a file")
    return wrong
