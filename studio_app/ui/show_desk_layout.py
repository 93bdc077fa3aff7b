"""The show desk's widgets (layout only): header clocks, transport with GO, the rundown,
product cards, the coupon and flash-sale timeline and the message box. The behaviour is
:class:`studio_app.ui.show_desk.ShowDeskPanel`'s, which draws the studio's snapshot here."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from studio_app.ui.layout import scrolling_column
from studio_app.ui.show_tables import CueListModel


class ShowDeskLayout(QWidget):
    """Builds the desk's widgets as attributes; subclasses connect the behaviour."""

    def _build(self) -> None:
        # Scrollable: a small screen gets scroll bars instead of a window wider than the screen.
        root = scrolling_column(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(6)

        self.error_banner = QLabel()
        self.error_banner.setObjectName("Banner")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        root.addWidget(self.error_banner)

        self.findings_bar = QFrame()
        self.findings_bar.setObjectName("FindingsBar")
        fb = QHBoxLayout(self.findings_bar)
        fb.setContentsMargins(8, 4, 8, 4)
        self.findings_label = QLabel()
        self.findings_label.setWordWrap(True)
        self.override_button = QPushButton(self.tr("Override…"))
        self.override_button.clicked.connect(self.ask_override)
        self.editor_button = QPushButton(self.tr("Edit rundown…"))
        self.editor_button.clicked.connect(self.open_editor)
        fb.addWidget(self.findings_label, 1)
        fb.addWidget(self.editor_button)
        fb.addWidget(self.override_button)
        self.findings_bar.hide()
        root.addWidget(self.findings_bar)

        # -- header: clocks
        header = QFrame()
        header.setObjectName("DeskHeader")
        header.setStyleSheet("#DeskHeader { background: #181b21; border: 1px solid #2b2f38; border-radius: 6px; }")
        hl = self._header_layout = QGridLayout(header)
        hl.setContentsMargins(12, 6, 12, 6)
        left = QVBoxLayout()
        self.title_label = QLabel(self.tr("No show loaded"))
        self.title_label.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.segment_label = QLabel("")
        self.segment_label.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.next_label = QLabel("")
        self.next_label.setStyleSheet("color: #9aa0a6;")
        left.addWidget(self.title_label)
        left.addWidget(self.segment_label)
        left.addWidget(self.next_label)
        hl.addLayout(left, 0, 0)
        self.remaining_label = QLabel("--:--")
        self.remaining_label.setObjectName("SegmentRemaining")
        self.remaining_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.remaining_label.setToolTip(self.tr("Segment remaining"))
        self._remaining_style = ""
        hl.addWidget(self.remaining_label, 0, 1)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        self.clock_label = QLabel("--:--:--")
        self.elapsed_label = QLabel("00:00")
        self.over_label = QLabel("±00:00")
        self.end_label = QLabel("—")
        self.playback_label = QLabel("")
        for n, (caption, w) in enumerate(((self.tr("Clock"), self.clock_label), (self.tr("Show elapsed"), self.elapsed_label),
                                          (self.tr("Over/under"), self.over_label), (self.tr("Projected end"), self.end_label))):
            cap = QLabel(caption)
            cap.setStyleSheet("color: #9aa0a6; font-size: 11px;")
            w.setStyleSheet("font-size: 20px; font-weight: 600; font-family: monospace;")
            grid.addWidget(cap, 0, n)
            grid.addWidget(w, 1, n)
        grid.addWidget(self.playback_label, 2, 0, 1, 4)
        self._clock_grid = grid
        hl.addLayout(grid, 0, 2)
        hl.setColumnStretch(0, 3)
        hl.setColumnStretch(1, 2)
        hl.setColumnStretch(2, 3)
        self._narrow: bool | None = None
        root.addWidget(header)

        # -- transport
        transport = QHBoxLayout()
        self.go_button = QPushButton(self.tr("GO"))
        self.go_button.setObjectName("GoButton")
        self.go_button.setMinimumHeight(64)
        self.go_button.setMinimumWidth(140)
        self.go_button.setStyleSheet("#GoButton { background: #1f7a3a; color: white; font-size: 28px; font-weight: 800;"
                                     " border: 2px solid #3ddc84; border-radius: 8px; }"
                                     "#GoButton:pressed { background: #16602d; }")
        self.back_button = QPushButton(self.tr("Back"))
        self.hold_button = QPushButton(self.tr("Hold"))
        self.minus_button = QPushButton(self.tr("−1 min"))
        self.plus_button = QPushButton(self.tr("+1 min"))
        self.end_button = QPushButton(self.tr("End show"))
        transport.addWidget(self.go_button, 3)
        for b in (self.back_button, self.hold_button, self.minus_button, self.plus_button, self.end_button):
            b.setMinimumHeight(44)
            transport.addWidget(b, 1)
        root.addLayout(transport)

        # -- body: cue list | cards + timeline + message
        split = QSplitter(Qt.Orientation.Horizontal)
        self.splitter = split
        self.cue_model = CueListModel(self)
        self.cue_table = QTableView()
        self.cue_table.setObjectName("CueList")
        self.cue_table.setModel(self.cue_model)
        self.cue_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cue_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cue_table.verticalHeader().hide()
        self.cue_table.setWordWrap(False)
        # Interactive, sized on full repaints only: ResizeToContents re-measures every cell at 5 Hz.
        self.cue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.cue_table.horizontalHeader().setStretchLastSection(True)
        self.cue_table.doubleClicked.connect(lambda idx: self.dispatch("show.jump", segment=str(idx.row() + 1)))
        cue_box = QGroupBox(self.tr("Rundown"))
        cl = QVBoxLayout(cue_box)
        cl.setContentsMargins(4, 4, 4, 4)
        cl.addWidget(self.cue_table)
        self.notes_label = QLabel("")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #c9b458;")
        cl.addWidget(self.notes_label)
        left = QWidget()
        self._left_layout = QVBoxLayout(left)
        self._left_layout.setContentsMargins(0, 0, 0, 0)
        self._left_layout.addWidget(cue_box, 1)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        # cards
        cards_box = QGroupBox(self.tr("Product cards"))
        cv = QVBoxLayout(cards_box)
        cv.setContentsMargins(4, 4, 4, 4)
        self.cards_table = QTableWidget(0, 6)
        self.cards_table.setObjectName("Cards")
        self.cards_table.setHorizontalHeaderLabels([self.tr("Product"), self.tr("State"), self.tr("Live / list"),
                                                    self.tr("Stock"), self.tr("Safety"), self.tr("Frozen")])
        self._table_defaults(self.cards_table)
        self.cards_table.horizontalHeader().setStretchLastSection(False)
        self.cards_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        cv.addWidget(self.cards_table)
        crow = QGridLayout()
        crow.setSpacing(4)
        self.card_buttons: dict[str, QPushButton] = {}
        for n, (key, label) in enumerate( (("push", self.tr("Push (讲解)")), ("stop", self.tr("Stop")), ("shelve", self.tr("Shelve")),
                           ("unshelve", self.tr("Unshelve")), ("sold_out", self.tr("Sold out")), ("minus10", "−10"),
                           ("minus1", "−1"), ("plus1", "+1"), ("plus10", "+10"), ("freeze", self.tr("Freeze")))):
            b = QPushButton(label)
            b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            self.card_buttons[key] = b
            crow.addWidget(b, n // 5, n % 5)
        cv.addLayout(crow)
        right_layout.addWidget(cards_box, 3)
        # timeline
        tl_box = QGroupBox(self.tr("Coupons and flash sales"))
        tv = QVBoxLayout(tl_box)
        tv.setContentsMargins(4, 4, 4, 4)
        self.timeline = QTableWidget(0, 4)
        self.timeline.setObjectName("Timeline")
        self.timeline.setHorizontalHeaderLabels([self.tr("Countdown"), self.tr("Item"), self.tr("Status"), self.tr("When")])
        self._table_defaults(self.timeline)
        self.timeline.horizontalHeader().setStretchLastSection(False)
        self.timeline.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        tv.addWidget(self.timeline)
        trow = QHBoxLayout()
        self.drop_buttons: dict[str, QPushButton] = {}
        for key, label in (("drop", self.tr("Drop now")), ("delay", self.tr("Delay 1 min")), ("cancel", self.tr("Cancel")),
                           ("confirm", self.tr("Confirm dropped (C)")), ("pause", self.tr("Pause all"))):
            b = QPushButton(label)
            self.drop_buttons[key] = b
            trow.addWidget(b)
        tv.addLayout(trow)
        right_layout.addWidget(tl_box, 2)
        # message
        msg_box = QGroupBox(self.tr("Message to the anchor"))
        mv = QHBoxLayout(msg_box)
        mv.setContentsMargins(4, 4, 4, 4)
        self.message_edit = QLineEdit()
        self.message_edit.setPlaceholderText(self.tr("Message (Ctrl+M, Enter sends)"))
        self.message_edit.returnPressed.connect(self.send_message)
        self.blink_box = QCheckBox(self.tr("Blink"))
        self.blackout_box = QCheckBox(self.tr("Blackout"))
        self.send_button = QPushButton(self.tr("Send"))
        self.hide_button = QPushButton(self.tr("Hide"))
        self.send_button.clicked.connect(self.send_message)
        self.hide_button.clicked.connect(self.hide_message)
        for w in (self.message_edit, self.blink_box, self.blackout_box, self.send_button, self.hide_button):
            mv.addWidget(w, 1 if w is not self.message_edit else 4)
        self.message_shown = QLabel("")
        self.message_shown.setStyleSheet("color: #ffd400;")
        # Under the rundown: the right column needs its height for the cards and the timeline.
        self._left_layout.addWidget(msg_box, 0)
        self._left_layout.addWidget(self.message_shown, 0)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([640, 460])
        root.addWidget(split, 1)

        self.toast = QLabel("")
        self.toast.setObjectName("DeskToast")
        self.toast.setWordWrap(True)
        root.addWidget(self.toast)

    def resizeEvent(self, ev) -> None:  # noqa: N802
        """Narrow (a portrait monitor): the clocks go under the timer and the cards under
        the rundown, so nothing needs a horizontal scroll bar."""
        super().resizeEvent(ev)
        narrow = self.width() < 1000
        if narrow == self._narrow:
            return
        self._narrow = narrow
        hl = self._header_layout
        hl.removeItem(self._clock_grid)
        if narrow:
            hl.addLayout(self._clock_grid, 1, 0, 1, 2)
            hl.setColumnStretch(2, 0)
        else:
            hl.addLayout(self._clock_grid, 0, 2)
            hl.setColumnStretch(2, 3)
        self.splitter.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)

    @staticmethod
    def _table_defaults(t: QTableWidget) -> None:
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.verticalHeader().hide()
        t.setWordWrap(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        t.horizontalHeader().setStretchLastSection(True)
