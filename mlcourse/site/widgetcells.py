"""Site build: each interactive demo shows the picture it draws first, and how to run it live.

Widgets need a kernel; a static page has none. When a notebook is executed, nbclient saves
every widget's state (``application/vnd.jupyter.widget-state+json``, binary buffers included)
in the notebook's metadata. This preprocessor follows a widget output's model through its
children and renders, in order: each ``Image`` as an ``<img>`` whose ``alt`` is the text
alternative the widget gave it (see :func:`mlcourse.a11y.label_image`), each HTML or Label
widget's content, each ``Output`` widget's outputs, and a line listing the controls' default
settings; then a note on running the demo live. The widget state is then dropped, so the page
loads no widget JavaScript.
"""

from __future__ import annotations

import base64
import html
from typing import Any, Iterator

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_output

from mlcourse.a11y import CARD_STYLE

VIEW_MIME = "application/vnd.jupyter.widget-view+json"
STATE_MIME = "application/vnd.jupyter.widget-state+json"
LIVE_NOTE = ("<p class='mlcourse-live-note'><strong>Interactive demo.</strong> Shown here with its "
             "default settings. To move the controls, open this lecture in JupyterLab "
             "(<code>make lab</code>) and run all cells: widgets need a running Python kernel.</p>")


class MissingAltText(ValueError):
    """A widget figure without a text alternative: the site refuses to publish it."""


def _model_id(ref: Any) -> str | None:
    return ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else None


def _setting(state: dict[str, Any]) -> str | None:
    """``description: value`` for a control, or None for widgets that are not controls."""
    name = state.get("_model_name", "")
    description = (state.get("description") or "").strip()
    if "_options_labels" in state:
        labels = state.get("_options_labels") or []
        if "index" in state:
            index = state["index"]
            indices = index if isinstance(index, list) else [index]
            value = ", ".join(labels[i] for i in indices if i is not None and 0 <= i < len(labels))
        else:
            value = ""
    elif name.endswith(("SliderModel", "TextModel", "CheckboxModel", "ToggleButtonModel")):
        value = state.get("value")
        value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    else:
        return None
    return f"{description.rstrip(':')}: {value}" if description else value or None


class WidgetSnapshot:
    """Render one widget tree from saved state as static HTML."""

    def __init__(self, models: dict[str, Any]):
        self.models = models
        self.settings: list[str] = []
        self.images = 0

    def _walk(self, model_id: str) -> Iterator[str]:
        model = self.models.get(model_id)
        if model is None:
            return
        state = model.get("state", {})
        name = state.get("_model_name", "")
        if name == "ImageModel":
            yield self._image(model, state)
            return
        if name in ("HTMLModel", "HTMLMathModel"):
            yield f"<div class='mlcourse-widget-html'>{state.get('value', '')}</div>"
            return
        if name == "LabelModel":
            yield f"<p>{html.escape(state.get('value', ''))}</p>"
            return
        if name == "OutputModel":
            yield from self._outputs(state.get("outputs", []))
            return
        setting = _setting(state)
        if setting:
            self.settings.append(setting)
        for ref in state.get("children", []):
            child = _model_id(ref)
            if child:
                yield from self._walk(child)

    def _image(self, model: dict[str, Any], state: dict[str, Any]) -> str:
        buffers = [b for b in model.get("buffers", []) if b.get("path") == ["value"]]
        alt = " ".join((state.get("tooltip") or "").split())
        if not buffers:
            return ""
        if not alt:
            raise MissingAltText("a widget's figure has no text alternative: call "
                                 "mlcourse.a11y.label_image on its Image (FigureView does)")
        self.images += 1
        fmt = html.escape(state.get("format", "png"))
        return (f"<img src='data:image/{fmt};base64,{buffers[0]['data']}' alt='{html.escape(alt, quote=True)}'"
                f" style='{CARD_STYLE}'>")

    def _outputs(self, outputs: list[dict[str, Any]]) -> Iterator[str]:
        for out in outputs:
            data = out.get("data", {})
            if "text/html" in data:
                yield f"<div>{''.join(data['text/html'])}</div>"
            elif "image/png" in data:
                alt = (out.get("metadata", {}).get("image/png", {}) or {}).get("alt", "")
                if not alt:
                    raise MissingAltText("an image inside a widget's Output has no text alternative")
                yield (f"<img src='data:image/png;base64,{data['image/png']}' "
                       f"alt='{html.escape(alt, quote=True)}' style='{CARD_STYLE}'>")
            elif "text/plain" in data or out.get("output_type") == "stream":
                text = "".join(data.get("text/plain", "")) or "".join(out.get("text", ""))
                yield f"<pre>{html.escape(text)}</pre>"

    def render(self, model_id: str) -> str:
        """The widget's static HTML: its pictures and texts, its default settings, the live note."""
        body = "".join(self._walk(model_id))
        settings = ""
        if self.settings:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in self.settings)
            settings = f"<p class='mlcourse-widget-settings-title'>Default settings:</p><ul class='mlcourse-widget-settings'>{items}</ul>"
        return f"<div class='mlcourse-widget-static'>{body}{settings}{LIVE_NOTE}</div>"


class StaticWidgetPreprocessor(Preprocessor):
    """Replace widget outputs by their static snapshot and drop the saved widget state."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """Snapshot every widget output, then remove the widget state from the metadata."""
        widgets = nb.metadata.get("widgets", {}).get(STATE_MIME, {})
        self.models = widgets.get("state", {})
        self.snapshots = 0
        nb, resources = super().preprocess(nb, resources)
        nb.metadata.pop("widgets", None)
        resources.setdefault("mlcourse", {})["widgets"] = self.snapshots
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Swap each widget-view output of a code cell for static HTML."""
        if cell.cell_type != "code":
            return cell, resources
        outputs = []
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(VIEW_MIME)
            if view is None:
                outputs.append(out)
                continue
            snapshot = WidgetSnapshot(self.models).render(view["model_id"])
            self.snapshots += 1
            outputs.append(new_output("display_data", data={"text/html": snapshot,
                                                            "text/plain": "(interactive demo)"}))
        cell.outputs = outputs
        return cell, resources
