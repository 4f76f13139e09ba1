"""Bar charts drawn on the server as SVG, from the same numbers as the table beside them.

Drawn here rather than by a script in the browser so the admin and the PDF report show
the same chart and nothing is fetched from elsewhere.
"""

from django.template.loader import render_to_string

ROW_GAP = 10
BAR_HEIGHT = 14
LABEL_WIDTH = 250
BAR_AREA = 300
VALUE_WIDTH = 70
COLOURS = ["#1f5f8b", "#9cb8cf", "#c4622d"]


def bar_chart(title, rows, series):
    """Horizontal bars: rows are (label, [one value per series]); series are their names.

    Each bar is scaled to the largest value in the chart; a value of None draws no bar.
    """
    largest = max([value or 0 for _label, values in rows for value in values] + [1])
    row_height = BAR_HEIGHT * len(series) + ROW_GAP
    legend_height = 22 if len(series) > 1 else 0
    groups = []
    for index, (label, values) in enumerate(rows):
        top = legend_height + index * row_height
        bars = [
            {
                "y": top + position * BAR_HEIGHT,
                "width": round(BAR_AREA * (value or 0) / largest, 1),
                "value": value,
                "colour": COLOURS[position % len(COLOURS)],
            }
            for position, value in enumerate(values)
        ]
        groups.append({"label": label, "label_y": top + BAR_HEIGHT * len(series) / 2 + 4, "bars": bars})
    return render_to_string(
        "plan/chart.svg",
        {
            "title": title,
            "groups": groups,
            "legend": [{"name": name, "colour": COLOURS[i % len(COLOURS)], "x": LABEL_WIDTH + i * 130} for i, name in enumerate(series)],
            "width": LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
            "height": legend_height + len(rows) * row_height,
            "bar_x": LABEL_WIDTH,
            "value_gap": 4,
            "bar_height": BAR_HEIGHT - 2,
        },
    )
