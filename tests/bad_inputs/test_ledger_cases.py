"""Bad inputs to the ledger, its payment files and the ``ledger`` commands: a file that is not
a ledger or was changed by another program, an unknown assessment to void or transfer to, a
refund larger than the credit, an assessment recorded twice, payment rows that are ragged or
dated outside the ledger's life, an output onto the ledger. Each names the bad input and the
fix, and leaves every file as it was."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from corpus import Case, CliCase, check, check_cli, utf8
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccm_costs as cc
from ccm_costs.ledger import Ledger, Payment, PaymentOrder

D = dt.date
Invalid = cc.InvalidInputError


@cache
def good_ledger() -> bytes:
    """12MSP estimate (No. 1) superseded by its final (No. 2), a void No. 3, and Austria's
    10,000.00 payment (a credit of 2,782.67)."""
    meeting = cc.get_meeting("12MSP")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "l.sqlite"
        with Ledger.open(path) as ledger:
            estimate = ledger.record_assessment(
                cc.assess(meeting, total="500000.00"), issued=D(2024, 6, 3)
            )
            ledger.record_assessment(
                cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00"),
                kind="final",
                supersedes=estimate.id,
                issued=D(2024, 11, 15),
            )
            other = ledger.record_assessment(
                cc.apportion("100.00", ["Austria", "Chad"], scale="2022-2024"),
                meeting="X",
                issued=D(2024, 7, 1),
            )
            ledger.void(other.id, reason="wrong", on=D(2024, 7, 2))
            ledger.import_payments([Payment("B-1", "AUT", D(2024, 6, 20), 1_000_000, "USD")])
        return path.read_bytes()


@cache
def tampered_ledger() -> bytes:
    """The good ledger with one byte of a void's reason changed, as a hex editor would."""
    data = good_ledger()
    return data.replace(b"wrong", b"wronG", 1)


@cache
def dropped_trigger() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "l.sqlite"
        path.write_bytes(good_ledger())
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER payments_no_delete")
        conn.commit()
        conn.close()
        return path.read_bytes()


@cache
def other_database() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "o.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE songs (title TEXT)")
        conn.commit()
        conn.close()
        return path.read_bytes()


def on_ledger(act: Callable[[Ledger], object], data: Callable[[], bytes] = good_ledger) -> Case:
    """A call on the ledger ``l.sqlite`` (the good one unless ``data`` says otherwise)."""

    def call(folder: Path) -> object:
        with Ledger.open(folder / "l.sqlite", create=False) as ledger:
            return act(ledger)

    return Case("", call, Exception, (), {"l.sqlite": data()})


def case(id: str, base: Case, error: type[Exception], *says: str) -> Case:
    return Case(id, base.call, error, says, base.files)


