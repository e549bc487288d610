"""Reproducible companion to *A Closer Look at Large Language Models Emergent Abilities*.

Data flows one way: evidence (``artifact.evidence``) -> exhibit builders
(``artifact.exhibits``) -> rendered files (``artifact.render``) -> the site.
"""

__version__ = "0.1.0"
