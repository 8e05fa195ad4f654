"""The lazy public API gives the same object for every name, whatever is touched first (issue 13)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap

import pytest

import danmark

PROBE = textwrap.dedent(
    """
    import importlib, json, sys, types
    order = json.loads(sys.argv[1])
    pre = json.loads(sys.argv[2])
    import danmark
    for mod in pre:
        importlib.import_module(mod)
    if "*" in order:
        ns = {}
        exec("from danmark import *", ns)
    for name in order:
        if name != "*":
            getattr(danmark, name)
    out = {}
    for name in danmark.__all__:
        value = getattr(danmark, name)
        out[name] = getattr(value, "__module__", None) if not isinstance(value, types.ModuleType) else value.__name__
        out[name] = f"{type(value).__name__}:{out[name]}:{getattr(value, '__qualname__', value.__name__ if isinstance(value, types.ModuleType) else '')}"
    print(json.dumps(out, sort_keys=True))
    """
)


def _resolve(order, pre=()):
    run = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(order), json.dumps(list(pre))],
        capture_output=True, text=True, check=True,
    )
    return json.loads(run.stdout)


NAMES = [n for n in danmark.__all__ if n != "__version__"]
CLASSES = [n for n in NAMES if n[:1].isupper()]
FUNCTIONS = [n for n in NAMES if n not in CLASSES]


@pytest.fixture(scope="module")
def reference():
    return _resolve(FUNCTIONS + CLASSES)


@pytest.mark.parametrize(
    "order, pre",
    [
        (CLASSES + FUNCTIONS, ()),
        (["MissingPeriodsWarning", "aggregate"], ()),
        (["*"], ()),
        ([], ("danmark.io.aggregate", "danmark.simulate.scenarios", "danmark.io", "danmark.plotting")),
        *[(random.Random(seed).sample(NAMES, len(NAMES)), ()) for seed in (1, 2, 3)],
    ],
    ids=["classes-first", "warning-then-aggregate", "star-import", "submodules-first",
         "shuffled-1", "shuffled-2", "shuffled-3"],
)
def test_public_names_resolve_the_same_whatever_the_order(reference, order, pre):
    assert _resolve(order, pre) == reference


def test_aggregate_is_the_function_after_its_submodule_is_imported():
    import danmark.io.aggregate  # noqa: F401  (the module that defines it)

    assert callable(danmark.aggregate) and danmark.aggregate.__name__ == "aggregate"


def test_import_does_not_load_matplotlib():
    code = "import sys, danmark; danmark.read_talportal; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
