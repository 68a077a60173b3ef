"""A small bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = QColor("#4a78c2")
AXIS_COLOUR = QColor("#888888")


class BarChart(QWidget):
    """Vertical bars with a label under each and the value above it.

    ``value_format`` is a ``str.format`` template for the value text, e.g. "{:.0%}".
    ``max_value`` fixes the top of the scale (1.0 for shares); None scales to the data.
    ``empty_text`` is drawn in place of bars when there are none.
    """

    def __init__(
        self,
        title: str,
        bars: list[tuple[str, float]],
        *,
        value_format: str = "{:.1f}",
        max_value: float | None = None,
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.bars = bars
        self.value_format = value_format
        self.max_value = max_value
        self.empty_text = empty_text
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(max(320, 60 * len(self.bars)), 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        painter.drawText(area, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter, self.title)
        if not self.bars:
            painter.setPen(AXIS_COLOUR)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area.adjusted(0, line * 2, 0, 0), flags, self.empty_text)
            painter.end()
            return

        plot = area.adjusted(0, line * 2.2, 0, -line * 1.6)
        top = self.max_value or max(value for _, value in self.bars) or 1.0
        painter.setPen(AXIS_COLOUR)
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

        slot = plot.width() / len(self.bars)
        bar_width = max(4.0, min(slot * 0.6, 80.0))
        for index, (label, value) in enumerate(self.bars):
            height = plot.height() * max(0.0, min(value / top, 1.0))
            left = plot.left() + slot * index + (slot - bar_width) / 2
            bar = QRectF(left, plot.bottom() - height, bar_width, height)
            painter.fillRect(bar, BAR_COLOUR)
            painter.setPen(Qt.GlobalColor.black)
            value_box = QRectF(plot.left() + slot * index, bar.top() - line, slot, line)
            painter.drawText(value_box, Qt.AlignmentFlag.AlignCenter, self.value_format.format(value))
            label_box = QRectF(plot.left() + slot * index, plot.bottom() + 2, slot, line * 1.5)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, elided)
        painter.end()
