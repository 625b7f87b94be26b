"""Narrative text as a commissioner types it, turned into paragraphs and lists (never into HTML)."""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*[-*•]\s+")


def narrative_blocks(text: str | None) -> list[dict]:
    """Split text into blocks: paragraphs separated by blank lines; lines starting "- " form a list.

    The template escapes every word, so nothing a person types can become markup.
    """
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for line in chunk.split("\n"):
            if _BULLET.match(line):
                if paragraph:
                    blocks.append({"kind": "paragraph", "text": " ".join(paragraph)})
                    paragraph = []
                items.append(_BULLET.sub("", line).strip())
            elif items and line.startswith((" ", "\t")) and line.strip():
                items[-1] += " " + line.strip()  # a wrapped list item
            elif line.strip():
                if items:
                    blocks.append({"kind": "list", "items": items})
                    items = []
                paragraph.append(line.strip())
        if paragraph:
            blocks.append({"kind": "paragraph", "text": " ".join(paragraph)})
        if items:
            blocks.append({"kind": "list", "items": items})
    return blocks
