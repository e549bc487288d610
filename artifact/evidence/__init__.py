"""Evidence: the only input. Typed rows, validated on load; a bad file raises EvidenceError."""

from artifact.evidence.bib import reference_keys
from artifact.evidence.published import load_published, published_frame
from artifact.evidence.schema import PublishedRow

__all__ = ["PublishedRow", "load_published", "published_frame", "reference_keys"]
