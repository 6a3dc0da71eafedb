"""The widget layer's one base class: an explorer is controls, an update function and a root box.

Each ``*_explorer()`` (and calculator, checker, exercise) builds its controls and figure, then
returns an :class:`Explorer` that declares them. The benchmark times ``explorer.update()``; the
common widget test moves every entry of ``controls`` and checks the picture follows; a notebook
shows the explorer as its ``root`` box (the CSS class ``mlcourse-<name>`` on it is what the
browser test looks for).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    import ipywidgets

    from mlcourse.figview import CachedRenderer, FigureView


@dataclass(eq=False, kw_only=True)
class Explorer:
    """A built widget: its root box, named controls, the redraw function and the figure it owns."""

    root: "ipywidgets.Box"
    controls: Mapping[str, "ipywidgets.DOMWidget"]
    update: Callable[..., Any]
    view: "FigureView | None" = None
    renderer: "CachedRenderer | None" = None
    #: Controls that only collect input for another control (ticked boxes read by a button):
    #: moving one alone changes no output, so the common test moves the named trigger after it.
    triggers: Mapping[str, str] = field(default_factory=dict)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Show the root box in a notebook."""
        return self.root._repr_mimebundle_(**kwargs)

    @property
    def css_class(self) -> str:
        """The ``mlcourse-*`` class the browser test finds this explorer by."""
        return next(c for c in self.root._dom_classes if c.startswith("mlcourse-"))

    def outputs(self) -> tuple:
        """What the learner sees besides the controls: every image's bytes and every HTML text."""
        import ipywidgets as widgets

        inputs = {id(c) for c in self.controls.values()}
        seen: list = []

        def walk(w: Any) -> None:
            if id(w) in inputs:
                return
            if isinstance(w, widgets.Image):
                seen.append(bytes(w.value))
            elif isinstance(w, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
                seen.append(w.value)
            for child in getattr(w, "children", ()):
                walk(child)

        walk(self.root)
        return tuple(seen)


#: The widget layer of every lecture package (what the common explorer test walks).
EXPLORER_MODULES = (
    "mlcourse.roles.widgets", "mlcourse.hiring.widgets", "mlcourse.orgs.widgets", "mlcourse.managing.widgets",
    "mlcourse.design.widgets", "mlcourse.debugging.widgets",
)
