"""What each prompting style is called, in both languages: the one table exhibits and claims share.

Keys are the style names of the run records (`standard`, `cot`, any a registered task adds) and of
the published files' settings. ``title`` heads a legend or a column ("Chain-of-thought prompting");
``phrase`` sits inside a sentence ("chain of thought").
"""

from __future__ import annotations

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "standard": {"title": {"en": "Standard prompting", "zh": "标准提示"},
                 "phrase": {"en": "standard prompting", "zh": "标准提示"}},
    "cot": {"title": {"en": "Chain-of-thought prompting", "zh": "思维链提示"},
            "phrase": {"en": "chain of thought", "zh": "思维链"}},
    "answer_only": {"title": {"en": "Answer-only prompting", "zh": "仅答案提示"},
                    "phrase": {"en": "answer-only prompting", "zh": "仅答案提示"}},
}


def title(style: str, lang: str) -> str:
    """A legend or heading label; an unknown style shows its own name."""
    return LABELS[style]["title"][lang] if style in LABELS else style


def phrase(style: str, lang: str) -> str:
    """The style named inside a sentence; an unknown style shows its own name."""
    return LABELS[style]["phrase"][lang] if style in LABELS else style
