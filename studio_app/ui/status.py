"""Device state in the status bar and the devices overview: a coloured dot, a name, a word."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from studio_app.core.devices import DeviceState, DeviceStatus, Level
from studio_app.ui.event_text import detail_text
from studio_app.ui.theme import COLORS


def device_title(device: str) -> str:
    names = {
        "camera": QCoreApplication.translate("Devices", "Camera"),
        "mic": QCoreApplication.translate("Devices", "Microphone"),
        "obs": QCoreApplication.translate("Devices", "OBS"),
        "database": QCoreApplication.translate("Devices", "Event log"),
    }
    return names.get(device, device)


def state_text(status: DeviceStatus) -> str:
    """The typed state in the operator's language (the camera's lost picture is NO SIGNAL)."""
    if status.device == "camera" and status.state in (DeviceState.LOST, DeviceState.STALLED):
        return QCoreApplication.translate("Devices", "no signal")
    return {
        DeviceState.STOPPED: QCoreApplication.translate("Devices", "stopped"),
        DeviceState.CONNECTING: QCoreApplication.translate("Devices", "connecting"),
        DeviceState.OK: QCoreApplication.translate("Devices", "ok"),
        DeviceState.TEST_SIGNAL: QCoreApplication.translate("Devices", "test signal"),
        DeviceState.DEGRADED: QCoreApplication.translate("Devices", "degraded"),
        DeviceState.DEAD_AIR: QCoreApplication.translate("Devices", "dead air"),
        DeviceState.BLACK: QCoreApplication.translate("Devices", "black picture"),
        DeviceState.PICTURE_FROZEN: QCoreApplication.translate("Devices", "picture frozen"),
        DeviceState.LOST: QCoreApplication.translate("Devices", "lost"),
        DeviceState.STALLED: QCoreApplication.translate("Devices", "stalled"),
        DeviceState.FROZEN: QCoreApplication.translate("Devices", "not responding"),
        DeviceState.UNREACHABLE: QCoreApplication.translate("Devices", "unreachable"),
        DeviceState.AUTH_FAILED: QCoreApplication.translate("Devices", "wrong password"),
        DeviceState.UNSUPPORTED: QCoreApplication.translate("Devices", "unsupported version"),
    }[status.state]


def level_text(level: Level) -> str:
    return {
        Level.IDLE: QCoreApplication.translate("Devices", "not started"),
        Level.OK: QCoreApplication.translate("Devices", "OK"),
        Level.TEST: QCoreApplication.translate("Devices", "TEST SOURCE"),
        Level.WARNING: QCoreApplication.translate("Devices", "warning"),
        Level.ERROR: QCoreApplication.translate("Devices", "fault"),
    }[level]


class Dot(QWidget):
    def __init__(self, diameter: int = 10, parent=None) -> None:
        super().__init__(parent)
        self._color = QColor(COLORS["idle"])
        self._d = diameter
        self.setFixedSize(QSize(diameter + 2, diameter + 2))

    def set_level(self, level: Level) -> None:
        self._color = QColor(COLORS[level.value])
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._color)
        p.drawEllipse(1, 1, self._d, self._d)


class DeviceIndicator(QWidget):
    """Compact form for the status bar."""

    def __init__(self, device: str, parent=None) -> None:
        super().__init__(parent)
        self.device = device
        self.setObjectName(f"indicator-{device}")
        self.dot = Dot(10)
        self.label = QLabel()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(5)
        lay.addWidget(self.dot)
        lay.addWidget(self.label)
        self.show_status(None)

    def show_status(self, status: DeviceStatus | None) -> None:
        level = status.level if status else Level.IDLE
        word = state_text(status) if status else level_text(Level.IDLE)
        self.dot.set_level(level)
        self.label.setText(f"{device_title(self.device)}: {word}")
        self.setToolTip(detail_text(status.detail) if status and status.detail else word)


class DeviceCard(QFrame):
    """Large form for the devices overview: readable across the desk."""

    def __init__(self, device: str, parent=None) -> None:
        super().__init__(parent)
        self.device = device
        self.setObjectName(f"card-{device}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.dot = Dot(18)
        self.title = QLabel(device_title(device))
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.state = QLabel()
        sf = self.state.font()
        sf.setPointSizeF(sf.pointSizeF() * 1.6)
        sf.setBold(True)
        self.state.setFont(sf)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.dot)
        head.addWidget(self.title, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.state)
        lay.addWidget(self.detail)
        lay.addStretch(1)
        self.show_status(None)

    def show_status(self, status: DeviceStatus | None) -> None:
        level = status.level if status else Level.IDLE
        self.dot.set_level(level)
        self.state.setText(state_text(status).upper() if status else level_text(Level.IDLE))
        self.state.setStyleSheet(f"color: {COLORS[level.value]};")
        self.detail.setText(detail_text(status.detail) if status else self.tr("No worker has reported yet."))


class DevicesOverview(QWidget):
    def __init__(self, devices: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("DevicesOverview")
        self.cards = {d: DeviceCard(d) for d in devices}
        grid = QGridLayout(self)
        for i, d in enumerate(devices):
            grid.addWidget(self.cards[d], i // 2, i % 2)

    def show_status(self, status: DeviceStatus) -> None:
        card = self.cards.get(status.device)
        if card:
            card.show_status(status)