STATEMENT = "date,state,amount,currency,reference\n"
CASES = [
    case(
        "void an unknown assessment",
        on_ledger(lambda lg: lg.void(9, reason="x")),
        Invalid,
        "has no assessment #9",
    ),
    case(
        "void a superseded assessment",
        on_ledger(lambda lg: lg.void(1, reason="x")),
        Invalid,
        "No. 1 is superseded by No. 2: void No. 2",
    ),
    case(
        "void a void assessment",
        on_ledger(lambda lg: lg.void(3, reason="x")),
        Invalid,
        "No. 3 is already void since 2024-07-02 (wrong)",
    ),
    case(
        "void without a reason",
        on_ledger(lambda lg: lg.void(2, reason="")),
        Invalid,
        "say why",
        "reason=",
    ),
    case(
        "void before the issue date",
        on_ledger(lambda lg: lg.void(2, reason="x", on=D(2024, 1, 1))),
        Invalid,
        "void date 2024-01-01 is before assessment No. 2 was issued (2024-11-15)",
    ),
    case(
        "transfer to an unknown assessment",
        on_ledger(lambda lg: lg.transfer("AUT", "1.00", to_assessment=99)),
        Invalid,
        "has no assessment #99",
    ),
    case(
        "transfer to a void assessment",
        on_ledger(lambda lg: lg.transfer("AUT", "1.00", to_assessment=3)),
        Invalid,
        "No. 3 is already void",
    ),
    case(
        "transfer to an assessment of other states",
        on_ledger(lambda lg: lg.transfer("USA", "1.00", to_assessment=2)),
        Invalid,
        "No. 2 does not assess United States",
    ),
    case(
        "transfer to two places",
        on_ledger(lambda lg: lg.transfer("AUT", "1.00", to_assessment=2, to_convention="APMBC")),
        Invalid,
        "a transfer goes to one place",
    ),
    case(
        "transfer to nowhere",
        on_ledger(lambda lg: lg.transfer("AUT", "1.00")),
        Invalid,
        "to_assessment=N or to_convention=",
    ),
    case(
        "refund larger than the credit",
        on_ledger(lambda lg: lg.refund("Austria", "2782.68", on=D(2025, 1, 1))),
        Invalid,
        "a refund of 2,782.68 USD is more than Austria's credit on 2025-01-01 (2,782.67 USD)",
    ),
    case(
        "refund before the payment",
        on_ledger(lambda lg: lg.refund("Austria", "1.00", on=D(2024, 6, 1))),
        Invalid,
        "credit on 2024-06-01 (0.00 USD)",
    ),
    case(
        "refund of nothing",
        on_ledger(lambda lg: lg.refund("Austria", "0.00")),
        Invalid,
        "a refund is more than 0.00 USD",
    ),
    case(
        "refund of a negative amount",
        on_ledger(lambda lg: lg.refund("Austria", "-5.00")),
        Invalid,
        "-5.00",
    ),
    case(
        "refund of a fraction of a cent",
        on_ledger(lambda lg: lg.refund("Austria", "1.005")),
        Invalid,
        "1.005",
    ),
    case(
        "refund to an unknown state",
        on_ledger(lambda lg: lg.refund("Atlantis", "1.00")),
        cc.UnknownStateError,
        "Atlantis",
    ),
    case(
        "the same assessment twice",
        on_ledger(
            lambda lg: lg.record_assessment(
                cc.assess(
                    cc.get_meeting("12MSP").replace(observers=["Angola", "Kenya"]),
                    total="480000.00",
                ),
                issued=D(2024, 11, 15),
                kind="final",
            )
        ),
        Invalid,
        "already recorded and in force as No. 2 (12MSP final, issued 2024-11-15",
        "duplicate_ok=True",
    ),
    case(
        "supersede a void assessment",
        on_ledger(
            lambda lg: lg.record_assessment(
                cc.apportion("100.00", ["Austria"], scale="2022-2024"),
                meeting="X",
                kind="correction",
                supersedes=3,
                issued=D(2024, 8, 1),
            )
        ),
        Invalid,
        "#3 is void since 2024-07-02 (wrong)",
    ),
    case(
        "a row changed by another program",
        on_ledger(lambda lg: None, tampered_ledger),
        cc.LedgerError,
        "changed outside ccm_costs: voids row 3 was changed after it was recorded",
        "Ledger.verify() lists every finding",
    ),
    case(
        "a trigger dropped",
        on_ledger(lambda lg: None, dropped_trigger),
        cc.LedgerError,
        "trigger payments_no_delete is missing: rows of payments could be deleted",
    ),
    case(
        "another application's database",
        on_ledger(lambda lg: None, other_database),
        cc.LedgerError,
        "another application",
        "songs",
    ),
    case(
        "not a database",
        on_ledger(lambda lg: None, lambda: b"hello, this is a text file"),
        cc.LedgerError,
        "is not an SQLite database",
    ),
    Case(
        "no ledger",
        lambda d: Ledger.open(d / "none.sqlite", create=False),
        cc.LedgerError,
        ("no ledger at", "none.sqlite"),
    ),
    Case("a payment order unknown", lambda d: PaymentOrder("newest"), Invalid, ("'newest'",)),
    Case(
        "a ledger with an unknown payment order",
        lambda d: Ledger.open(d / "new.sqlite", payment_order="newest"),
        Invalid,
        ("payment order 'newest' is not known", "oldest_first"),
    ),
    case(
        "payment rows ragged (unquoted thousands)",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "s.csv")),
        cc.PaymentImportError,
        "row 2: 6 cells where the header has 5",
        '"1,000.00"',
    ),
    case(
        "payment dated before the ledger",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "early.csv")),
        cc.PaymentImportError,
        "date 2020-01-01 is before the ledger's first assessment (issued 2024-06-03)",
        "confirm_dates=True",
    ),
    case(
        "payment dated after today",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "late.csv")),
        cc.PaymentImportError,
        "date 2999-01-01 is after today",
    ),
]
LATER = D(2030, 1, 1)  # after today, the day the tests run
CASES += [
    case(
        "transfer to an assessment paid in full",
        on_ledger(lambda lg: lg.transfer("Austria", "200.00", to_assessment=2, on=D(2025, 1, 15))),
        Invalid,
        "to assessment No. 2 on 2025-01-15 is more than Austria has outstanding on it "
        "(0.00 USD): it would settle nothing",
    ),
    case(
        "transfer to an unknown convention",
        on_ledger(lambda lg: lg.transfer("Austria", "1.00", to_convention="NOSUCH")),
        Invalid,
        "to_convention 'NOSUCH' is not a known convention: give one of apmbc, bwc, ccm",
    ),
    case(
        "void dated after today",
        on_ledger(lambda lg: lg.void(2, reason="x", on=LATER)),
        Invalid,
        "the void date 2030-01-01 is after today",
        "confirm_dates=True",
    ),
    case(
        "refund dated after today",
        on_ledger(lambda lg: lg.refund("Austria", "1.00", on=D(2031, 1, 1))),
        Invalid,
        "the refund date 2031-01-01 is after today",
    ),
    case(
        "transfer dated after today",
        on_ledger(lambda lg: lg.transfer("Austria", "1.00", to_convention="apmbc", on=LATER)),
        Invalid,
        "the transfer date 2030-01-01 is after today",
    ),
    case(
        "void reason with a terminal escape",
        on_ledger(lambda lg: lg.void(2, reason="bad\x1b[31mred")),
        Invalid,
        "the reason 'bad\\x1b[31mred' holds U+001B",
    ),
    case(
        "refund note with a terminal escape",
        on_ledger(lambda lg: lg.refund("Austria", "1.00", on=D(2025, 1, 1), note="a\x1b[2Jb")),
        Invalid,
        "the note 'a\\x1b[2Jb' holds U+001B",
    ),
    case(
        "refund of less than nothing",
        on_ledger(lambda lg: lg.refund("Austria", "-100")),
        Invalid,
        "a refund is more than 0.00 USD: give a positive amount, not '-100'",
    ),
    case(
        "import the ledger itself",
        on_ledger(lambda lg: lg.import_payments(lg.path)),
        cc.PaymentImportError,
        "the file is an SQLite database (a ccm_costs ledger?)",
    ),
    case(
        "import a missing file",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "missing.csv")),
        cc.PaymentImportError,
        "missing.csv: nothing recorded",
        "the file does not exist",
    ),
    case(
        "import a Windows-1252 file",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "cp.csv")),
        cc.PaymentImportError,
        "is not UTF-8 text",
    ),
    case(
        "import a reference twice, once on a bad row",
        on_ledger(lambda lg: lg.import_payments(Path(lg.path).parent / "twice.csv")),
        cc.PaymentImportError,
        "row 3: amount 'lots' is not a number",
        "row 3: reference 'R9' is also on row 2",
    ),
]
FILES = {
    "cp.csv": STATEMENT.encode() + "2024-07-01,Côte d'Ivoire,1.00,USD,R9\n".encode("cp1252"),
    "twice.csv": utf8(
        STATEMENT + "2024-07-01,Austria,1.00,USD,R9\n2024-07-02,Austria,lots,USD,R9\n"
    ),
    "s.csv": utf8(STATEMENT + "2024-07-01,Austria,1,000.00,USD,R9\n"),
    "early.csv": utf8(STATEMENT + "2020-01-01,Austria,1.00,USD,R9\n"),
    "late.csv": utf8(STATEMENT + "2999-01-01,Austria,1.00,USD,R9\n"),
}
CASES = [Case(c.id, c.call, c.error, c.says, {**c.files, **FILES}) if c.files else c for c in CASES]

