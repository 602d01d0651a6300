"""The network type's controls: organisation buttons, the list of links, the diagram."""

from __future__ import annotations

from typing import Any

from ...i18n import get_lang, t
from ..ui import esc
from ._base import Controls, guarded
from ._network_graph import diagram, network_graph, organisations


class Builder(Controls):
    """Step 1: press an organisation; step 2: press each of its partners (again to unlink).
    Every link has its own Remove button too.

    Only plain buttons, each meaning one thing: ipywidgets sends a button press as a message
    that can overtake a pending value update of another control (ipywidgets issue #252), so a
    "pick From, pick To, press Link" design could link the wrong pair while the kernel is busy
    redrawing. Here the kernel holds the state, so presses count in order. Tab + Enter do
    everything (no drop-down, whose arrow keys JupyterLab takes)."""

    def __init__(self, q: dict, frame: Any) -> None:
        import ipywidgets as W

        self.W, self.q, self.frame = W, q, frame
        self.names = {o["id"]: o["name"] for o in organisations(q)}
        self.links: list[list[str]] = []
        self.picked: str | None = None

        def buttons(on_press: Any, css: str) -> tuple[dict, W.Widget]:
            group = {}
            for oid, name in self.names.items():
                b = W.Button(description=name, layout=W.Layout(width="auto"))
                b.on_click(guarded(frame, lambda _b, oid=oid: on_press(oid)))
                group[oid] = b
            box = W.HBox(list(group.values()), layout=W.Layout(flex_flow="row wrap"))
            box.add_class(css)
            return group, box

        self.from_buttons, from_box = buttons(self.pick, "sanshe-net-from")
        self.to_buttons, to_box = buttons(self.toggle, "sanshe-net-to")
        self.links_box = W.VBox()
        self.links_box.add_class("sanshe-net-links")
        # An HTML widget whose inline SVG is replaced, not an Output that is cleared and
        # refilled: re-rendering an output area moves the keyboard focus in JupyterLab. Inline
        # SVG, not an Image: the figure's role="img", <title> and <desc> are its text
        # alternative (an ipywidgets Image can carry no alt text, and a tooltip breaks its view).
        self.drawing = W.HTML(layout=W.Layout(max_width="100%"))
        self.drawing.add_class("sanshe-net-diagram")
        self.drawing_note = W.HTML("")
        # Step 2's heading names the chosen organisation: the blue of its button is not the
        # only cue (and a screen reader hears it when tabbing into step 2).
        self.to_heading = W.HTML()
        self.sync()
        self.widget = W.VBox(
            [
                W.VBox([W.HTML(f"<b>{esc(t('quiz.net_from'))}</b>"), from_box]),
                W.VBox([self.to_heading, to_box]),
                self.links_box,
                self.drawing_note,
                self.drawing,
            ]
        )

    def get(self) -> list[list[str]]:
        return [list(p) for p in self.links]

    def set(self, answer: Any) -> None:
        self.links = [list(p) for p in answer]
        self.picked = None
        self.sync()

    def clear(self) -> None:
        self.set([])

    def pick(self, oid: str) -> None:
        self.picked = oid
        self.frame.say([])
        self.style()

    def toggle(self, oid: str) -> None:
        if self.picked is None or oid == self.picked:
            self.frame.say([t("quiz.net_pick_first" if self.picked is None else "quiz.net_same")])
            return
        pair = sorted((self.picked, oid))
        if pair in self.links:
            self.links.remove(pair)
        else:
            self.links = sorted([*self.links, pair])
        self.sync()

    def unlink(self, pair: list[str]) -> None:
        if pair in self.links:
            self.links.remove(pair)
        self.sync()

    def style(self) -> None:
        """The chosen organisation is blue; its current partners are green. Partner buttons
        are never disabled: a press reaching a button before its kernel update would be lost
        without a word; pressing the chosen organisation itself says why it is refused."""
        partners = {x for p in self.links if self.picked in p for x in p} - {self.picked}
        picked = t("quiz.net_picked", name=self.names[self.picked]) if self.picked else ""
        self.to_heading.value = f"<b>{esc(t('quiz.net_to'))}</b>{esc(picked)}"
        for oid, b in self.from_buttons.items():
            b.button_style = "info" if oid == self.picked else ""
        for oid, b in self.to_buttons.items():
            b.button_style = "success" if oid in partners else ""
            if self.picked is None:
                b.tooltip = t("quiz.net_pick_first")
            else:
                key = "quiz.net_unlink_tip" if oid in partners else "quiz.net_link_tip"
                b.tooltip = t(key, link=f"{self.names[self.picked]} — {self.names[oid]}")

    def sync(self) -> None:
        W = self.W
        rows: list[Any] = [W.HTML(f"<b>{esc(t('quiz.net_links'))}</b>")]
        if not self.links:
            rows.append(W.HTML(f"<span style='color:#666'>{esc(t('quiz.net_none'))}</span>"))
        for a, b in self.links:
            text = f"{self.names[a]} — {self.names[b]}"
            remove = W.Button(
                description=t("quiz.net_unlink"),
                tooltip=t("quiz.net_unlink_tip", link=text),
                icon="times",
                layout=W.Layout(width="auto"),
            )
            remove.on_click(guarded(self.frame, lambda _b, pair=[a, b]: self.unlink(pair)))
            label = W.HTML(esc(text), layout=W.Layout(min_width="16em"))
            label.add_class("sanshe-net-link")
            rows.append(W.HBox([label, remove]))
        self.links_box.children = rows
        self.style()
        try:  # the diagram is an aid, not the answer: a drawing failure never blocks answering
            self.drawing.value = diagram(network_graph(self.q, self.links), get_lang()).decode()
            self.drawing_note.value = ""
        except Exception as exc:
            self.drawing_note.value = esc(t("quiz.internal_error", detail=exc))
