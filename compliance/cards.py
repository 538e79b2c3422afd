"""Hugging Face model cards: front matter as the Hub parses it, and more carefully; prose hints when it is silent.

The front matter is found with the same pattern huggingface_hub uses (whitespace allowed before the opening
``---``; CRLF), parsed with ``yaml.safe_load`` (no huggingface_hub import on this path: it costs ~0.25 s), and
normalized: ``license`` and ``base_model`` as lists, ``gated`` as a flag. Unreadable YAML is a finding
("card metadata unreadable: line N: …"), never a crash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .normalize import clean
from .references import HUB_ID
from .yamlio import SafeLoader

FRONT_MATTER = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")
RELATIONS = {"adapter", "merge", "quantized", "finetune"}


@dataclass
class ProseLicense:
    phrase: str
    sentence: str


@dataclass
class ProseBase:
    model: str
    relation: str
    sentence: str


@dataclass
class Card:
    """A parsed model card. ``front_matter`` is ``ok``, ``none`` or ``unreadable`` (then ``error`` says why)."""

    text: str
    body: str
    front_matter: str = "none"
    error: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    licenses: list[str] = field(default_factory=list)
    license_name: str | None = None
    license_link: str | None = None
    base_models: list[str] = field(default_factory=list)
    base_model_relation: str | None = None
    datasets: list[str] = field(default_factory=list)
    pipeline_tag: str | None = None
    tags: list[str] = field(default_factory=list)
    gated: bool = False
    eu_disallowed: bool = False
    new_version: str | None = None
    model_name: str | None = None
    gate_text: str | None = None
    prose_licenses: list[ProseLicense] = field(default_factory=list)
    prose_bases: list[ProseBase] = field(default_factory=list)
    # License-section statements about this model: ("link", url, sentence) or ("phrase", name, sentence)
    section_licenses: list[tuple[str, str, str]] = field(default_factory=list)


def _strings(value: Any) -> list[str]:
    """A YAML scalar or list as a list of non-empty strings (numbers become strings; nested junk is dropped)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def _string(value: Any) -> str | None:
    items = _strings(value)
    return items[0] if items else None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "no", "0", "off")
    return bool(value)


