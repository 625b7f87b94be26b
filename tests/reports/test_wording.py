"""Small pieces of a summary's wording."""

import pytest

from monitoring.reports.template_helpers import sentence_part


@pytest.mark.parametrize(
    ("reason", "after_because"),
    [
        ("The inspection took place during the timetable", "the inspection took place during the timetable"),
        ("Ofsted's inspection collides with it", "Ofsted's inspection collides with it"),  # a name stays
        ("DfE asked for more time", "DfE asked for more time"),  # an acronym stays
        ("the inspection collides with it", "the inspection collides with it"),
        ("", ""),
    ],
)
def test_a_reason_reads_on_after_because(reason, after_because):
    assert sentence_part(reason) == after_because
