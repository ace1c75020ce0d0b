"""The models' attribute docstrings, read when a description is asked for.

Each field of the plan and of the plugin's options is documented by the docstring
written under it: the one source of the JSON Schema's descriptions, the reference
docs and the hints of some messages. Pydantic can read them when it creates each
class (`use_attribute_docstrings`), but that parses every class's source in every
cxplan process, 15 ms before anything is checked, while most processes never show a
description. Here they are read the first time one is asked for, with the rule
Pydantic applies: a string statement right under an annotated attribute is its
docstring, unless the field has a `description=` of its own.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterable
from functools import cache
from itertools import pairwise

from pydantic import BaseModel


def field_doc(model: type[BaseModel], name: str) -> str:
    """The description of `model`'s field `name` ("" when it has none)."""
    field = model.model_fields.get(name)
    if field is None:
        return ""
    if field.description:
        return field.description
    for cls in model.__mro__:  # the class that declares the field documents it
        if name in vars(cls).get("__annotations__", {}):
            return _declared(cls).get(name, "")
    return ""


def describe_fields(models: Iterable[type[BaseModel]]) -> None:
    """Give every field of `models` its docstring as its description, and rebuild the
    models (those held by others first) so that their JSON Schema carries it."""
    for model in models:
        changed = False
        for name, field in model.model_fields.items():
            if field.description is None:
                doc = field_doc(model, name)
                if doc:
                    field.description = doc
                    changed = True
        if changed:
            model.model_rebuild(force=True)


@cache
def _declared(cls: type) -> dict[str, str]:
    """The docstrings of the attributes `cls` itself declares, by name."""
    for node in ast.walk(_module_tree(cls.__module__)):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            return _docstrings(node.body)
    return {}


@cache
def _module_tree(module: str) -> ast.Module:
    return ast.parse(inspect.getsource(sys.modules[module]))


def _docstrings(body: list[ast.stmt]) -> dict[str, str]:
    found: dict[str, str] = {}
    for previous, node in pairwise(body):
        if (isinstance(previous, ast.AnnAssign) and isinstance(previous.target, ast.Name)
                and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            found[previous.target.id] = inspect.cleandoc(node.value.value)
    return found
