"""The prose of a document split and tokenised once, shared by every reader.

Each reader walks the prose sentence by sentence and scans its figures; done
per reader, the scan of a long report was repeated a dozen times. The result
is kept on the document (``Document.derived``), whose text never changes after
loading.
"""

from __future__ import annotations

import dataclasses

from extractor import models, quantities, segment

__all__ = ["Passage", "Sentence", "prose_sentences"]


@dataclasses.dataclass(frozen=True)
class Sentence:
    """A prose sentence, its paragraph's index among all paragraphs, and its figures."""

    view: models.TextView
    para: int
    toks: list[quantities.Token]

    @property
    def text(self) -> str:
        return self.view.text


@dataclasses.dataclass(frozen=True)
class Passage:
    """A paragraph or sentence as a sentence reader (extract/sentences.py) sees it.

    The figures are scanned once and handed to every family. ``before`` is the
    sentence before: for a sentence, the one before it in its paragraph; for a
    paragraph, the last sentence read before it (a 其中 may break down the
    figure that ends it). ``following`` is the next paragraph of a paragraph,
    where a "明细如下：" list goes on.
    """

    view: models.TextView
    toks: list[quantities.Token]
    before: models.TextView | None = None
    following: models.TextView | None = None

    @property
    def text(self) -> str:
        return self.view.text


def prose_sentences(doc: models.Document) -> list[Sentence]:
    """Every sentence of the prose paragraphs, in order, with its scanned figures."""
    cached = doc.derived.get("prose_sentences")
    if cached is None:
        cached = doc.derived["prose_sentences"] = [
            Sentence(sent, p, quantities.scan(sent))
            for p, para in enumerate(segment.paragraphs(doc)) if para.kind == "prose"
            for sent in segment.sentences(para)]
    return cached  # type: ignore[return-value]
