"""Monthly returns from the trust: the workflow KPI and finance returns share (draft, submitted,
queried, resubmitted, accepted), revisions, queries and lateness."""
