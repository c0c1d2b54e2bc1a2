"""Whitespace/punctuation tokeniser of the Prodigy stand-in (no spaCy): tokens carry text, start, end, id, ws."""
import re

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")


def tokenize(text):
    tokens = []
    for index, match in enumerate(_TOKEN.finditer(text)):
        end = match.end()
        tokens.append({"text": match.group(), "start": match.start(), "end": end, "id": index,
                       "ws": end < len(text) and text[end].isspace()})
    return tokens


def align_spans(spans, tokens):
    """Add token_start/token_end to character spans that line up with token boundaries."""
    starts = {t["start"]: t["id"] for t in tokens}
    ends = {t["end"]: t["id"] for t in tokens}
    for span in spans:
        if isinstance(span, dict) and "token_start" not in span and span.get("start") in starts and span.get("end") in ends:
            span["token_start"] = starts[span["start"]]
            span["token_end"] = ends[span["end"]]
    return spans
