"""The built wheel carries the data files, and a fresh install outside the source tree works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCALE_FILES = [
    f"scale_{p}.csv"
    for p in ("2010_2012", "2013_2015", "2016_2018", "2019_2021", "2022_2024", "2025_2027")
]
EXPECTED_IN_WHEEL = [
    "ccm_costs/__init__.py",
    "ccm_costs/py.typed",
    "ccm_costs/data/states/aliases.csv",
    "ccm_costs/data/un_scale_of_assessment/periods.csv",
    "ccm_costs/data/un_scale_of_assessment/non_member_states.csv",
    "ccm_costs/data/conventions/ccm/parties.csv",
    "ccm_costs/data/conventions/ccm/signatories.csv",
    "ccm_costs/data/conventions/ccm/meetings.toml",
    "ccm_costs/data/conventions/ccm/convention.toml",
    *(f"ccm_costs/data/un_scale_of_assessment/{f}" for f in SCALE_FILES),
    *(
        f"ccm_costs/_outputs/templates/{f}"
        for f in ("notice.typ", "status_report.typ", "notice_settings.toml")
    ),
    # every shipped data file, whatever is added later
    *(
        "ccm_costs/data/" + path.relative_to(REPO / "data").as_posix()
        for path in sorted((REPO / "data").rglob("*"))
        if path.is_file()
    ),
]

pytestmark = pytest.mark.slow


def clean_env() -> dict[str, str]:
    """The environment without anything that would point Python at the source tree."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", outdir, REPO], cwd=REPO)
    (built,) = outdir.glob("ccm_costs-*.whl")
    return built


def test_wheel_contains_the_data_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        periods = archive.read("ccm_costs/data/un_scale_of_assessment/periods.csv").decode()
        shipped = (REPO / "data" / "un_scale_of_assessment" / "scale_2019_2021.csv").read_bytes()
        packed = archive.read("ccm_costs/data/un_scale_of_assessment/scale_2019_2021.csv")
    missing = [n for n in EXPECTED_IN_WHEEL if n not in names]
    assert missing == []
    for scale_file in SCALE_FILES:
        assert scale_file in periods
    assert packed == shipped
    assert not any(n.startswith(("data/", "src/", "tests/")) for n in names), sorted(names)


CHECK = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import ccm_costs
    from ccm_costs._reference.files import data_dir

    result = {
        "file": str(Path(ccm_costs.__file__).resolve()),
        "data_dir": str(data_dir().resolve()),
        "prefix": str(Path(sys.prefix).resolve()),
        "periods": {},
        "turkey": ccm_costs.resolve_state("Turkey"),
        "palestine": str(ccm_costs.notional_rates(2020)["PSE"]),
        "parties_12msp": len(ccm_costs.parties_on("2024-09-10")),
        "meetings": sorted(ccm_costs.load_meetings()),
        "conventions": {
            c: len(ccm_costs.get_convention(c).membership())
            for c in ccm_costs.available_conventions()
        },
    }
    notices = ccm_costs.write_notices(
        "notices", ccm_costs.apportion("100.00", ["AUT", "BEL"], scale=2020)
    )
    result["notices"] = [p.name.split("-")[-1] for p in notices.paths]
    for period in ccm_costs.available_periods():
        scale = ccm_costs.load_scale(period)
        result["periods"][period] = [len(scale), scale.total_units, scale.resolution]
    print(json.dumps(result))
    """
)


def test_installed_wheel_works_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # No pip of its own (ensurepip is slow): this pip installs into it with --python, without
    # compiling pandas' .pyc files; dependencies come from the package index.
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install: list[str | Path] = [
        "install",
        "--quiet",
        "--no-compile",
        "--no-warn-script-location",
        wheel,
    ]
    run([sys.executable, "-m", "pip", "--python", python, *install], cwd=tmp_path)

    result = json.loads(run([python, "-c", CHECK], cwd=tmp_path).stdout)

    venv_dir = venv.resolve()
    module = Path(result["file"])
    data = Path(result["data_dir"])
    assert Path(result["prefix"]) == venv_dir
    assert module.is_relative_to(venv_dir), module
    assert data.is_relative_to(venv_dir), data
    assert not module.is_relative_to(REPO)
    assert not data.is_relative_to(REPO)
    assert result["periods"] == {
        "2010-2012": [192, 100_000, "A/RES/64/248"],
        "2013-2015": [193, 100_000, "A/RES/67/238"],
        "2016-2018": [193, 100_000, "A/RES/70/245"],
        "2019-2021": [193, 100_000, "A/RES/73/271"],
        "2022-2024": [193, 100_000, "A/RES/76/238"],
        "2025-2027": [193, 100_000, "A/RES/79/249"],
    }
    assert result["turkey"] == "TUR"
    assert result["palestine"] == "0.008"
    assert result["parties_12msp"] == 112
    assert result["notices"] == ["AUT.pdf", "BEL.pdf"]  # the shipped templates, typst's compiler
    # every shipped convention folder loads, with its parties, from the installed wheel
    folders = (REPO / "data" / "conventions").glob("*/convention.toml")
    shipped = sorted(p.parent.name for p in folders)
    assert sorted(result["conventions"]) == shipped
    assert all(count > 0 for count in result["conventions"].values())
    assert result["meetings"] == ["10MSP", "11MSP", "12MSP", "13MSP", "2RC", "3RC", "9MSP"]
