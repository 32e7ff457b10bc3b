"""Shared fixtures: run the offline pipeline on synthetic text."""

from __future__ import annotations

import pathlib

import pytest

from extractor import load, models, pipeline

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED_REPORTS = REPO.parent / "shared" / "reports"


def check_text(text: str, select: tuple[str, ...] = ()) -> tuple[models.Document, models.Report]:
    doc = load.from_text(text, "<test>")
    return doc, pipeline.check_document(doc, "rules", select=select)


@pytest.fixture
def run_text():
    return check_text


@pytest.fixture
def shared_reports() -> pathlib.Path:
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/reports is not present beside the repository (field reports are "
                    "not distributed with jxcheck)")
    return SHARED_REPORTS
