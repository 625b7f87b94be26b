"""Hand-built SVG charts for web pages and PDFs (WeasyPrint): `trend_chart` and `bar_chart` of `Series`.

Each chart is one `<svg class="app-chart">` with `role="img"`, a `<title>` and a `<desc>` that gives
every value in words, presentation attributes only (the Content-Security-Policy forbids inline
styles) and no scripts or external references. Values are Decimal or int, never float; None is no
data, drawn as a gap. Series are told apart without colour: by line style, fill pattern and labels.
"""

from monitoring.charts.bars import bar_chart
from monitoring.charts.series import KINDS, Series
from monitoring.charts.trend import trend_chart

__all__ = ["KINDS", "Series", "bar_chart", "trend_chart"]
