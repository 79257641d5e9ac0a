"""`kommunvakt analyze PATH... [--municipality X] --json`: one JSON object per file, as the issue specifies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from monitor.cli import main
from tests.support.seeds import SEEDS

PRESS = "press-en-stockholm-says-no-to-coordinator.txt"
STOCKHOLM = "protocol-sv-stockholm-utlatande-motion-frivillig-atervandring-ocr.txt"
VAGGERYD = "protocol-sv-vaggeryd-interpellationssvar-atervandring.txt"
TWELVE = {"0180", "1480", "2510", "2582", "2584", "2523", "2513", "2521", "2505", "2506", "2580", "2514"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KOMMUNVAKT_CONFIG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["analyze", *args, "--json"])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_the_three_seeds_give_what_the_seed_readme_says(capsys, tmp_path: Path) -> None:
    code, [press] = run(capsys, str(SEEDS / PRESS))
    assert code == 0
    assert {s["municipality_code"]: s["stance"] for s in press["stances"]} == dict.fromkeys(TWELVE, "declined")
    assert {"national coordinator", "voluntary repatriation", "remigration", "repatriation grant"} <= {
        m["term"] for m in press["mentions"]}
    for name, code_ in ((STOCKHOLM, "0180"), (VAGGERYD, "0665")):
        _, [protocol] = run(capsys, str(SEEDS / name), "--municipality", code_)
        assert {s["municipality_code"]: s["stance"] for s in protocol["stances"]} == {code_: "declined"}
        assert protocol["stances"][0]["authority"] == "decision"
        assert len(protocol["mentions"]) >= 5


def test_offsets_and_evidence_index_the_extracted_text(capsys) -> None:
    _, [press] = run(capsys, str(SEEDS / PRESS))
    text = (SEEDS / PRESS).read_text(encoding="utf-8").strip()
    for mention in press["mentions"]:
        assert mention["page"] is None  # not a PDF
        assert mention["start"] < mention["end"] and mention["snippet"] in text
    for stance in press["stances"]:
        start = stance["evidence_start"]
        assert text[start:start + len(stance["evidence"])] == stance["evidence"]
        assert 0 < stance["confidence"] <= 1


def test_a_pdf_gives_the_page_of_each_mention_and_evidence(capsys, tmp_path: Path) -> None:
    pdf = tmp_path / "protokoll.pdf"
    canvas = Canvas(str(pdf), pagesize=A4, invariant=1)
    for line in ("Kommunstyrelsen sammanträder om budgeten.", "Vaggeryds kommun tackar nej till inbjudan "
                 "från den nationella samordnaren för återvandring."):
        canvas.drawString(72, 760, line)
        canvas.showPage()
    canvas.save()
    _, [entry] = run(capsys, str(pdf))
    assert entry["mentions"] and {m["page"] for m in entry["mentions"]} == {2}
    assert [(s["municipality_code"], s["stance"], s["page"]) for s in entry["stances"]] == [("0665", "declined", 2)]


def test_an_unreadable_file_is_reported_and_the_others_are_analysed(capsys, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(200))
    copy = tmp_path / "press.txt"
    shutil.copy(SEEDS / PRESS, copy)
    code, entries = run(capsys, str(broken), str(tmp_path / "saknas.txt"), str(copy))
    assert code == 1
    assert [bool(e.get("error")) for e in entries] == [True, True, False]
    assert entries[2]["municipalities"][0] == "0180" and len(entries[2]["stances"]) == 12


def test_windows_1252_text_is_read(capsys, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Kalix kommun säger nej till återvandringssamordnaren.".encode("cp1252"))
    _, [entry] = run(capsys, str(path))
    assert [(s["municipality"], s["stance"]) for s in entry["stances"]] == [("Kalix", "declined")]


def test_plain_output_without_json(capsys) -> None:
    assert main(["analyze", str(SEEDS / VAGGERYD), "--municipality", "Vaggeryd"]) == 0
    out = capsys.readouterr().out
    assert "Vaggeryd" in out and "declined" in out


def test_a_statement_the_rules_cannot_attribute_is_a_candidate_with_its_sentence(capsys, tmp_path: Path) -> None:
    path = tmp_path / "notis.txt"
    sentence = "Moderaterna i Kalix nobbar samordnaren för återvandring."
    path.write_text(f"{sentence}\n\nPartiet sitter i opposition sedan valet.", encoding="utf-8")
    _, [entry] = run(capsys, str(path))
    assert entry["stances"] == []
    [candidate] = entry["candidates"]
    assert (candidate["municipality"], candidate["stance"]) == ("Kalix", "declined")
    assert candidate["evidence"] == sentence and candidate["evidence_start"] == 0
    assert 0 < candidate["confidence"] < 0.6 and candidate["reason"]
    assert main(["analyze", str(path)]) == 0
    assert "candidate for review: Kalix" in capsys.readouterr().out
