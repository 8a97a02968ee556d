"""Assessment notices read back from the PDFs: every figure against the assessment, the batch
against its total, the ledger's open position, the notices after a final, settings and
templates, and the status report."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import ccm_costs as cc
from ccm_costs._outputs.notices import computation

ISSUED = dt.date(2024, 6, 3)


def text_of(path: Path) -> str:
    """A PDF's text, with the line breaks of wrapped sentences made spaces."""
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def usd(minor: int) -> str:
    """Minor units as the notices print them: ``1,234.56``."""
    return f"{Decimal(minor).scaleb(-2):,}"


def control_rows(path: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows[:-1], rows[-1]


@pytest.fixture(scope="module")
def twelfth() -> cc.Assessment:
    return cc.assess(cc.get_meeting("12MSP").replace(observers=["Angola", "Kenya"]),
                     total="500000.00")  # fmt: skip


@pytest.fixture(scope="module")
def batch(twelfth: cc.Assessment, tmp_path_factory: pytest.TempPathFactory) -> cc.NoticeBatch:
    return cc.write_notices(tmp_path_factory.mktemp("notices"), twelfth, issued=ISSUED)


def test_one_notice_per_paying_state_whose_figures_are_the_assessments(
    twelfth: cc.Assessment, batch: cc.NoticeBatch
) -> None:
    assert len(batch.paths) == len(twelfth) == 114
    read_total = Decimal(0)
    for line, path in zip(twelfth.lines, batch.paths, strict=True):
        text = text_of(path)
        assert len(PdfReader(path).pages) == 1, path.name
        assert f"Reference: CCM/12MSP/2024-06-03/{line.iso3}" in text
        assert f"To: {line.state} ({line.iso3}), {line.role}" in text
        assert "Convention on Cluster Munitions (CCM)" in text
        assert "Twelfth Meeting of States Parties (12MSP)" in text
        assert "10 September 2024 to 13 September 2024, Geneva (Palais des Nations)" in text
        assert "Article 14(1)." in text
        assert "Total cost, shared among 114 states 500,000.00" in text
        assert f"rate of {line.state} {line.un_rate} %" in text
        assert f"Total UN rate of the 114 states sharing the cost {twelfth.un_rate_total} %" in text
        assert f"Adjusted rate of {line.state} {line.rate} %" in text
        amount = re.search(rf"Amount assessed to {re.escape(line.state)} ([\d,]+\.\d\d)", text)
        assert amount is not None, line.iso3
        assert Decimal(amount[1].replace(",", "")) == line.amount
        read_total += Decimal(amount[1].replace(",", ""))
        assert f"Please pay USD {line.amount:,} by 3 July 2024." in text
        assert "30 days after the date of issue (UN Financial Regulation 3.4)" in text
        assert f"{line.un_rate} / {twelfth.un_rate_total} (its UN rate over" in text
        one_more = "given one more cent by the largest-remainder rule" in text
        assert one_more == twelfth.rounded_up(line.iso3), line.iso3
        assert f"Please quote the reference CCM/12MSP/2024-06-03/{line.iso3}" in text
        assert "[BANK NAME]" in text and "[NAME OF THE SIGNING OFFICER]" in text
    assert read_total == twelfth.total == Decimal("500000.00")


def test_the_control_list_adds_up_to_the_total(
    twelfth: cc.Assessment, batch: cc.NoticeBatch
) -> None:
    rows, total = control_rows(batch.control_file)
    assert batch.control_file.name == "CCM-12MSP-2024-06-03-control.csv"
    assert [r["iso3"] for r in rows] == [line.iso3 for line in twelfth.lines]
    assert sum(Decimal(r["amount"]) for r in rows) == twelfth.total
    assert total["reference"] == "Total" and Decimal(total["amount"]) == twelfth.total
    assert batch.total_minor == twelfth.total_minor
    assert {r["file"] for r in rows} == {p.name for p in batch.paths}
    frame = batch.to_frame()
    assert int(frame["amount_minor"].sum()) == twelfth.total_minor
    sheet = load_workbook(batch.control_workbook).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = cells.index(["reference", "iso3", "state", "role", "un_rate", "adjusted_rate",
                          "amount", "currency", "kind", "file"])  # fmt: skip
    body = cells[header + 1 : header + 1 + len(twelfth)]
    assert [row[1] for row in body] == [line.iso3 for line in twelfth.lines]
    assert [Decimal(str(row[6])) for row in body] == [line.amount for line in twelfth.lines]
    totals = cells[header + 1 + len(twelfth)]
    assert totals[0] == "Total" and Decimal(str(totals[6])) == twelfth.total


def test_the_batch_lists_the_placeholders_still_printed(batch: cc.NoticeBatch) -> None:
    assert "bank.Bank: [BANK NAME]" in batch.placeholders
    summary = batch.summary()
    assert summary.startswith("114 notices in ")
    assert "adding up to 500,000.00 USD" in summary and "[IBAN]" in summary


def test_the_summary_counts_in_words_that_agree(tmp_path: Path) -> None:
    one = cc.apportion("100.00", ["AUT"], scale="2022-2024")
    summary = cc.write_notices(tmp_path, one, issued=ISSUED).summary()
    assert summary.startswith(f"1 notice in {tmp_path} (1 assessment notice), adding up")
    assert "still print 13 placeholders of the shipped" in summary and "(s)" not in summary


def test_the_shipped_settings_hold_no_real_bank_details() -> None:
    settings = cc.notice_template_files()[2]
    text = settings.read_text(encoding="utf-8")
    bank = text[text.index("[bank]") :]
    values = re.findall(r'= "([^"]*)"', bank)
    assert values and all(re.fullmatch(r"\[[A-Z /]+\]", v) for v in values)


def test_an_existing_notice_is_replaced_only_with_force(
    twelfth: cc.Assessment, batch: cc.NoticeBatch
) -> None:
    before = {p: p.stat().st_mtime_ns for p in batch.folder.iterdir()}
    with pytest.raises(cc.InvalidInputError, match="already holds 116 of these") as err:
        cc.write_notices(batch.folder, twelfth, issued=ISSUED)
    assert "force=True" in str(err.value)
    assert {p: p.stat().st_mtime_ns for p in batch.folder.iterdir()} == before
    again = cc.write_notices(batch.folder, twelfth, issued=ISSUED, force=True)
    assert again.paths == batch.paths
    assert not list(batch.folder.glob(".*.part"))


def test_the_same_data_gives_the_same_file(twelfth: cc.Assessment, tmp_path: Path) -> None:
    one = cc.write_notices(tmp_path / "a", twelfth, issued=ISSUED)
    two = cc.write_notices(tmp_path / "b", twelfth, issued=ISSUED)
    assert one.paths[0].read_bytes() == two.paths[0].read_bytes()


def test_one_sentence_says_how_the_amount_was_computed() -> None:
    a = cc.apportion("100.00", ["AUT", "BEL", "CHE"], scale="2022-2024")
    sentences = {line.iso3: computation(a, line) for line in a}
    for line in a:
        assert sentences[line.iso3].startswith(f"100.00 \u00d7 {line.un_rate} / {a.un_rate_total}")
        assert sentences[line.iso3].endswith(f": {line.amount} USD.")
    # exactly the leftover cents went to the largest remainders
    up = [code for code in sentences if "one more cent" in sentences[code]]
    assert up == [code for code in sentences if a.rounded_up(code)]
    bounded = cc.apportion("100.00", ["AUT", "BEL", "USA"], scale="2022-2024",
                           rules=cc.rules.load("un-pro-rata").replace(ceiling="50"))  # fmt: skip
    assert "at the ceiling" in computation(bounded, bounded["USA"])


def test_settings_of_the_office_replace_the_placeholders(
    twelfth: cc.Assessment, tmp_path: Path
) -> None:
    settings = tmp_path / "office.toml"
    settings.write_text(
        'letterhead = ["Implementation Support Unit", "Geneva"]\n'
        'payment_instructions = ["Quote {reference}."]\n'
        '[signature]\nclosing = "For the ISU"\nname = "A. Officer"\ntitle = "Finance"\n'
        '[bank]\n"Bank" = "Example Bank"\n"IBAN" = "XX00 0000"\n',
        encoding="utf-8",
    )
    out = cc.write_notices(tmp_path / "n", twelfth, settings=settings, issued=ISSUED)
    assert out.placeholders == ()
    text = text_of(out.paths[0])
    assert "Implementation Support Unit" in text and "Example Bank" in text
    assert "Quote CCM/12MSP/2024-06-03/AFG." in text and "A. Officer" in text
    assert "[" not in text


def test_a_settings_file_with_unknown_keys_is_refused_with_every_problem(
    twelfth: cc.Assessment, tmp_path: Path
) -> None:
    settings = tmp_path / "office.toml"
    settings.write_text('letterhed = ["x"]\n[signature]\nnmae = "y"\n', encoding="utf-8")
    with pytest.raises(cc.DataFileError) as err:
        cc.write_notices(tmp_path / "n", twelfth, settings=settings)
    assert [p.field for p in err.value.problems] == ["letterhed", "signature.nmae"]
    assert not (tmp_path / "n").exists()


def test_settings_text_with_a_control_character_is_refused(
    twelfth: cc.Assessment, tmp_path: Path
) -> None:
    settings = tmp_path / "office.toml"
    settings.write_text('letterhead = ["Office", "Pay \\u202eXX"]\n', encoding="utf-8")
    with pytest.raises(cc.DataFileError) as err:
        cc.write_notices(tmp_path / "n", twelfth, settings=settings)
    assert [p.field for p in err.value.problems] == ["letterhead[1]"]
    assert "U+202E" in str(err.value)


def test_a_template_of_ones_own(twelfth: cc.Assessment, tmp_path: Path) -> None:
    template = tmp_path / "mine.typ"
    template.write_text(
        "#let n = json(bytes(sys.inputs.notice)).notice\n"
        "Ours: #n.reference, #n.rows.last().at(1)\n",
        encoding="utf-8",
    )
    out = cc.write_notices(tmp_path / "n", twelfth, template=template, issued=ISSUED)
    assert text_of(out.paths[0]) == f"Ours: CCM/12MSP/2024-06-03/AFG, {twelfth.lines[0].amount}"
    template.write_text("#let n = json(bytes(sys.inputs.notice)).notice\n#n.nothing\n")
    with pytest.raises(cc.InvalidInputError, match=r"mine\.typ cannot be typeset"):
        cc.write_notices(tmp_path / "m", twelfth, template=template, issued=ISSUED)
    assert not (tmp_path / "m").exists()  # nothing written
    text = tmp_path / "mine.txt"
    text.write_text("#sys.inputs.notice\n", encoding="utf-8")
    with pytest.raises(cc.InvalidInputError, match=r"mine\.txt'? is not a typst template"):
        cc.write_notices(tmp_path / "m", twelfth, template=text, issued=ISSUED)
    assert not (tmp_path / "m").exists()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> cc.Ledger:
    """The 11MSP of 2023, the 12MSP estimate and final, and three payments."""
    path = tmp_path_factory.mktemp("ledger") / "ccm.sqlite"
    eleventh = cc.assess(cc.get_meeting("11MSP"), total="400000.00")
    meeting = cc.get_meeting("12MSP")
    with cc.Ledger.open(path) as book:
        book.record_assessment(eleventh, issued=dt.date(2023, 8, 1))
        book.record_assessment(cc.assess(meeting, total="500000.00"), issued=ISSUED)
        book.record_assessment(
            cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00"),
            kind="final", supersedes=2, issued=dt.date(2024, 11, 15),
        )  # fmt: skip
        book.import_payments(
            [
                cc.Payment("B-1", "AUT", dt.date(2024, 1, 20), 1_000_000, "USD"),
                cc.Payment("B-2", "FRA", dt.date(2024, 7, 1), 3_000_000, "USD"),
                cc.Payment("B-3", "ISL", dt.date(2024, 2, 1), 100_000, "USD"),
            ]
        )
    return cc.Ledger.open(path, create=False)


def test_a_notice_shows_the_states_account_in_the_ledger(ledger: cc.Ledger, tmp_path: Path) -> None:
    estimate = cc.assess(cc.get_meeting("12MSP"), total="500000.00")
    out = cc.write_notices(tmp_path, estimate, ledger=ledger, assessment_id=2)
    status = cc.status_of_contributions(ledger, ISSUED).by_assessment
    first = status[status["assessment_id"] == 1].set_index("iso3")
    for code in ("DEU", "AUT", "ISL"):
        text = text_of(tmp_path / f"CCM-12MSP-2-{code}.pdf")
        assert "Reference: CCM/12MSP/2/" + code in text
        assert "Your account on 3 June 2024" in text
        overdue = int(first.loc[code, "outstanding_minor"])
        if overdue:
            assert f"Arrears: assessments of 2023, overdue {usd(overdue)}" in text
            owed = overdue + estimate[code].amount_minor  # nothing paid towards #2 yet
            assert f"Total outstanding, with the arrears {usd(owed)}" in text
        else:
            assert "Arrears" not in text
        assert "(UN Financial Regulation 3.4), as recorded with assessment #2 in the ledger" in text
    # Austria paid 10,000.00 in January 2024: its 2023 share, the rest applied to #2
    second = status[status["assessment_id"] == 2].set_index("iso3")
    applied = int(second.loc["AUT", "received_minor"])
    assert 0 < applied < estimate["AUT"].amount_minor
    austria = text_of(tmp_path / "CCM-12MSP-2-AUT.pdf")
    assert f"Received and applied to 12MSP (assessment #2) {usd(applied)}" in austria
    balance = estimate["AUT"].amount_minor - applied
    assert f"Balance due for 12MSP after this notice {usd(balance)}" in austria
    assert sum(line.amount_minor for line in out.control) == estimate.total_minor


def test_after_a_final_the_notices_bill_the_difference(ledger: cc.Ledger, tmp_path: Path) -> None:
    final = cc.assess(cc.get_meeting("12MSP").replace(observers=["Angola", "Kenya"]),
                      total="480000.00")  # fmt: skip
    out = cc.write_notices(tmp_path, final, ledger=ledger, assessment_id=3)
    recon = cc.reconcile(ledger.assessment(2), final)
    assert out.total_minor == recon.difference_total_minor == -2_000_000
    rows, total = control_rows(out.control_file)
    assert (
        sum(Decimal(r["amount"]) for r in rows) == Decimal(total["amount"]) == Decimal("-20000.00")
    )
    # every money column is totalled: final - billed before = amount
    assert sum(Decimal(r["final"]) for r in rows) == Decimal(total["final"]) == final.total
    billed = sum(Decimal(r["billed_before"]) for r in rows)
    assert billed == Decimal(total["billed_before"]) == Decimal("500000.00")
    sheet = load_workbook(out.control_workbook).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    (totals,) = [row for row in cells if row[0] == "Total"]
    assert [Decimal(str(v)) for v in totals[6:9]] == [final.total, billed, Decimal("-20000.00")]
    kinds = {line.iso3: line.kind for line in out.control}
    assert kinds["AGO"] == kinds["KEN"] == "additional assessment"
    assert sum(k == "credit" for k in kinds.values()) == 112
    angola = text_of(tmp_path / "CCM-12MSP-3-AGO.pdf")
    line = final["AGO"]
    assert "ADDITIONAL ASSESSMENT" in angola
    assert f"Amount assessed to Angola {line.amount:,}" in angola
    # the estimate did not bill Angola (an observer new in the final): it is not named
    assert "Less: billed" not in angola and "assessments #2 and #3" not in angola
    assert "Angola was not assessed on assessment #2 of 3 June 2024: this notice bills" in angola
    assert "Received and applied to 12MSP (assessment #3) 0.00" in angola
    assert f"Additional amount due {line.amount:,}" in angola
    assert "due date is 30 days after the date of issue" in angola
    assert "15 December 2024" in angola
    france = text_of(tmp_path / "CCM-12MSP-3-FRA.pdf")
    difference = recon.lines[[r.iso3 for r in recon.lines].index("FRA")].difference_minor
    assert "CREDIT NOTE" in france and "Due date: not applicable" in france
    assert f"Credit in favour of France {usd(-difference)}" in france
    # a credit note asks for no payment: how the credit is applied, no bank details
    assert "Payment instructions" not in france and "with your payment" not in france
    assert "[BANK NAME]" not in france and "[IBAN]" not in france
    assert "How the credit is applied • No payment is requested" in france
    assert f"credit of USD {usd(-difference)} first reduces what the estimate billed" in france
    assert "refunded instead, write to the office quoting the reference CCM/12MSP/3/FRA" in france
    assert "Payment instructions" in angola and "[BANK NAME]" in angola


def test_a_ledger_assessment_must_be_the_one_given(ledger: cc.Ledger, tmp_path: Path) -> None:
    other = cc.assess(cc.get_meeting("12MSP"), total="500000.01")
    with pytest.raises(cc.InvalidInputError, match="#2 of the ledger is not this assessment"):
        cc.write_notices(tmp_path, other, ledger=ledger, assessment_id=2)
    with pytest.raises(cc.InvalidInputError, match="give ledger= too"):
        cc.write_notices(tmp_path, other, assessment_id=2)


def test_the_status_report_has_a_section_per_convention(ledger: cc.Ledger, tmp_path: Path) -> None:
    day = dt.date(2025, 1, 31)
    path = cc.write_status_report(tmp_path / "status.pdf", ledger, day, issued=day)
    text = text_of(path)
    totals = cc.status_of_contributions(ledger, day).totals
    assert "Status of contributions as at 31 January 2025" in text
    # one section; the footer of every page names the convention too
    pages = len(PdfReader(path).pages)
    assert text.count("Convention on Cluster Munitions (CCM)") == 1 + pages
    # what the sections received is the status' received: the credits held included
    assert totals["credit_minor"] > 0
    money = [usd(totals[k]) for k in ("assessed_minor", "received_minor", "outstanding_minor")]
    assert "Total " + " ".join(money) in text
    assert "Credits held" in text and f"Total {usd(totals['credit_minor'])}" in text


def test_a_state_with_nothing_to_pay_gets_no_notice_and_a_credit_gets_a_credit_note(
    tmp_path: Path,
) -> None:
    rules = cc.rules.load("un-pro-rata").then(cc.rules.Exclude(label="Without", below="0.1"))
    a = cc.apportion("1000.00", ["DEU", "FRA", "TUV"], scale="2022-2024", rules=rules)
    out = cc.write_notices(tmp_path / "a", a, issued=ISSUED)
    names = ["assessment-2024-06-03-FRA.pdf", "assessment-2024-06-03-DEU.pdf"]  # by name
    assert [p.name for p in out.paths] == names
    rows, _ = control_rows(out.control_file)
    tuvalu = rows[[r["iso3"] for r in rows].index("TUV")]
    assert (tuvalu["amount"], tuvalu["kind"], tuvalu["file"]) == (
        "0.00", "no notice: nothing to pay", "",
    )  # fmt: skip
    assert "after Without" in text_of(out.paths[0])
    refund = cc.apportion("-100.00", ["AUT", "BEL"], scale="2022-2024")
    credit = cc.write_notices(tmp_path / "c", refund, issued=ISSUED)
    text = text_of(credit.paths[0])
    assert "CREDIT NOTE" in text and f"USD {-refund['AUT'].amount:,} is credited" in text
    assert "settles the state's next assessments" in text and "estimate" not in text
    assert "Payment instructions" not in text and "[IBAN]" not in text
    assert f"The credit of USD {-refund['AUT'].amount:,} settles the next assessments" in text
    assert credit.total == Decimal("-100.00")


def test_notices_of_the_difference_from_two_assessments(tmp_path: Path) -> None:
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="500000.00")
    final = cc.assess(meeting.replace(observers=["Kenya"]), total="510000.00")
    out = cc.write_notices(tmp_path, final, estimate=estimate, issued="2024-11-15")
    assert out.total_minor == final.total_minor - estimate.total_minor == 1_000_000
    assert [line.kind for line in out.control].count("additional assessment") == 113
    kenya = text_of(tmp_path / "CCM-12MSP-2024-11-15-KEN.pdf")
    amount = f"{final['KEN'].amount:,}"
    assert f"Amount assessed to Kenya {amount} Additional amount due {amount}" in kenya
    assert "Less: billed" not in kenya and "Kenya was not assessed on the estimate" in kenya
    assert "Your account" not in kenya  # no ledger given
    back = cc.write_notices(tmp_path / "back", estimate, estimate=final, issued="2024-11-15")
    gone = text_of(back.folder / "CCM-12MSP-2024-11-15-KEN.pdf")  # in the "estimate" only
    assert "To: Kenya (KEN), observer CREDIT NOTE" in gone
    billed = f"-{final['KEN'].amount:,}"
    assert f"Amount assessed to Kenya in the final 0.00 Less: billed on the estimate {billed}" in (
        gone
    )
    assert "Kenya is not assessed in the final assessment" in gone
    with pytest.raises(cc.InvalidInputError, match="folder='' is empty: give the folder"):
        cc.write_notices("", final, estimate=estimate, issued="2024-11-15")
    with pytest.raises(cc.InvalidInputError, match="issued 'soon' is not a date"):
        cc.write_notices(tmp_path, final, issued="soon")


