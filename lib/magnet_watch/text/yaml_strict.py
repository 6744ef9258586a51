"""Read YAML strictly: a mapping that writes the same key twice is refused, not overwritten.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, so a parameter
spec or scenario written twice silently changes meaning. ``load_yaml`` is ``safe_load``
that raises ``DuplicateKeyError`` (a ``yaml.YAMLError``) naming both lines instead.
Every YAML file the project reads goes through it.

It also refuses a document that expands, through aliases (``*name`` repeating an
``&name``), to more than ``MAX_VALUES`` values: 700 bytes of nested aliases (a
"billion laughs") would otherwise grow to gigabytes when the values are used. The size
is counted on the composed document, each alias once per use, before anything is built.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: *base` may override keys on purpose
# The project's largest YAML file (a notebook's parameter spec) has about 150 values; a
# hundred times that leaves room to grow and none for an alias bomb.
MAX_VALUES = 15_000


class TooLargeError(ConstructorError):
    """Raised when a YAML document expands (through aliases) to more than MAX_VALUES values."""


class DuplicateKeyError(ConstructorError):
    """Raised when one YAML mapping writes the same key twice; the message names both lines."""


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Return how many values ``root`` expands to (an alias counted at each use), or a number
    above ``limit`` as soon as it exceeds it. Each node's size is computed once."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = node.value
            else:
                children = []
            total = 1
            for child in children:
                total += size(child)
                if total > limit:
                    break
            sizes[id(node)] = total
        return sizes[id(node)]

    return size(root)


class StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a mapping with a duplicated key, and a document that
    expands to more than MAX_VALUES values."""

    def construct_document(self, node: yaml.Node) -> Any:
        """Return the document; raise TooLargeError first when it expands beyond MAX_VALUES."""
        if _expanded_size(node, MAX_VALUES) > MAX_VALUES:
            raise TooLargeError(
                None,
                None,
                f"the document expands to more than {MAX_VALUES:,} values (through aliases, "
                "*name, repeating an &name): refused; write the values out",
                node.start_mark,
            )
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Return the mapping; raise DuplicateKeyError when a key is written twice."""
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                seen = key in first_line
            except TypeError:  # an unhashable key: SafeLoader refuses it itself below
                continue
            line = key_node.start_mark.line + 1
            if seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} on line {line}, first written on line "
                    f"{first_line[key]}",
                    key_node.start_mark,
                )
            first_line[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Return the YAML document in ``text`` (as ``yaml.safe_load`` would).

    Raises ``yaml.YAMLError`` on a syntax error and ``DuplicateKeyError`` (a subclass)
    when a mapping writes a key twice, naming the line of each.
    """
    return yaml.load(text, Loader=StrictSafeLoader)  # a SafeLoader subclass: safe
