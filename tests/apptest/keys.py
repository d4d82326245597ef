"""The keyed boxes of a page as AppTest sees them: what `hide=` can name (Streamlit gives each the CSS class
st-key-<key>), each with the keys of the boxes around it."""

from typing import NamedTuple

from streamlit.elements.lib.utils import user_key_from_element_id
from streamlit.testing.v1.element_tree import Block, Expander, Widget


class Keyed(NamedTuple):
    key: str
    node: object
    around: tuple[str, ...]  # the keys of the boxes it sits in, outermost first

    @property
    def control(self) -> bool:
        """Something a student changes: a widget, a keyed expander or tabs, a chart that takes a click."""
        node = self.node
        if isinstance(node, (Widget, Expander)):
            return True
        if isinstance(node, Block):
            return node.type == "tab_container"
        return getattr(node, "type", "") == "plotly_chart" and bool(node.proto.selection_mode)


def _key(node) -> str | None:
    element_id = getattr(getattr(node, "proto", None), "id", "") or ""
    return user_key_from_element_id(element_id) if element_id else None


def keyed(app) -> list[Keyed]:
    """Every keyed element and block of the app's last run, in the page's order."""
    out = []

    def walk(node, around):
        key = _key(node)
        if key:
            out.append(Keyed(key, node, around))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child, around + ((key,) if key else ()))

    walk(app._tree, ())
    return out


def shown(app, hidden) -> list[Keyed]:
    """The keyed boxes the style sheet leaves visible: neither they nor a box around them is hidden."""
    hidden = set(hidden)
    return [k for k in keyed(app) if k.key not in hidden and not hidden & set(k.around)]
