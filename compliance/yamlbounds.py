"""A safe YAML loader with bounds, for every YAML the tool reads (policies, cards, the knowledge base).

On top of PyYAML's safe loader (the C one when available):

- alias expansion is bounded: aliases may add at most :data:`MAX_ALIAS_NODES` nodes to what the document
  spells out, so a "billion laughs" document is an error with its line, not gigabytes of memory;
- nesting is bounded (:data:`MAX_DEPTH` levels), and a recursive alias (``&a [*a]``) is an error;
- a mapping that repeats a key is an error naming both lines (YAML's last-wins would silently drop one);
- a scalar that does not construct (``2024-02-30``, ``T25:00``, ``!!timestamp junk``, ``!!int junk``) is a YAML
  error with its line, never a Python exception from deep inside the loader.

Every problem is a ``yaml.YAMLError`` with a ``problem_mark``, so callers report it like a syntax error.
"""
from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError

MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 100

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BoundedLoader(_Base):  # type: ignore[misc, valid-type]
    """``yaml.load(text, Loader=BoundedLoader)``: safe, bounded, strict about duplicate keys and bad scalars."""

    def construct_document(self, node):  # noqa: ANN001, ANN201 - PyYAML's signature
        check_graph(node)
        return super().construct_document(node)

    def construct_object(self, node, deep=False):  # noqa: ANN001, ANN201
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, AttributeError, TypeError, OverflowError, RecursionError) as exc:
            value = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            detail = str(exc) if not isinstance(exc, (KeyError, AttributeError)) else "not a valid value"
            raise ConstructorError(None, None, f"cannot read {_short(value)!r} as {_tag(node)}: {detail}",
                                   node.start_mark) from None

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        if isinstance(node, yaml.MappingNode):
            self._check_duplicates(node)
        return super().construct_mapping(node, deep=deep)

    def _check_duplicates(self, node: yaml.MappingNode) -> None:
        seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # unhashable: PyYAML reports it
                continue
            if first is not key_node:
                raise ConstructorError(
                    None, None, f"duplicate key {_short(key_node.value)!r} (first at line {first.start_mark.line + 1})",
                    key_node.start_mark)


def check_graph(root: yaml.Node) -> None:
    """Raise ConstructorError when the node graph nests deeper than MAX_DEPTH, is recursive, or expands (through
    aliases, which share nodes) to more than MAX_ALIAS_NODES nodes beyond the distinct ones. Iterative and linear
    in the number of distinct nodes."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            if height[key] > MAX_DEPTH:
                raise ConstructorError(None, None, f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
            if size[key] > MAX_ALIAS_NODES + len(size):
                raise ConstructorError(None, None, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes "
                                       "(an alias bomb?)", node.start_mark)
            continue
        if key in size:
            continue
        if key in on_path:
            raise ConstructorError(None, None, "recursive alias (a node that contains itself)", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        if len(on_path) > MAX_DEPTH:
            raise ConstructorError(None, None, f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        for kid in _children(node):
            if id(kid) in on_path:
                raise ConstructorError(None, None, "recursive alias (a node that contains itself)", kid.start_mark)
            if id(kid) not in size:
                stack.append((kid, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _tag(node: yaml.Node) -> str:
    tag = node.tag or ""
    return tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag or "a value"


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
