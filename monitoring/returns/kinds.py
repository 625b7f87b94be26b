"""What each kind of return (KPI, finance) plugs into the shared workflow.

The workflow knows statuses, revisions, queries and deadlines; a kind knows its own figures: how
to copy them into a correction, what must be present before submitting, which values can be
queried, and how its figures are shown and edited. Kinds register when their module is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitoring.returns.models import ReturnKind, ReturnRevision


@dataclass(frozen=True)
class KindSpec:
    kind: ReturnKind
    # Copy every figure of an accepted revision into a new draft (a correction starts from what was agreed).
    copy_values: Callable[[ReturnRevision, ReturnRevision], None]
    # Problems that stop a revision being submitted: {field: message naming the value}.
    problems_before_submit: Callable[[ReturnRevision], dict[str, str]]
    # The values the council can query: [(key, label)].
    query_subjects: Callable[[ReturnRevision], list[tuple[str, str]]]
    # The page where the trust edits the figures (endpoint taking contract_id and return_id).
    edit_endpoint: str
    # The partial that shows a revision's figures on the return page, and the data it needs.
    values_template: str
    values_context: Callable[[ReturnRevision], dict[str, Any]]
    # Fill the first revision of a newly opened return (finance: a copy of last month's figures); None
    # leaves it empty.
    start_values: Callable[[ReturnRevision], None] | None = None


KINDS: dict[ReturnKind, KindSpec] = {}
KIND_MODULES = ["monitoring.performance.returns", "monitoring.finance.returns"]


def register_kind(spec: KindSpec) -> KindSpec:
    KINDS[spec.kind] = spec
    return spec


def spec_for(kind: ReturnKind) -> KindSpec:
    if kind not in KINDS:
        for module in KIND_MODULES:
            importlib.import_module(module)
    return KINDS[kind]