@pytest.fixture(scope="module")
def money_cycle(tmp_path_factory: pytest.TempPathFactory) -> cc.Ledger:
    """The README's money cycle: the 12MSP estimate, the final with Angola and Kenya, and
    the payments of statement.csv (Austria paid more than the final bills it)."""
    path = tmp_path_factory.mktemp("cycle") / "ccm.sqlite"
    meeting = cc.get_meeting("12MSP")
    with cc.Ledger.open(path) as book:
        book.record_assessment(cc.assess(meeting, total="500000.00"), issued=ISSUED)
        book.record_assessment(
            cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00"),
            kind="final", supersedes=1, issued=dt.date(2024, 11, 15),
        )  # fmt: skip
        book.import_payments(
            [
                cc.Payment("B-1", "AUT", dt.date(2024, 6, 20), 1_000_000, "USD"),
                cc.Payment("B-2", "FRA", dt.date(2024, 12, 1), 3_000_000, "USD"),
            ]
        )
    return cc.Ledger.open(path, create=False)


def test_the_status_reports_figures_are_the_status_totals(
    money_cycle: cc.Ledger, tmp_path: Path
) -> None:
    day = dt.date(2025, 1, 31)
    path = cc.write_status_report(tmp_path / "status.pdf", money_cycle, day, issued=day)
    text = text_of(path)
    status = cc.status_of_contributions(money_cycle, day)
    totals = status.totals
    credit = totals["credit_minor"]
    assert credit == 278_267  # Austria paid 10,000.00 of a final share of 7,217.33
    # one section, the convention's: the credit is no section of its own
    assert "Convention not recorded" not in text
    assert "114 states assessed" in text and "1 states" not in text
    keys = ("assessed_minor", "received_minor", "outstanding_minor")
    section = "Total " + " ".join(usd(totals[k]) for k in keys)
    assert text.count(section) == 2  # the states' total and the years' total
    assert usd(totals["received_minor"]) == "40,000.00"
    assert f"2024 480,000.00 {usd(totals['received_minor'] - credit)} " in text
    assert f"Held as credit 0.00 {usd(credit)} 0.00" in text
    assert f"including {usd(credit)} that no assessment took yet" in text
    austria = status.by_state.set_index("iso3").loc["AUT"]
    assert f"Austria {usd(int(austria['assessed_minor']))} 10,000.00 0.00 paid in full" in text
    assert "Credits held" in text and f"Austria {usd(credit)} Total {usd(credit)}" in text
    every = ("assessed_minor", "received_minor", "outstanding_minor", "credit_minor",
             "unapplied_minor")  # fmt: skip
    assert "All conventions " + " ".join(usd(totals[k]) for k in every) in text
    # the convention and the date on every page, never the ledger's file
    assert "ccm.sqlite" not in text and "ledger:" not in text
    footer = "Status of contributions as at 31 January 2025 Convention on Cluster Munitions (CCM)"
    assert text.count(footer) == len(PdfReader(path).pages)


def test_the_status_report_of_one_state_says_one_state(tmp_path: Path) -> None:
    with cc.Ledger.open(tmp_path / "one.sqlite") as book:
        one = cc.apportion("1000.00", ["AUT"], scale="2022-2024")
        book.record_assessment(one, meeting="one", issued=ISSUED)
        book.import_payments([cc.Payment("B-1", "ISL", ISSUED, 5000, "USD")])
        path = cc.write_status_report(tmp_path / "s.pdf", book, ISSUED, issued=ISSUED)
    text = text_of(path)
    assert "1 state assessed;" in text and "1 states" not in text
    assert "1 received; 0 refunds, 0 transfers of credit" in text and "(s)" not in text
    assert "Unapplied receipts" in text and "Iceland 50.00 Total 50.00" in text
    assert "All conventions 1,000.00 0.00 1,000.00 0.00 50.00" in text
