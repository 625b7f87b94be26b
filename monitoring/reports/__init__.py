"""Reports: scrutiny summaries (HTML and PDF), their approval, and scheduled delivery by email."""
