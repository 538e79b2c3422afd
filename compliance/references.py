"""Model references as people write them, parsed into what to look up.

``meta-llama/Llama-4-Scout-17B-16E-Instruct``, ``org/name@revision``, a Hub URL, ``hf.co/org/repo:Q4_K_M``, an
Ollama name (``llama4``, ``deepseek-r1:70b``), a LiteLLM-style provider prefix (``ollama_chat/qwen3:4b``,
``huggingface/org/name``, ``together_ai/org/name``, ``fireworks_ai/accounts/fireworks/models/x``,
``openai/x`` for a self-hosted OpenAI-compatible server), or a local path.
"""
from __future__ import annotations

import re
from .plain import dataclass  # not dataclasses: the hook path stays free of inspect
from pathlib import Path

from .errors import InputError

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
OLLAMA_NAME = re.compile(r"^(?:[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*(?::[A-Za-z0-9._-]+)?$")
HUB_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?P<id>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)"
    r"(?:/(?:tree|blob|resolve|raw)/(?P<rev>[^/\s]+)(?:/\S*)?)?/?$"
)
OLLAMA_HF = re.compile(r"^(?:https?://)?hf\.co/(?P<id>[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)(?::(?P<tag>[\w.-]+))?$")
# LiteLLM and gateway provider prefixes, and what follows them.
OLLAMA_PREFIXES = ("ollama/", "ollama_chat/")
HUB_PREFIXES = ("huggingface/", "hosted_vllm/", "vllm/", "together_ai/", "text-completion-openai/", "sagemaker/",
                "deepinfra/", "groq/", "nvidia_nim/", "replicate/", "openrouter/", "bedrock/")
FIREWORKS_PREFIXES = ("fireworks_ai/accounts/fireworks/models/", "accounts/fireworks/models/", "fireworks_ai/")
# OpenRouter's variants of one model (``meta-llama/llama-3-8b-instruct:free``): the same weights, served differently
OPENROUTER_SUFFIXES = ("free", "nitro", "floor", "beta", "extended", "thinking", "online", "exacto")
OPENAI_COMPATIBLE = ("openai/", "openai_like/", "lm_studio/", "llamafile/", "custom_openai/")
# any other gateway prefix before a Hub id: <provider>/<org>/<name> (LiteLLM's nebius/, novita/, nscale/ …)
GATEWAY_HUB = re.compile(r"^(?P<provider>[A-Za-z][A-Za-z0-9_-]{1,40})/(?P<id>[^/\s]+/[^/\s]+)$")
# first parts of a relative path that is not there, never a gateway's prefix
FOLDER_NAMES = frozenset(("models", "model", "weights", "checkpoints", "ckpt", "data", "src", "output", "outputs",
                          "cache", "hub", "local", "tmp", "home", "mnt", "opt", "var", "usr", "srv", "artifacts"))
WEIGHT_SUFFIXES = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ggml")

TYPE_CHECKING = False  # without importing typing: the pre-commit hook reads references
if TYPE_CHECKING:
    from typing import Literal

    Kind = Literal["path", "hub", "ollama", "name"]


@dataclass(frozen=True)
class Reference:
    """``kind``: ``path`` (a local file or folder), ``hub`` (a Hugging Face repo id), ``ollama`` (an Ollama
    library name), ``name`` (a bare model name behind an OpenAI-compatible gateway: looked up like an Ollama name).
    ``provider`` is the prefix that was stripped, ``quant`` an Ollama ``hf.co`` quantization tag, ``suffix`` an
    OpenRouter variant (``free``, ``nitro``)."""

    raw: str
    kind: Kind
    target: str
    revision: str | None = None
    provider: str | None = None
    quant: str | None = None
    suffix: str | None = None

    def __str__(self) -> str:
        return self.target + (f"@{self.revision}" if self.revision else "")


