"""The editable narrative of a summary: executive summary, recommendations, going well / needs improvement.

Each field starts from a drafted text (the defaults below, and any the other areas add with
`add_drafter`, such as performance naming the measures that are green or red); the commissioner
edits it before sending the summary for approval.
"""

from __future__ import annotations

from typing import Any

from monitoring.reports.periods import months_covered, period_title
from monitoring.reports.sections import NarrativeField, SummarySection, register_section


def _executive_summary(contract: Any, period: Any) -> str:
    return (
        f"This report summarises how {contract.trust.name} performed under its contract with "
        f"{contract.council.name} in {period_title(period)} ({months_covered(period)}), and the business "
        "of the meetings at which the council held the trust to account during that time."
    )


def _recommendations(contract: Any, period: Any) -> str:
    return "\n".join(
        [
            "The Panel is asked to:",
            "- note what this report says;",
            "- discuss with the Director the outcomes of the quarterly performance monitoring meeting "
            "and what happens next;",
            f"- use this report, and what the Director tells it, to understand how {contract.trust.name} is improving.",
        ]
    )


register_section(
    SummarySection(
        key="executive_summary",
        title="Executive summary",
        order=10,
        template="reports/sections/narrative.html",
        fields=(
            NarrativeField(
                "executive_summary",
                "Executive summary",
                "What the report covers and the one or two things the panel most needs to know.",
                [_executive_summary],
            ),
        ),
    )
)

register_section(
    SummarySection(
        key="recommendations",
        title="Recommendations",
        order=20,
        template="reports/sections/narrative.html",
        fields=(
            NarrativeField(
                "recommendations",
                "Recommendations",
                "What the panel is asked to do. Start a line with a dash (-) to make a list.",
                [_recommendations],
            ),
        ),
    )
)

register_section(
    SummarySection(
        key="highlights",
        title="Performance: what is going well and what needs to improve",
        order=40,
        template="reports/sections/narrative.html",
        fields=(
            NarrativeField(
                "going_well",
                "What is going well",
                "Measures and services performing consistently well. Start a line with a dash (-) to make a list.",
            ),
            NarrativeField(
                "needs_improvement",
                "What needs to improve",
                "Areas still monitored closely, and what is being done about them.",
            ),
        ),
    )
)
