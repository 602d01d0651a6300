"""The start-here notebook's export/import buttons (ipywidgets), over :mod:`.transfer`.

Export writes the file beside the notebook (in the browser edition: the site's file list,
kept in the browser) and shows a link that downloads it to the device. Import takes a file
picked with the upload button. Every outcome is a message in the learner's language; nothing
raises into the notebook.
"""

from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as W

from ..errors import SansheError
from ..i18n import get_lang, t, use_lang
from . import transfer
from .ui import error_html, esc, stylesheet_html


class TransferPanel(W.VBox):
    """``export_button.click()``; ``upload`` (a ``FileUpload``) imports what is picked;
    ``message_html`` says what happened."""

    def __init__(self, folder: str | Path = ".") -> None:
        self.lang = get_lang()
        self.folder = Path(folder)
        with use_lang(self.lang):
            self.export_button = W.Button(
                description=t("quiz.transfer_export"),
                icon="download",
                button_style="primary",
                layout=W.Layout(width="auto"),
            )
            self.upload = W.FileUpload(
                accept=".json,application/json",
                multiple=False,
                description=t("quiz.transfer_import"),
                layout=W.Layout(width="auto"),
            )
            intro = W.HTML(f"<div>{esc(t('quiz.transfer_intro'))}</div>")
        self.message_html = W.HTML("")
        self.export_button.on_click(self._on_export)
        self.upload.observe(self._on_upload, names="value")
        buttons = W.HBox([self.export_button, self.upload], layout=W.Layout(flex_flow="row wrap"))
        super().__init__(
            children=[
                intro,
                buttons,
                self.message_html,
                W.HTML(stylesheet_html(), layout=W.Layout(display="none")),
            ],
            layout=W.Layout(border="1px solid #ccc", padding="8px", margin="8px 0"),
        )
        self.add_class("sanshe-transfer")

    def _on_export(self, _button=None) -> None:
        with use_lang(self.lang):
            try:
                path = self.folder / transfer.default_name()
                info = transfer.export_file(path)
                href = "data:application/json;base64," + base64.b64encode(path.read_bytes()).decode(
                    "ascii"
                )
                said = t("quiz.transfer_exported", file=path.name, n=info["questions"])
                link = t("quiz.transfer_download", file=path.name)
                self.message_html.value = (
                    f"<div style='color:#070'>{esc(said)}</div>"
                    f"<div><a class='sanshe-transfer-download' download='{esc(path.name)}' "
                    f"href='{href}' style='text-decoration:underline'>{esc(link)}</a></div>"
                )
            except (OSError, SansheError) as exc:
                self.message_html.value = error_html(str(exc))

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        with use_lang(self.lang):
            try:
                picked = files[0]
                info = transfer.import_bytes(bytes(picked["content"]))
                said = t("quiz.transfer_imported", file=picked["name"], n=info["questions"])
                parts = [f"<div style='color:#070'>{esc(said)}</div>"]
                if info["backup"] is not None:
                    kept = t("quiz.transfer_backup", folder=info["backup"])
                    parts.append(f"<div style='color:#555'>{esc(kept)}</div>")
                self.message_html.value = "".join(parts)
            except (OSError, SansheError) as exc:
                self.message_html.value = error_html(str(exc))
