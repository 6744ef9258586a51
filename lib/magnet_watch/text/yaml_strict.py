"""Read YAML strictly: a mapping that writes the same key twice is refused, not overwritten.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, so a parameter
spec or scenario written twice silently changes meaning. ``load_yaml`` is ``safe_load``
that raises ``DuplicateKeyError`` (a ``yaml.YAMLError``) naming both lines instead.
Every YAML file the project reads goes through it.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: *base` may override keys on purpose


class DuplicateKeyError(ConstructorError):
    """Raised when one YAML mapping writes the same key twice; the message names both lines."""


class StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a mapping with a duplicated key."""

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
