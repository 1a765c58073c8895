"""The PP-OCR models run by ``zhutui.ppocr`` (issue 20): each step as PaddleOCR defines it (checked
against rapidocr's own pipeline on the same page), the certificate read only as far as its fields,
and models that are missing named, not a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from zhutui import ocr, ppocr
from zhutui.appfile import load
from zhutui.certfile import first_page, in_reading_order, read_page
from zhutui.certificate import read_certificate
from zhutui.demo import generate


@pytest.fixture(scope="module")
def certificate_page(tmp_path_factory) -> Image.Image:
    """A demo certificate photo's sheet, upright, as the engine reads it."""
    made = generate(tmp_path_factory.mktemp("ppocr") / "batch", patents=1, projects=0, with_errors=False, seed=20)
    app = load(made.applications[0])
    entry = next(a for a in app.data["attachments"] if a["kind"] == "patent_certificate")
    path = app.attachment_file(entry)
    assert path is not None
    page = first_page(path)
    assert isinstance(page, Image.Image)
    return page.rotate(90 * ocr.quarter_turns(page), expand=True)


def test_each_step_is_paddleocrs_as_rapidocr_runs_it(certificate_page):
    from rapidocr import RapidOCR

    theirs = RapidOCR(params={"Global.log_level": "error", "Det.limit_type": "max", "Det.limit_side_len": 800})
    pixels, _ = ocr._bgr(certificate_page, ocr.MAX_SIDE)

    # Detection: the same boxes, corner for corner.
    mine = ppocr.detect(pixels, 800)
    found = theirs._load_det_model()(pixels)
    assert len(mine) > 15
    assert np.array_equal(mine, found.boxes.astype(np.float32))

    # Each line cut out, classified and read as rapidocr does it.
    crops = [ppocr.crop(pixels, box) for box in mine]
    assert all(np.array_equal(a, b) for a, b in zip(crops, theirs.crop_text_regions(pixels, found.boxes), strict=True))
    verdicts = theirs._load_cls_model()(crops).cls_res
    for (flipped, score), (label, their_score) in zip(ppocr.upside_down(crops), verdicts, strict=True):
        assert flipped == (label == "180") and score == pytest.approx(float(their_score), abs=1e-5)
    texts = theirs.recognize_txt(crops)
    for read, their_text, their_score in zip(ppocr.recognise(crops), texts.txts, texts.scores, strict=True):
        if their_score >= ppocr.TEXT_SCORE:
            assert read.text == their_text and read.mean == pytest.approx(their_score, abs=1e-4)
            assert read.least <= read.mean
        else:
            assert read.text == ""


def test_a_certificate_is_read_down_to_its_fields_and_no_further(certificate_page, monkeypatch):
    everything = ocr.find_text(certificate_page)
    lines, _turns = in_reading_order(everything.lines())
    expected = read_certificate(lines)
    assert expected is not None and len(expected) == 6

    recognised: list[int] = []
    real = ppocr.recognise
    monkeypatch.setattr(ppocr, "recognise", lambda crops: recognised.append(len(crops)) or real(crops))
    lines, turns = read_page(certificate_page)
    assert turns == 0
    fields = read_certificate(lines)
    assert fields is not None
    # The same values (confidences move a little with what else is in a line's batch).
    assert {k: f.value for k, f in fields.items()} == {k: f.value for k, f in expected.items()}
    assert sum(recognised) < len(everything.boxes) - 3  # the legal text below was not read


def test_a_page_upside_down_is_turned_as_a_whole(certificate_page):
    upside_down = ocr.find_text(certificate_page.rotate(180))
    assert upside_down.turns == 2
    texts = [line.text.replace(" ", "") for line in upside_down.lines()]
    assert "发明专利证书" in texts and any(text.startswith("专利号") for text in texts)  # each line turned round
    assert ocr.find_text(certificate_page.rotate(90, expand=True)).turns == 3


def test_models_are_found_in_a_frozen_bundle_and_missing_ones_named(run, tmp_path, monkeypatch, certificate_page):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert ppocr.models_dir() == tmp_path / "rapidocr" / "models"
    monkeypatch.setattr(ppocr, "_sessions", {})  # none loaded yet, as in a fresh process
    photo = tmp_path / "证书.png"
    certificate_page.save(photo)
    code, out, err = run("ocr", str(photo))
    assert code == 3
    assert ppocr.MODEL_FILES["det"] in err and "请重新安装本软件" in err
    assert "Traceback" not in out + err
    monkeypatch.undo()
    assert Path(ppocr.models_dir(), ppocr.MODEL_FILES["rec"]).is_file()


def test_a_page_photographed_at_a_slant_reads_in_order(certificate_page):
    expected = read_certificate(in_reading_order(ocr.find_text(certificate_page).lines())[0])
    assert expected is not None
    for degrees in (50, -130):  # near 45°: some lines are cut out standing, some lying
        slanted = certificate_page.rotate(degrees, expand=True, resample=Image.Resampling.BICUBIC)
        lines, turns = read_page(slanted)
        assert turns == (3 if degrees == 50 else 1), degrees
        fields = read_certificate(lines)
        assert fields is not None
        assert {k: f.value for k, f in fields.items()} == {k: f.value for k, f in expected.items()}, degrees
