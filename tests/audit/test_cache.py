"""Results kept until any record changes: the next request after a write, anywhere, works them out again."""

from __future__ import annotations

from monitoring.audit.cache import until_changed
from monitoring.extensions import db


def test_a_kept_result_is_worked_out_again_after_any_write(f):
    contract = f.create_contract()
    builds = []

    def build() -> str:
        builds.append(1)
        return f"built {len(builds)}"

    assert until_changed("test", contract.id, build) == "built 1"
    assert until_changed("test", contract.id, build) == "built 1"  # nothing changed: kept
    assert until_changed("test", contract.id + 1, build) == "built 2"  # another key
    contract.notes = "A write anywhere"
    db.session.flush()
    assert until_changed("test", contract.id, build) == "built 3"
