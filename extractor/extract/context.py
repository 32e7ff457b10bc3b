"""The prose of a document split and tokenised once, shared by every reader.

Each reader walks the prose sentence by sentence and scans its figures; done
per reader, the scan of a long report was repeated a dozen times. The result
is kept on the document (``Document.derived``), whose text never changes after
loading.
"""

from __future__ import annotations

import dataclasses

from extractor import models, quantities, segment

__all__ = ["Sentence", "prose_sentences"]


@dataclasses.dataclass(frozen=True)
class Sentence:
    """A prose sentence, its paragraph's index among all paragraphs, and its figures."""

    view: models.TextView
    para: int
    toks: list[quantities.Token]

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
