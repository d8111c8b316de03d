"""What every chart shares, on a page and on paper: its font (one a PDF renderer has too)."""

CHART_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
