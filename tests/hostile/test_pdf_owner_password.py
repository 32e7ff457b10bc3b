"""A PDF with only an owner password (issue 11): it opens without a password,
so its text must be read, not refused as "fonts have no Unicode map"."""

from __future__ import annotations

import io

import pytest

from extractor import errors, load

TEXT = "全年项目支出846.35万元，其中：设备购置费521.30万元、工程维护费182.15万元。"


def _pdf(user: str, owner: str | None) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    enc = None
    if owner is not None:
        enc = pdfencrypt.StandardEncryption(user, ownerPassword=owner, canPrint=1, canModify=0,
                                            canCopy=0, strength=128)
    c = canvas.Canvas(buf, encrypt=enc)
    c.setFont("STSong-Light", 12)
    c.drawString(40, 800, TEXT)
    c.save()
    return buf.getvalue()


def test_owner_password_only_pdf_is_read():
    doc = load.from_bytes(_pdf("", "owner-secret"), "restricted.pdf", ".pdf")
    assert TEXT in doc.raw.replace("\n", "")


def test_user_password_pdf_is_refused_as_encrypted():
    with pytest.raises(errors.LoadError) as e:
        load.from_bytes(_pdf("open-me", "owner-secret"), "locked.pdf", ".pdf")
    assert "encrypted" in e.value.en and "加密" in e.value.zh
