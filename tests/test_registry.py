"""Rule codes are unique and well formed; every rule is documented."""

from __future__ import annotations

import pathlib
import re

from extractor.checks import docs, registry

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_codes_are_well_formed_and_match_classes():
    for code, cls in registry.CHECKS.items():
        assert re.fullmatch(r"JX[1-9]\d\d", code)
        assert cls.code == code
        assert cls.group in ("stable", "preview", "deprecated", "removed")
    names = [cls.name for cls in registry.CHECKS.values()]
    assert len(names) == len(set(names))


def test_every_rule_docstring_has_the_required_headings():
    for cls in registry.CHECKS.values():
        doc = cls.__doc__ or ""
        for heading in docs.REQUIRED_HEADINGS:
            assert heading in doc, (cls.code, heading)


def test_rule_pages_are_generated_and_up_to_date():
    codes = list(registry.ALL_CODES)
    for code in codes:
        page = DOCS / f"{code}.md"
        assert page.exists(), f"run scripts/gen-rule-docs ({code} missing)"
        assert page.read_text(encoding="utf-8") == docs.page(code), f"{code} page is stale"
