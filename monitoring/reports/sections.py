"""The sections of a scrutiny summary: one registry, filled by the areas that own the data.

Each section has a key, a title, its place in the document (`order`, following the seed's
order), a template partial, and a provider: a function (contract, period) returning data that
JSON can hold, or None to leave the section out. Publishing stores that data with the version,
so a published summary never changes when the records behind it do. docs/reports.md explains
how the performance, finance and meetings areas add theirs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Provider = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class NarrativeField:
    """An editable block of text in a narrative section, with the drafts offered for it."""

    key: str
    label: str
    hint: str = ""
    # Functions (contract, period) -> str | None that suggest a first text (e.g. from the analytics).
    drafters: list[Provider] = field(default_factory=list, compare=False)


@dataclass(frozen=True)
class SummarySection:
    key: str
    title: str
    order: int
    template: str
    provide: Provider | None = None
    # Narrative sections hold text the commissioner edits instead of data from a provider.
    fields: tuple[NarrativeField, ...] = ()

    @property
    def is_narrative(self) -> bool:
        return bool(self.fields)


SUMMARY_SECTIONS: dict[str, SummarySection] = {}

# Modules that register sections when imported. Areas add theirs here (one line each).
SECTION_MODULES: list[str] = [
    "monitoring.reports.narrative_sections",
    "monitoring.reports.contract_sections",
    "monitoring.reports.governance_sections",
    "monitoring.performance.summary_sections",
    "monitoring.finance.summary_sections",
]


def register_section(section: SummarySection, *, replace: bool = False) -> SummarySection:
    """Add a section; `replace=True` lets an area take over a key (finance's full risk share, say)."""
    if section.key in SUMMARY_SECTIONS and not replace:
        raise ValueError(f"a summary section called {section.key!r} is already registered")
    if section.provide is None and not section.fields:
        raise ValueError(f"section {section.key!r} needs a provider or narrative fields")
    SUMMARY_SECTIONS[section.key] = section
    return section


def add_drafter(field_key: str, drafter: Provider) -> None:
    """Offer a first text for a narrative field (e.g. performance drafting "what is going well")."""
    for section in SUMMARY_SECTIONS.values():
        for narrative_field in section.fields:
            if narrative_field.key == field_key:
                narrative_field.drafters.append(drafter)
                return
    raise KeyError(f"no narrative field called {field_key!r}")


def load_sections() -> list[SummarySection]:
    """Every registered section, in document order."""
    for module in SECTION_MODULES:
        importlib.import_module(module)
    return sorted(SUMMARY_SECTIONS.values(), key=lambda s: (s.order, s.key))


def narrative_fields() -> list[NarrativeField]:
    return [f for section in load_sections() for f in section.fields]