def parse_reference(raw: str, *, base_dir: Path | None = None) -> Reference:
    text = raw.strip()
    if not text:
        raise InputError("empty model reference")
    if len(text) > 500 or any(ch in text for ch in "\n\r\t\0"):
        raise InputError(f"not a model reference: {text[:60]!r}")
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~nosuchuser/…: no such user (or no home folder)
        raise InputError(f"{text}: cannot expand {text.split('/', 1)[0]!r}: no such user or home folder") from None
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    if text.startswith(("/", "./", "../", "~")) or text.lower().endswith(WEIGHT_SUFFIXES) or path.exists():
        return Reference(raw, "path", str(path))
    lowered = text.lower()
    for prefix in OLLAMA_PREFIXES:
        if lowered.startswith(prefix):
            return _ollama(raw, text[len(prefix):], provider=prefix.rstrip("/"))
    for prefix in FIREWORKS_PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            return Reference(raw, "name", text[len(prefix):], provider="fireworks_ai")
    for prefix in HUB_PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            rest = text[len(prefix):]
            target, revision = _strip_revision(rest)
            if HUB_ID.match(target):
                return Reference(raw, "hub", target, revision, provider=prefix.rstrip("/"))
            suffixed = _suffixed(raw, rest, provider=prefix.rstrip("/"))
            if suffixed is not None:
                return suffixed
            if "/" not in rest and OLLAMA_NAME.match(rest.lower()):  # a serving name: groq/llama-3.3-70b-versatile
                return Reference(raw, "name", rest, provider=prefix.rstrip("/"))
    for prefix in OPENAI_COMPATIBLE:
        if lowered.startswith(prefix):
            rest = text[len(prefix):]
            target, revision = _strip_revision(rest)
            if HUB_ID.match(target):
                return Reference(raw, "hub", target, revision, provider=prefix.rstrip("/"))
            return Reference(raw, "name", rest, provider=prefix.rstrip("/"))
    gateway = GATEWAY_HUB.match(text)
    if gateway and gateway.group("provider").lower() in FOLDER_NAMES:  # models/org/name: a path, not a gateway
        gateway = None
    if gateway and not lowered.startswith(("hf.co/", "huggingface.co/", "http")):  # novita/meta-llama/llama-3.1-8b
        target, revision = _strip_revision(gateway.group("id"))
        if HUB_ID.match(target):
            return Reference(raw, "hub", target, revision, provider=gateway.group("provider").lower())
        suffixed = _suffixed(raw, gateway.group("id"), provider=gateway.group("provider").lower())
        if suffixed is not None:
            return suffixed
    hf = OLLAMA_HF.match(text) if lowered.startswith(("hf.co/", "https://hf.co/", "http://hf.co/")) else None
    if hf:  # Ollama's hf.co/org/repo[:QUANT]
        return Reference(raw, "hub", hf.group("id"), provider="ollama-hf", quant=hf.group("tag"))
    url = HUB_URL.match(text)
    if url:
        return Reference(raw, "hub", url.group("id"), url.group("rev"))
    target, revision = _strip_revision(text)
    if HUB_ID.match(target):
        return Reference(raw, "hub", target, revision)
    suffixed = _suffixed(raw, text, provider="openrouter")
    if suffixed is not None:
        return suffixed
    if OLLAMA_NAME.match(text.lower()):
        return _ollama(raw, text)
    raise InputError(f"not a model reference: {text!r} (expected org/name, org/name@revision, an Ollama name or a path)")


def _suffixed(raw: str, text: str, *, provider: str) -> Reference | None:
    """``org/name:free``: an OpenRouter variant of the Hub model ``org/name``."""
    target, _, suffix = text.rpartition(":")
    if target and suffix.lower() in OPENROUTER_SUFFIXES and HUB_ID.match(target):
        return Reference(raw, "hub", target, provider=provider, suffix=suffix.lower())
    return None


def _strip_revision(text: str) -> tuple[str, str | None]:
    if "@" in text:
        target, _, revision = text.rpartition("@")
        if target and revision and re.fullmatch(r"[\w./-]{1,100}", revision):
            return target, revision
    return text, None


def _ollama(raw: str, name: str, provider: str | None = None) -> Reference:
    name = name.strip()
    if name.lower().startswith("hf.co/"):
        hf = OLLAMA_HF.match(name)
        if hf:
            return Reference(raw, "hub", hf.group("id"), provider=provider or "ollama-hf", quant=hf.group("tag"))
    lowered = name.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
    if not OLLAMA_NAME.match(lowered):
        raise InputError(f"not an Ollama model name: {name!r}")
    return Reference(raw, "ollama", lowered, provider=provider)
