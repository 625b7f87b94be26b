"""Performance: indicators, the trust's monthly returns and the analytics shown on dashboards."""