def parse_card(text: str, *, model_name: str | None = None) -> Card:
    """Parse a card. ``model_name`` (the repo's name, when known) helps read model tables in the prose."""
    match = FRONT_MATTER.match(text)
    if not match:
        card = Card(text=text, body=text)
    else:
        body = text[match.end():]
        card = Card(text=text, body=body)
        offset = text[: match.end(1)].count("\n")  # lines before the YAML block
        try:
            data = yaml.load(match.group(2), Loader=SafeLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"line {mark.line + 1 + offset}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            card.front_matter, card.error = "unreadable", f"card metadata unreadable: {line}{problem}"
            data = None
        if card.front_matter != "unreadable":
            if data is None:
                card.front_matter = "none"
            elif not isinstance(data, dict):
                card.front_matter = "unreadable"
                card.error = f"card metadata unreadable: line {offset + 1}: the front matter is a {type(data).__name__}, not a mapping"
            else:
                card.front_matter = "ok"
                card.metadata = data
                _read_metadata(card, data)
    _read_prose(card, model_name or card.model_name)
    return card


def _read_metadata(card: Card, data: dict[str, Any]) -> None:
    card.licenses = [v.lower() for v in _strings(data.get("license"))]
    card.license_name = _string(data.get("license_name"))
    card.license_link = _string(data.get("license_link"))
    card.base_models = _strings(data.get("base_model"))
    relation = _string(data.get("base_model_relation"))
    card.base_model_relation = relation.lower() if relation else None
    card.datasets = _strings(data.get("datasets"))
    card.pipeline_tag = _string(data.get("pipeline_tag"))
    card.tags = _strings(data.get("tags"))
    card.gated = _flag(data.get("gated")) if "gated" in data else False
    card.eu_disallowed = _flag(data.get("extra_gated_eu_disallowed"))
    card.new_version = _string(data.get("new_version"))
    card.model_name = _string(data.get("model_name"))
    prompt = data.get("extra_gated_prompt")
    card.gate_text = prompt if isinstance(prompt, str) and prompt.strip() else None


# --- prose ------------------------------------------------------------------------------------------------

_LICENSE_PROSE = re.compile(
    r"(?:(?:licensed|released|distributed|made available|available|provided)\s+under|subject to|\blicen[cs]e\s*:)"
    r"\s+(?:a [\w\s-]{1,30}? licen[cs]e,\s+)?(?:the\s+)?"
    r"(?P<name>[\w.\-\s]{2,80}?(?:licen[cs]e(?:\s+agreement)?|terms of use))\b"
    r"(?:,?\s+(?:version\s+)?(?P<version>\d+(?:\.\d+)+)\b)?",
    re.IGNORECASE,
)
_BASE_PROSE = re.compile(
    r"(?P<verb>fine-?tuned (?:version of|from|on top of)|distilled from|derived from|quantized (?:version )?of|"
    r"quantizations? of|(?:gguf|compatible|quantized) versions? of(?: an?| the)?(?: original)?|"
    r"versions? of (?:an? |the )?original|based on|"
    r"built (?:up)?on|continued pre-?training (?:of|from|on)|original model:?|adapter (?:for|on))"
    r"\s+(?:the\s+)?\[?(?P<target>[A-Za-z0-9][\w.\-/]{1,120})",
    re.IGNORECASE,
)
_HF_LINK = re.compile(r"huggingface\.co/(?P<id>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)")
_VERB_RELATION = {"distilled": "distillation", "quantiz": "quantized", "gguf": "quantized", "compatible": "quantized",
                  "version": "quantized", "adapter": "adapter", "continued": "continued-pretraining",
                  "fine": "finetune", "original": "unknown", "derived": "unknown", "based": "unknown", "built": "unknown"}


def _relation(verb: str) -> str:
    lowered = verb.lower()
    return next((rel for key, rel in _VERB_RELATION.items() if lowered.startswith(key)), "unknown")


def _read_prose(card: Card, model_name: str | None) -> None:
    body = card.body
    if len(body) > 400_000:
        body = body[:400_000]
    cleaned = clean(body)  # Markdown links to their text: "[MIT License](…)" reads "MIT License"
    for m in _LICENSE_PROSE.finditer(cleaned):
        name = " ".join(m.group("name").split()) + (f" {m.group('version')}" if m.group("version") else "")
        card.prose_licenses.append(ProseLicense(name, _sentence(cleaned, m.start(), m.end())))
    seen: set[str] = set()
    if model_name:  # a model-zoo table naming this model is the most specific statement: first
        for base in _table_bases(body, model_name):
            if base.model.lower() not in seen:
                seen.add(base.model.lower())
                card.prose_bases.append(base)
    plain = body.replace("**", "").replace("__", "")
    for m in _BASE_PROSE.finditer(plain):
        target = m.group("target").rstrip(".,;:)]")
        link = _HF_LINK.search(plain, m.end(), m.end() + 200)
        if "/" not in target and link and link.start() - m.end() < 120:
            target = link.group("id")
        if not _looks_like_model(target) or target.lower() in seen:
            continue
        seen.add(target.lower())
        card.prose_bases.append(ProseBase(target, _relation(m.group("verb")), _sentence(plain, m.start(), m.end())))
    if model_name:  # "<original>-GGUF" linking to "<original>": the linked repo is the base
        own = model_name.split("/")[-1].lower()
        for link in _HF_LINK.finditer(body):
            repo = link.group("id")
            name = repo.split("/")[-1].lower()
            if repo.lower() in seen or repo.split("/")[0].lower() in ("datasets", "spaces", "docs", "blog"):
                continue
            if len(name) >= 6 and name != own and own.startswith(name):
                seen.add(repo.lower())
                relation = "quantized" if re.search(r"gguf|gptq|awq|exl2|mlx|quant", own) else "unknown"
                card.prose_bases.append(ProseBase(repo, relation, _sentence(body, link.start(), link.end())))
    card.section_licenses = _license_section(body, model_name)


_HEADING = re.compile(r"(?m)^#{1,6}\s+(?P<title>.+)$")
_ANY_LINK = re.compile(r"\]\((?P<url>https?://[^)\s]+)\)|(?<![(\[])(?P<bare>https?://[^\s)\]>\"']+)")


def _license_section(body: str, model_name: str | None) -> list[tuple[str, str, str]]:
    """Licenses a card's License section states for this model: links and named licenses, sentence by
    sentence, skipping sentences about other models (a model zoo's siblings under other licenses)."""
    headings = list(_HEADING.finditer(body))
    found: list[tuple[str, str, str]] = []
    own = (model_name or "").split("/")[-1].lower()
    for index, heading in enumerate(headings):
        if "licen" not in heading.group("title").lower():
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        section = body[heading.end():end][:20_000]
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*[-*]\s+|\n\n", section):
            cleaned = clean(sentence)
            models = [t for t in re.findall(r"[A-Za-z0-9][\w.-]*[A-Za-z0-9]", cleaned) if _looks_like_model(t)
                      and not re.match(r"^(?:v?\d|apache|cc-|gpl|llama\d)", t, re.IGNORECASE)]
            if models and own and not any(t.lower() == own for t in models):
                continue  # about another model
            lowered = cleaned.lower()
            if "code" in lowered and not re.search(r"weight|model|checkpoint", lowered):
                continue  # the code's license, not the weights'
            for link in _ANY_LINK.finditer(sentence):
                found.append(("link", link.group("url") or link.group("bare"), " ".join(cleaned.split())[:200]))
            for m in _LICENSE_PROSE.finditer(cleaned):
                name = " ".join(m.group("name").split()) + (f" {m.group('version')}" if m.group("version") else "")
                found.append(("phrase", name, " ".join(cleaned.split())[:200]))
    return found


_QUANT_TYPE = re.compile(r"^(?:i?q\d|f16|bf16|fp\d|gguf|awq|gptq|exl2)", re.IGNORECASE)


def _looks_like_model(target: str) -> bool:
    """A Hub id, or a model name with letters and digits ("Qwen2.5-Math-1.5B", "DeepSeek-R1"); not a word."""
    if HUB_ID.match(target):
        return True
    return (len(target) >= 4 and bool(re.search(r"\d", target)) and bool(re.search(r"[A-Za-z]{2}", target))
            and "-" in target and not _QUANT_TYPE.match(target))


def _table_bases(body: str, model_name: str) -> list[ProseBase]:
    """A model-zoo table row naming this model and a Hub link in another cell ("| DeepSeek-R1-Distill-Qwen-1.5B |
    [Qwen2.5-Math-1.5B](https://huggingface.co/Qwen/Qwen2.5-Math-1.5B) |"): the linked model is its base."""
    name = model_name.split("/")[-1].lower()
    found = []
    for line in body.splitlines():
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells or re.sub(r"[*`\[\]]", "", cells[0]).strip().lower() != name:
            continue
        for cell in cells[1:]:
            link = _HF_LINK.search(cell)
            if link and link.group("id").split("/")[-1].lower() != name:
                relation = "distillation" if "distill" in name else "unknown"
                found.append(ProseBase(link.group("id"), relation, " ".join(line.split())[:200]))
                break
    return found


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    sentence = " ".join(text[left + 1 if left >= 0 else 0:right + 1].split())
    words = sentence.split()
    return sentence if len(words) <= 30 else " ".join(words[:30]) + " …"


def modality_from(pipeline_tag: str | None, tags: list[str]) -> str:
    """The modality a card's pipeline tag (or tags) states, or ``unknown``."""
    tag = (pipeline_tag or "").lower()
    lowered = {t.lower() for t in tags}
    if tag in ("image-text-to-text", "visual-question-answering", "image-to-text", "video-text-to-text",
               "any-to-any", "document-question-answering") or {"multimodal", "vision-language", "vlm"} & lowered:
        return "multimodal"
    if tag in ("text-to-image", "image-to-image", "unconditional-image-generation"):
        return "image-generation"
    if tag in ("text-to-video", "image-to-video"):
        return "video"
    if tag in ("automatic-speech-recognition", "text-to-speech", "audio-classification", "text-to-audio"):
        return "audio"
    if tag in ("feature-extraction", "sentence-similarity"):
        return "embedding"
    if tag in ("text-generation", "text2text-generation", "conversational", "fill-mask", "question-answering",
               "summarization", "translation", "text-classification", "token-classification"):
        return "text"
    return "unknown"
