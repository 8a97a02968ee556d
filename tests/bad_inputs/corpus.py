"""The corpus of bad inputs: a case is data (what is called, the error, the words its message
must hold, the files it reads), and one function checks every case the same way.

Each check asserts the error type (a ``CcmCostsError``, or the ``OSError`` of a file that
cannot be written), that the message names the bad input (``says``), that the message holds
no raw control character (it is safe to print), and that nothing was written or changed: the
folder the case ran in holds the same files with the same bytes afterwards.
"""

from __future__ import annotations

import contextlib
import io
import re
import traceback
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import openpyxl
import pytest

import ccm_costs as cc
from ccm_costs._cli.main import main

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What no message may hold raw (tab and line feed are allowed)."""


@dataclass(frozen=True)
class Case:
    """A bad input to the Python API or a file reader.

    ``call`` gets the folder holding ``files``; ``limits`` lowers limits of
    ``ccm_costs._reference.reading`` for the case (so a limit is hit without a huge file).
    """

    id: str
    call: Callable[[Path], object]
    error: type[Exception]
    says: tuple[str, ...]
    files: Mapping[str, bytes] = field(default_factory=dict)
    limits: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CliCase:
    """A bad command line: ``{dir}`` in an argument is the folder holding ``files``."""

    id: str
    argv: tuple[str, ...]
    says: tuple[str, ...]
    files: Mapping[str, bytes] = field(default_factory=dict)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _write(folder: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def check(case: Case, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``case`` in ``folder`` and assert what the module docstring says."""
    from ccm_costs._reference import reading

    for name, value in case.limits.items():
        monkeypatch.setattr(reading, name, value)
    _write(folder, case.files)
    before = snapshot(folder)
    with pytest.raises(case.error) as caught:
        case.call(folder)
    error = caught.value
    assert isinstance(error, cc.CcmCostsError | OSError), repr(error)
    message = str(error)
    for words in case.says:
        assert words in message, (words, message)
    assert not RAW_CONTROL.search(message), message
    assert snapshot(folder) == before, "a file was written or changed"


def cli(argv: list[str]) -> tuple[int, str, str]:
    """``ccm-costs argv`` in-process: exit status, stdout, stderr. Any exception (argparse's
    SystemExit aside) is a failure: the command line never ends in a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 2
        except BaseException:
            raise AssertionError(f"ccm-costs {argv!r} raised:\n{traceback.format_exc()}") from None
    return status, out.getvalue(), err.getvalue()


def check_cli(case: CliCase, folder: Path) -> None:
    """Exit status 2, an error on stderr naming the bad input, nothing on stdout, no
    traceback, no raw control character, and no file written or changed."""
    _write(folder, case.files)
    before = snapshot(folder)
    with contextlib.chdir(folder):  # a file written under a relative name would be seen
        status, out, err = cli([arg.replace("{dir}", str(folder)) for arg in case.argv])
    assert status == 2, (status, out, err)
    assert err.startswith("ccm-costs") and "error:" in err.splitlines()[0], err
    assert "Traceback" not in err and out == "", (out, err)
    for words in case.says:
        assert words in err, (words, err)
    assert not RAW_CONTROL.search(err), err
    assert snapshot(folder) == before, "a file was written or changed"


# ------------------------------------------------------------------------------ bad files


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def cp1252(text: str) -> bytes:
    """Text as Windows-1252, as Excel saves "CSV" on Windows."""
    return text.encode("cp1252")


def xlsx(rows: list[list[object]], title: str = "Sheet") -> bytes:
    """A workbook with one sheet of ``rows``, as openpyxl writes it: a text beginning with
    ``=`` is a formula, stored without a result (openpyxl never calculates)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_part(workbook: bytes, part: str, data: bytes | None) -> bytes:
    """``workbook`` with one part replaced (or removed, for ``None``), or added."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info.filename))
        if data is not None:
            target.writestr(part, data)
    return out.getvalue()


SCALE_ROWS: list[list[object]] = [
    ["member_state", "iso3", "rate_percent"],
    ["Austria", "AUT", "60"],
    ["Belgium", "BEL", "40"],
]
GOOD_SCALE_CSV = utf8("member_state,iso3,rate_percent\nAustria,AUT,60\nBelgium,BEL,40\n")


@cache
def good_scale_xlsx() -> bytes:
    return xlsx(SCALE_ROWS)


@cache
def zip_bomb() -> bytes:
    """A workbook of 60 KB whose sheet unpacks to 60 MiB."""
    return with_part(good_scale_xlsx(), "xl/worksheets/sheet1.xml", b" " * (60 * 2**20))


@cache
def styles_bomb() -> bytes:
    """A workbook whose styles unpack to 11 MiB (openpyxl would hold 25 times that)."""
    return with_part(good_scale_xlsx(), "xl/styles.xml", b" " * (11 * 2**20))


@cache
def thousand_parts() -> bytes:
    """A workbook of 1,001 more (empty) parts than it needs."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(good_scale_xlsx()))
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        for n in range(1001):
            target.writestr(f"xl/media/p{n}.bin", b"")
    return out.getvalue()


def corrupt_xml(workbook: bytes) -> bytes:
    """A workbook whose first sheet's XML is cut in the middle of an element."""
    return with_part(workbook, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row r='1'")


def cut(data: bytes, keep: float = 0.5) -> bytes:
    """The file cut short, as an interrupted copy leaves it."""
    return data[: int(len(data) * keep)]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
"""The start of an Excel 97-2003 .xls file (or of an .xlsx saved with a password)."""


def ods_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()
