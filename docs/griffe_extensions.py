"""A griffe extension for the API pages: constants read as the code means them.

- **Doc comments.** A module or class constant documented by ``#:`` comment
  lines just above it (Sphinx's convention, used across hyperarr) gets them as
  its docstring, so it is rendered like any documented member.
- **Public defaults.** ``threshold(d, *, max_hyperplanes=_MAX_HYPERPLANES)``
  would show the private name ``_MAX_HYPERPLANES`` in its signature.  A
  parameter default that is a bare name starting with ``_`` and bound to a
  constant of the same module is replaced by that constant's value, so the
  signature reads ``max_hyperplanes=2 ** 20``.

mkdocs.yml loads this file through the ``extensions`` option of mkdocstrings'
python handler.  griffe is a docs dependency only, so the module also imports
without it (pytest imports every file of docs/ for its doctests).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

try:
    import griffe
    from griffe import Extension
except ImportError:  # the test environment, which never builds the site
    griffe = None
    Extension = object


def _objects(obj: Any) -> Iterator[Any]:
    """Every object defined in ``obj`` and in the modules and classes inside it."""
    for member in obj.members.values():
        if member.is_alias:
            continue
        yield member
        if member.is_module or member.is_class:
            yield from _objects(member)


def _doc_comment(attr: Any) -> str | None:
    """The ``#:`` lines right above ``attr`` in its module's source, joined."""
    if attr.lineno is None:
        return None
    lines = attr.module.lines
    k = attr.lineno - 2
    found: list[str] = []
    while k >= 0 and lines[k].strip().startswith("#:"):
        found.append(lines[k].strip()[2:].strip())
        k -= 1
    return "\n".join(reversed(found)) or None


class HyperarrConstants(Extension):  # type: ignore[misc, valid-type]
    """Doc comments become docstrings; private defaults show their value."""

    def on_package(self, *, pkg: Any, **kwargs: Any) -> None:
        for obj in _objects(pkg):
            if obj.is_attribute and obj.docstring is None:
                text = _doc_comment(obj)
                if text:
                    obj.docstring = griffe.Docstring(text, parent=obj)
            if not obj.is_function:
                continue
            for param in obj.parameters:
                default = param.default
                if not isinstance(default, griffe.ExprName) or not default.name.startswith("_"):
                    continue
                const = obj.module.members.get(default.name)
                if const is not None and not const.is_alias and const.is_attribute \
                        and const.value is not None:
                    param.default = const.value
