"""How public names show their public home: ``ccm_costs.Assessment``, not a private module."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping


def publish(namespace: MutableMapping[str, object], names: Iterable[str], module: str) -> None:
    """Set ``__module__`` of the classes and functions ``names`` of ``namespace`` to
    ``module`` (the public package that exports them), as httpx does, so that ``help()``,
    ``repr()`` and tracebacks name the public path; objects defined elsewhere in public
    modules keep theirs."""
    for name in names:
        obj = namespace[name]
        current = getattr(obj, "__module__", None)
        if isinstance(current, str) and ("._" in current or current == module):
            with contextlib.suppress(AttributeError, TypeError):  # constants keep theirs
                obj.__module__ = module


def lazy_loader(
    namespace: MutableMapping[str, object], names: Mapping[str, str]
) -> Callable[[str], object]:
    """A module ``__getattr__`` (PEP 562) that imports ``names[name]`` (a module relative to
    the package whose ``namespace`` this is) when ``name`` is first used, publishes every name
    that module provides (that a lazy package has loaded), and binds them in the namespace,
    as attrs does."""
    package = str(namespace["__name__"])

    def load(name: str) -> object:
        module_name = names.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name, package)
        # every name the module holds; from a lazy package (``ccm_costs.conventions``) only
        # those it has loaded, so that one name does not import all its modules
        loaded = vars(module)
        provided = {
            n: getattr(module, n)
            for n, m in names.items()
            if m == module_name and (n == name or n in loaded)
        }
        publish(provided, provided, package)
        namespace.update(provided)
        return provided[name]

    return load
