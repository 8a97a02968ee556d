"""The public surface: ``__all__`` is exactly the public names, every public object shows a
public home, no module name shadows a function, and ``import ccm_costs`` stays light."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import types

import pytest

import ccm_costs as cc

PUBLIC_PACKAGES = ["ccm_costs", "ccm_costs.conventions", "ccm_costs.ledger", "ccm_costs.rules"]
HEAVY = ("pandas", "openpyxl", "numpy", "tqdm", "ipywidgets", "matplotlib")


def public_names(module: types.ModuleType) -> set[str]:
    """What a module binds that does not start with an underscore (after loading every lazy
    name, so that nothing hides)."""
    for name in getattr(module, "__all__", ()):
        getattr(module, name)
    return {name for name in vars(module) if not name.startswith("_")}


def is_public_module(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split("."))


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_all_is_exactly_the_public_names(package: str) -> None:
    module = importlib.import_module(package)
    declared = set(module.__all__)
    assert len(declared) == len(module.__all__), "a name is listed twice in __all__"
    submodules = {
        info.name for info in pkgutil.iter_modules(module.__path__) if not info.name.startswith("_")
    }
    dunders = {name for name in declared if name.startswith("__")}  # __version__
    assert public_names(module) - submodules == declared - submodules - dunders
    assert submodules <= declared, "a public subpackage missing from __all__"


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_every_public_object_has_a_public_module(package: str) -> None:
    module = importlib.import_module(package)
    private = {
        name: obj.__module__
        for name in module.__all__
        if (inspect.isclass(obj := getattr(module, name)) or inspect.isfunction(obj))
        and not is_public_module(obj.__module__)
    }
    assert private == {}


def test_public_objects_show_where_users_find_them() -> None:
    assert cc.Assessment.__module__ == "ccm_costs"
    assert cc.apportion.__module__ == "ccm_costs"
    assert cc.Meeting.__module__ == "ccm_costs.conventions"
    assert cc.Ledger.__module__ == "ccm_costs.ledger"
    assert cc.rules.RuleSet.__module__ == "ccm_costs.rules"
    assert cc.RuleSet is cc.rules.RuleSet
    assert cc.UnknownStateError.__module__ == "ccm_costs.errors"
    assert repr(cc.Assessment) == "<class 'ccm_costs.Assessment'>"
    assert cc.write_reconciliation_workbook.__module__ == "ccm_costs"
    assert cc.read_assessment_workbook.__module__ == "ccm_costs"
    assert cc.WorkbookAssessment.__module__ == "ccm_costs"
    assert cc.reconcile_recorded is cc.ledger.reconcile_recorded
    assert cc.reconcile_recorded.__module__ == "ccm_costs.ledger"


def test_no_module_name_shadows_a_function() -> None:
    # `import ccm_costs.x` must give the module x, never a function of the same name bound in
    # the package (the old `ccm_costs.apportion` was both).
    shadowed = []
    for info in pkgutil.walk_packages(cc.__path__, prefix="ccm_costs."):
        parent_name, _, child = info.name.rpartition(".")
        module = importlib.import_module(info.name)
        parent = importlib.import_module(parent_name)
        if getattr(parent, child, module) is not module:
            shadowed.append(info.name)
    assert shadowed == []


def test_import_is_light() -> None:
    code = (
        "import json, sys, ccm_costs;"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(found) == []


def test_help_and_light_commands_never_import_pandas_openpyxl_or_numpy() -> None:
    code = (
        "import json, sys, runpy, contextlib, io\n"
        "sys.argv = ['ccm-costs', *sys.argv[1:]]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        "        runpy.run_module('ccm_costs', run_name='__main__')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps([m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules]))\n"
    )
    for args in (["--help"], ["periods"], ["parties", "--date", "2024-09-10"], ["scale", "2020"]):
        found = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        ).stdout.splitlines()[-1]
        assert json.loads(found) == [], args


def test_every_lazy_name_loads() -> None:
    for name in cc.__all__:
        assert getattr(cc, name) is not None, name
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        cc.nonsense  # noqa: B018
    assert cc.__version__


def options(function: object) -> int:
    """The parameters a caller can name: a positional-only one is what a call form is about
    (``monte_carlo(meeting, ...)`` or ``monte_carlo(total, ...)``), not an option."""
    parameters = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return sum(1 for p in parameters if p.kind is not inspect.Parameter.POSITIONAL_ONLY)


def test_no_public_function_takes_more_than_ten_parameters() -> None:
    # One way to say a rule: rules= (a RuleSet), not a keyword per option.
    assert len(inspect.signature(cc.apportion).parameters) <= 8
    crowded = {}
    for package in PUBLIC_PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and options(obj) > 10:
                crowded[f"{package}.{name}"] = options(obj)
    assert crowded == {}
