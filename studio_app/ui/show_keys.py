"""The show desk's keys and buttons: every entry of the studio's key table
(:data:`studio_app.studio.keys.DESK_KEYS`) as a QAction in menu "Show", its button wired to
it, and what the desk adds from its screen (the selected card, coupon or segment)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from studio_app.studio.actions import ActionResult
from studio_app.studio.keys import DESK_KEYS, KeyBinding
from studio_app.ui.show_desk_layout import ShowDeskLayout

GO_GUARD_S = 0.5  # double-press protection on the GO key/button


class ShowDeskKeys(ShowDeskLayout):
    """Keys of a ShowDeskPanel (which provides dispatch, the selections and the commands)."""

    def _labels(self) -> dict[str, str]:
        labels = {
            "go": self.tr("GO (start / next segment)"), "back": self.tr("Back (previous segment)"),
            "jump": self.tr("Jump to the selected segment"), "toggle_hold": self.tr("Hold / resume"),
            "add_30": self.tr("+30 s on the segment"), "sub_30": self.tr("−30 s on the segment"),
            "add_60": self.tr("+1 min on the segment"), "sub_60": self.tr("−1 min on the segment"), "end_show": self.tr("End the show"),
            "push": self.tr("Push the selected card (讲解)"), "card_stop": self.tr("Stop explaining"),
            "shelve": self.tr("Shelve the selected card (上架)"), "unshelve": self.tr("Unshelve the selected card (下架)"),
            "sold_out": self.tr("Mark the selected card sold out"), "stock_plus1": self.tr("Stock +1"),
            "stock_minus1": self.tr("Stock −1"), "stock_plus10": self.tr("Stock +10"), "stock_minus10": self.tr("Stock −10"),
            "freeze": self.tr("Freeze / unfreeze core stock"),
            "coupon_drop_now": self.tr("Drop the selected (or next) coupon / flash sale now"),
            "coupon_delay": self.tr("Delay the selected (or next) drop by 1 min"),
            "coupon_cancel": self.tr("Cancel the selected (or next) drop"),
            "coupon_confirm": self.tr("Confirm dropped on the platform"), "coupons_pause": self.tr("Pause / resume all drops"),
            "message": self.tr("Write a message to the anchor"), "message_blink": self.tr("Message blink on/off"),
            "message_blackout": self.tr("Message blackout on/off"), "message_hide": self.tr("Hide the message"),
            "override": self.tr("Override compliance findings…"), "editor": self.tr("Edit rundown…"), "open": self.tr("Open show…"),
        }
        for n in range(1, 10):
            labels[f"push_{n}"] = self.tr("Push product {0} of the segment").format(n)
        return labels

    def _make_actions(self) -> None:
        """Every key of the desk's table: a QAction in menu "Show"; the buttons trigger them."""
        buttons = {"go": self.go_button, "back": self.back_button, "toggle_hold": self.hold_button,
                   "add_60": self.plus_button, "sub_60": self.minus_button, "end_show": self.end_button,
                   "push": self.card_buttons["push"], "card_stop": self.card_buttons["stop"],
                   "shelve": self.card_buttons["shelve"], "unshelve": self.card_buttons["unshelve"],
                   "sold_out": self.card_buttons["sold_out"], "stock_plus1": self.card_buttons["plus1"],
                   "stock_minus1": self.card_buttons["minus1"], "stock_plus10": self.card_buttons["plus10"],
                   "stock_minus10": self.card_buttons["minus10"], "freeze": self.card_buttons["freeze"],
                   "coupon_drop_now": self.drop_buttons["drop"], "coupon_delay": self.drop_buttons["delay"],
                   "coupon_cancel": self.drop_buttons["cancel"], "coupon_confirm": self.drop_buttons["confirm"],
                   "coupons_pause": self.drop_buttons["pause"]}
        sections = {"push_1", "coupon_drop_now", "message", "override"}
        labels = self._labels()
        for binding in DESK_KEYS:
            if binding.id in sections:
                self.menu.addSeparator()
            act = QAction(labels[binding.id], self)
            seqs = [QKeySequence(k) for k in binding.keys]
            act.setShortcuts(seqs)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _checked=False, b=binding: self.trigger(b))
            self.addAction(act)
            self.menu.addAction(act)
            self.actions[binding.id] = act
            button = buttons.get(binding.id)
            if button is not None:
                button.clicked.connect(act.trigger)
                button.setToolTip(f"{labels[binding.id]}  [{seqs[0].toString(QKeySequence.SequenceFormat.NativeText)}]")

    def trigger(self, b: KeyBinding) -> ActionResult | None:
        """A key or button: the desk adds what is selected on screen, then dispatches."""
        commands = {"go": self.press_go, "message": self._focus_message, "override": self.ask_override,
                    "editor": self.open_editor, "open": self.ask_open, "message_hide": self.hide_message,
                    "end_show": self.ask_end}
        if b.id in commands:
            return commands[b.id]()
        args = dict(b.args)
        state = self.studio.state()
        if b.needs == "card":
            sku = self.selected_sku()
            if sku is None:
                return self._refuse_local(b.action, self.tr("select a product card first"))
            args["sku"] = sku
            if b.id == "freeze":
                args["frozen"] = not next((c.frozen for c in state.cards if c.sku == sku), False)
        elif b.needs == "item":
            args["id"] = self.selected_item()
        elif b.needs == "segment":
            rows = self.cue_table.selectionModel().selectedRows()
            if not rows:
                return self._refuse_local(b.action, self.tr("select a segment in the rundown first"))
            args["segment"] = str(rows[0].row() + 1)
        if b.id == "coupons_pause":
            args["on"] = not state.coupons_paused
        if b.id in ("message_blink", "message_blackout") and not state.message.visible:
            (self.blink_box if b.id == "message_blink" else self.blackout_box).toggle()  # for the next message
            return None
        return self.dispatch(b.action, **args)

    def press_go(self) -> ActionResult:
        """GO from a key or the button; a bounced second press within GO_GUARD_S is ignored."""
        result = self.studio.guarded_go(GO_GUARD_S)
        if result.data.get("ignored"):
            self._status(self.tr("GO ignored: pressed twice within {0} s").format(GO_GUARD_S))
            return result
        return self._shown(result)

