"""Bar charts drawn on the server from the same numbers as the table beside them.

The bars are SVG shapes and every word and number is HTML around them, so Thai labels are
shaped by the browser or by the PDF renderer's text engine (WeasyPrint's SVG text is not),
and nothing is fetched from elsewhere.
"""

from django.template.loader import render_to_string

BAR_AREA = 260
BAR_HEIGHT = 10
BAR_GAP = 2
COLOURS = ["#1f5f8b", "#9cb8cf", "#c4622d"]


def bar_chart(title, rows, series, largest=None):
    """Horizontal bars: rows are (label, [one value per series]); series are their names.

    Bars are scaled to `largest` (by default the largest value in the chart); None draws none.
    """
    largest = largest or max([value or 0 for _label, values in rows for value in values] + [1])
    groups = [
        {
            "label": label,
            "height": len(values) * (BAR_HEIGHT + BAR_GAP),
            "bars": [
                {
                    "y": position * (BAR_HEIGHT + BAR_GAP),
                    "width": round(BAR_AREA * min(float(value or 0), float(largest)) / float(largest), 1),
                    "value": value,
                    "colour": COLOURS[position % len(COLOURS)],
                }
                for position, value in enumerate(values)
            ],
        }
        for label, values in rows
    ]
    legend = [{"name": name, "colour": COLOURS[i % len(COLOURS)]} for i, name in enumerate(series)]
    return render_to_string(
        "plan/chart.html",
        {"title": title, "groups": groups, "legend": legend, "bar_area": BAR_AREA, "bar_height": BAR_HEIGHT},
    )