CLI_CASES = [
    ("void an unknown assessment", ("void", "{dir}/l.sqlite", "9", "--reason", "x"),
     ("has no assessment #9",)),
    ("void without a reason", ("void", "{dir}/l.sqlite", "2"), ("--reason",)),
    ("void with an empty reason", ("void", "{dir}/l.sqlite", "2", "--reason", " "),
     ("--reason 'issued twice'",)),
    ("void a bad date", ("void", "{dir}/l.sqlite", "2", "--reason", "x", "--on", "2024-13-01"),
     ("--on",)),
    ("refund more than the credit",
     ("refund", "{dir}/l.sqlite", "Austria", "2782.68", "--on", "2025-01-01"),
     ("more than Austria's credit on 2025-01-01 (2,782.67 USD)",)),
    ("refund text", ("refund", "{dir}/l.sqlite", "Austria", "lots"), ("lots",)),
    ("transfer with no target", ("transfer", "{dir}/l.sqlite", "Austria", "1.00"),
     ("--to-assessment", "--to-convention")),
    ("transfer to an unknown assessment",
     ("transfer", "{dir}/l.sqlite", "Austria", "1.00", "--to-assessment", "99"),
     ("has no assessment #99",)),
    ("record the same assessment twice",
     ("record", "{dir}/l.sqlite", "12MSP", "--total", "480000.00", "--observers",
      "Angola,Kenya", "--kind", "final", "--issued", "2024-11-15"),
     ("already recorded and in force as No. 2", "--duplicate-ok")),
    ("import dates outside the ledger", ("import", "{dir}/l.sqlite", "{dir}/early.csv"),
     ("before the ledger's first assessment", "--confirm-dates")),
    ("import ragged rows", ("import", "{dir}/l.sqlite", "{dir}/s.csv"),
     ("6 cells where the header has 5",)),
    ("status onto the ledger", ("status", "{dir}/l.sqlite", "-o", "{dir}/l.sqlite"),
     ("is the ledger this command reads",)),
    ("status onto the ledger with --force",
     ("status", "{dir}/l.sqlite", "-o", "{dir}/l.sqlite", "--force"),
     ("is the ledger this command reads",)),
    ("export onto the ledger", ("export", "{dir}/l.sqlite", "-o", "{dir}/l.sqlite"),
     ("is the ledger this command reads",)),
    ("export over a file", ("export", "{dir}/l.sqlite", "-o", "{dir}/s.csv"),
     ("exists: add --force",)),
    ("status of a changed ledger", ("status", "{dir}/t.sqlite"),
     ("changed outside ccm_costs",)),
    ("verify no ledger", ("verify", "{dir}/none.sqlite"), ("no ledger at",)),
    ("verify text", ("verify", "{dir}/s.csv"), ("is not an SQLite database",)),
    ("status --by nothing", ("status", "{dir}/l.sqlite", "--by", "nothing"), ("--by",)),
    ("transfer to an assessment paid in full",
     ("transfer", "{dir}/l.sqlite", "Austria", "200", "--to-assessment", "2", "--on", "2025-01-15"),
     ("more than Austria has outstanding on it (0.00 USD)",)),
    ("transfer to an unknown convention",
     ("transfer", "{dir}/l.sqlite", "Austria", "1", "--to-convention", "NOSUCH"),
     ("--to-convention 'NOSUCH' is not a known convention: give one of apmbc, bwc, ccm",)),
    ("transfer to an escape code",
     ("transfer", "{dir}/l.sqlite", "Austria", "1", "--to-convention", "AP\x1b[2JMBC"),
     ("--to-convention 'AP\\x1b[2JMBC' is not a known convention",)),
    ("void after today", ("void", "{dir}/l.sqlite", "2", "--reason", "x", "--on", "2030-01-01"),
     ("the void date 2030-01-01 is after today", "--confirm-dates")),
    ("refund after today", ("refund", "{dir}/l.sqlite", "Austria", "1", "--on", "2031-01-01"),
     ("the refund date 2031-01-01 is after today", "--confirm-dates")),
    ("transfer after today", ("transfer", "{dir}/l.sqlite", "Austria", "1", "--to-convention",
                              "apmbc", "--on", "2040-01-15"),
     ("the transfer date 2040-01-15 is after today", "--confirm-dates")),
    ("void reason with an escape code",
     ("void", "{dir}/l.sqlite", "2", "--reason", "bad\x1b[31mred"), ("--reason: ", "U+001B")),
    ("refund note with an escape code",
     ("refund", "{dir}/l.sqlite", "Austria", "1", "--on", "2025-01-01", "--note", "a\x1bb"),
     ("--note: ", "U+001B")),
    ("refund of less than nothing", ("refund", "{dir}/l.sqlite", "Austria", "-100"),
     ("a refund is more than 0.00 USD",)),
    ("import the ledger itself", ("import", "{dir}/l.sqlite", "{dir}/l.sqlite"),
     ("l.sqlite is the ledger itself, not a payment file",)),
    ("import a missing file", ("import", "{dir}/l.sqlite", "{dir}/missing.csv"),
     ("missing.csv: nothing recorded", "the file does not exist")),
    ("import a Windows-1252 file", ("import", "{dir}/l.sqlite", "{dir}/cp.csv"),
     ("cp.csv", "is not UTF-8 text")),
    ("status of no state", ("status", "{dir}/l.sqlite", "--state", ""),
     ("--state names no state",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_ledger_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)


@pytest.mark.parametrize("case", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_ledger_command_line(
    case: tuple[str, tuple[str, ...], tuple[str, ...]], tmp_path: Path
) -> None:
    name, argv, says = case
    files = {**FILES, "l.sqlite": good_ledger(), "t.sqlite": tampered_ledger()}
    check_cli(CliCase(name, ("ledger", *argv), says, files), tmp_path)


def test_cli_users_read_only_the_command_line_words(tmp_path: Path) -> None:
    from corpus import cli

    (tmp_path / "t.sqlite").write_bytes(tampered_ledger())
    (tmp_path / "s.csv").write_bytes(FILES["s.csv"])
    _, _, err = cli(["ledger", "status", str(tmp_path / "t.sqlite")])
    assert "`ccm-costs ledger verify` lists every finding" in err and "Ledger." not in err
    _, _, err = cli(["ledger", "verify", str(tmp_path / "s.csv")])
    assert "is not an SQLite database" in err and "create" not in err, err
    _, out, _ = cli(["--help"])
    assert "1 the checked workbook differs, or `ledger verify` finds the\nledger changed" in out


def test_entries_dated_later_confirmed_and_printed_safely(tmp_path: Path) -> None:
    """--confirm-dates lets a later date in; a convention is stored as its id; a reason is
    echoed through the escaping printer."""
    from corpus import cli

    path = tmp_path / "l.sqlite"
    path.write_bytes(good_ledger())
    status, out, err = cli(
        ["ledger", "void", str(path), "2", "--reason", "wrong", "--on", "2030-01-01",
         "--confirm-dates"]
    )  # fmt: skip
    assert (status, out, err) == (0, "voided No. 2 on 2030-01-01: wrong\n", "")
    status, out, err = cli(
        ["ledger", "transfer", str(path), "Austria", "1", "--to-convention", "APMBC", "--on",
         "2040-01-15", "--confirm-dates"]
    )  # fmt: skip
    assert status == 0 and "to apmbc on 2040-01-15" in out, err
    with Ledger.open(path, create=False) as ledger:
        assert [m.to_convention for m in ledger.credit_moves()] == ["apmbc"]
        ledger.refund("Austria", "1.00", on=D(2031, 1, 1), confirm_dates=True)


def test_history_is_written_to_xlsx(tmp_path: Path) -> None:
    from corpus import cli
    from openpyxl import load_workbook

    path = tmp_path / "l.sqlite"
    path.write_bytes(good_ledger())
    status, _, err = cli(["ledger", "history", str(path), "-o", str(tmp_path / "h.xlsx")])
    assert status == 0, err
    sheet = load_workbook(tmp_path / "h.xlsx").active
    assert sheet is not None and sheet.title == "History"
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "void on 2024-07-02: wrong" in cells and "12MSP final" in cells


def test_verify_reports_a_changed_ledger_with_exit_1(tmp_path: Path) -> None:
    from corpus import cli

    (tmp_path / "t.sqlite").write_bytes(tampered_ledger())
    status, out, err = cli(["ledger", "verify", str(tmp_path / "t.sqlite")])
    assert (status, err) == (1, "")
    assert "voids row 3 was changed after it was recorded" in out
    (tmp_path / "l.sqlite").write_bytes(good_ledger())
    assert cli(["ledger", "verify", str(tmp_path / "l.sqlite")])[:2] == (
        0,
        f"{tmp_path / 'l.sqlite'}: intact (triggers in place, every row matches its seal)\n",
    )


LEDGER_GRAMMAR = {  # subcommand -> (positionals after the ledger, options)
    "record": (["word"], ["--total", "--issued", "--due", "--kind", "--supersedes", "--label",
                          "--observers", "--duplicate-ok", "--payment-order"]),
    "import": (["file"], ["--dry-run", "--confirm-dates", "--sheet"]),
    "status": ([], ["--as-at", "--by", "--format", "-o", "--force", "--payment-order"]),
    "history": ([], ["--format"]),
    "export": ([], ["-o", "--as-at", "--force"]),
    "void": (["word"], ["--reason", "--on"]),
    "verify": ([], []),
    "refund": (["word", "word"], ["--on", "--note"]),
    "transfer": (["word", "word"], ["--to-assessment", "--to-convention", "--on", "--note"]),
}  # fmt: skip
FLAGS = {"--duplicate-ok", "--dry-run", "--confirm-dates", "--force"}
LEDGER_WORDS = [
    "12MSP",
    "Austria",
    "AUT",
    "Narnia",
    "1",
    "2",
    "3",
    "99",
    "-1",
    "0",
    "1.005",
    "2782.67",
    "1,000.00",
    "abc",
    "",
    "2024-06-03",
    "2024-13-01",
    "2999-01-01",
    "final",
    "estimate",
    "correction",
    "oldest_first",
    "named_first",
    "ageing",
    "convention",
    "year",
    "csv",
    "json",
    "xlsx",
    "APMBC",
    "\x1b[31m",
    "x" * 300,
]
LEDGER_FILES = {
    "good": good_ledger,
    "changed": tampered_ledger,
    "no trigger": dropped_trigger,
    "other": other_database,
    "cut": lambda: good_ledger()[: len(good_ledger()) // 2],
    "text": lambda: b"date,state\n",
}


@st.composite
def ledger_command_lines(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(LEDGER_GRAMMAR)))
    positionals, options = LEDGER_GRAMMAR[command]
    words = st.sampled_from(LEDGER_WORDS)
    paths = st.sampled_from(["l.sqlite", "s.csv", "early.csv", "out.xlsx", "none.sqlite"])
    argv = ["ledger", command, draw(st.sampled_from(["l.sqlite", "none.sqlite", "s.csv"]))]
    argv += [draw(paths if p == "file" else words) for p in positionals]
    for option in draw(st.lists(st.sampled_from(options), max_size=4)) if options else []:
        argv.append(option)
        if option not in FLAGS:
            argv.append(draw(paths if option == "-o" else words))
    return argv


@settings(
    max_examples=int(os.environ.get("CCM_COSTS_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=ledger_command_lines(), kind=st.sampled_from(sorted(LEDGER_FILES)))
def test_random_ledger_command_lines_never_end_in_a_traceback(
    argv: list[str], kind: str, tmp_path: Path
) -> None:
    from corpus import cli

    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, contextlib.chdir(folder):
        Path("l.sqlite").write_bytes(LEDGER_FILES[kind]())
        for name, data in FILES.items():
            Path(name).write_bytes(data)
        status, _out, err = cli(argv)  # cli() fails on any exception: no traceback
    allowed = {0, 2, 1} if argv[1] == "verify" else {0, 2}
    assert status in allowed, (argv, kind, status, err)
    assert "Traceback" not in err
