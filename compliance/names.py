"""The name grammar: a model name as people write it, parsed into its parts, and matched to the upstream model.

    unsloth/Llama-3.3-70B-Instruct-bnb-4bit        republisher unsloth, packaging bnb-4bit
    hf.co/bartowski/microsoft_Phi-4-mini-instruct-GGUF:Q8_0
    llama-3.3-70b-versatile, llama3-70b-8192        Groq serving names (serving suffix, context length)
    llama-v3p1-70b-instruct, deepseek-r1-distill-qwen-1p5b   Fireworks slugs ("p" for the decimal point)
    meta-llama/llama-3-8b-instruct:free             OpenRouter variants
    llama3.1:8b-instruct-q4_K_M, gemma3:27b-it-qat  Ollama tags with variant and quantization

A name becomes tokens: words (``llama``, ``coder``, ``distill``), a version (``3.1``), a size (``70b``; ``a22b``
the active size of a mixture of experts; ``8x7b``; ``16e`` experts), a variant (``instruct``; ``it`` is the
same), a date (``2507``, ``0528``) and what never changes the license: packaging (GGUF, GPTQ, AWQ, bnb-4bit,
MLX, FP8, Int4, QAT, Q4_K_M …), serving suffixes (``versatile``, ``turbo``, ``free`` …) and context lengths
(``8192``). Two names denote the same model when their remaining tokens are the same, in any order. This
module knows no catalog: :mod:`compliance.match` applies it to one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Organizations that republish other publishers' weights (quantizations, format conversions) under their name.
REPUBLISHERS = frozenset(s.lower() for s in (
    "unsloth", "bartowski", "TheBloke", "mlx-community", "lmstudio-community", "MaziyarPanahi", "QuantFactory",
    "mradermacher", "second-state", "ggml-org", "RedHatAI", "neuralmagic", "casperhansen", "TechxGenus",
    "QuantTrio", "Mungert", "tensorblock", "DevQuasar", "bullerwins", "ModelCloud", "LoneStriker", "turboderp",
    "solidrust", "hugging-quants", "nm-testing", "SanctumAI", "NikolayKozloff", "legraphista", "gaianet",
    "lmstudio-ai", "cortexso", "janhq",
))
PACKAGING = frozenset((
    "gguf", "ggml", "gptq", "awq", "exl2", "exl3", "mlx", "bnb", "int4", "int8", "fp8", "fp16", "bf16", "f16",
    "f32", "fp32", "qat", "dwq", "nf4", "hqq", "onnx", "ov", "openvino", "imatrix", "i1", "dynamic", "unsloth",
    "quantized", "mxfp4", "nvfp4", "w4a16", "w8a8", "w8a16", "ud", "hf", "safetensors", "mlc", "marlin", "gs128",
    "quant", "quants", "dq", "static", "fp4", "ollama",
))
QUANT = re.compile(r"^(?:i?q\d(?:_?[a-z0-9]{1,2}){0,3}|\d+(?:\.\d+)?bits?|\d+(?:\.\d+)?bpw|[a-z]?fp\d+|int\d+|w\d+a\d+|"
                   r"e\dm\d|f\d\d|bf\d\d|awq[-_]?int\d|gptq[-_]?int\d|g\d{2,3}|gs\d{2,3})$")
QUANT_SPAN = re.compile(r"(?<![a-z0-9])(i?q\d(?:_[a-z0-9]{1,2}){1,3})(?![a-z0-9])")
SERVING = frozenset((
    "versatile", "instant", "turbo", "free", "tput", "nitro", "floor", "online", "serverless", "preview",
    "latest", "beta", "extended", "exacto",
))
CONTEXT = frozenset(("2048", "4096", "8192", "16384", "32768", "65536", "131072", "262144", "1048576"))
INSTRUCT = frozenset(("instruct", "it", "chat"))
SIZE = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<u>[bm])$")
MOE = re.compile(r"^(?P<e>\d+)x(?P<n>\d+(?:\.\d+)?)(?P<u>[bm])$")
ACTIVE = re.compile(r"^a(?P<n>\d+(?:\.\d+)?)b$")
EFFECTIVE = re.compile(r"^e(?P<n>\d+(?:\.\d+)?)b$")
EXPERTS = re.compile(r"^\d+e$")
DATE = re.compile(r"^(?:2[3-6](?:0[1-9]|1[0-2])|(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])|20[2-3]\d[01]\d[0-3]\d)$")
VERSION = re.compile(r"^v?\d+(?:\.\d+)*$")
PIECES = re.compile(r"[a-z]+|\d+(?:\.\d+)*[a-z]*")
DROPPED_WORDS = frozenset(("meta",))  # Meta-Llama-3.1-8B-Instruct is Llama-3.1-8B-Instruct


@dataclass(frozen=True)
class ParsedName:
    """A name taken apart. ``tokens`` are what identifies the model (any order); ``packaging`` and ``serving``
    never change the license; ``stem`` is the name with republisher, packaging and serving suffixes removed."""

    raw: str
    org: str | None = None
    republisher: str | None = None
    stem: str = ""
    words: tuple[str, ...] = ()
    version: str | None = None
    size_b: float | None = None
    active_b: float | None = None
    variant: str | None = None
    date: str | None = None
    packaging: tuple[str, ...] = ()
    serving: tuple[str, ...] = ()
    tokens: frozenset[str] = field(default_factory=frozenset)
    serving_tokens: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        parts = [f"name {self.stem!r}"]
        if self.republisher:
            parts.append(f"republisher {self.republisher}")
        elif self.org:
            parts.append(f"organization {self.org}")
        if self.version:
            parts.append(f"version {self.version}")
        if self.size_b is not None:
            parts.append(f"size {self.size_b:g}B" + (f" ({self.active_b:g}B active)" if self.active_b else ""))
        if self.variant:
            parts.append(f"variant {self.variant}")
        if self.date:
            parts.append(f"date {self.date}")
        if self.packaging:
            parts.append(f"packaging {', '.join(self.packaging)}")
        if self.serving:
            parts.append(f"serving suffix {', '.join(self.serving)}")
        return "; ".join(parts)


def size_of(name: str) -> float | None:
    """The size in billions a name states (``Qwen2.5-72B-Instruct`` -> 72, ``SmolLM2-360M`` -> 0.36,
    ``Mixtral-8x7B`` -> 56, ``gemma-3n-E4B`` -> 4), or None."""
    return parse_name(name).size_b


def _classify(token: str, out: dict) -> None:
    if not token:
        return
    if token in CONTEXT:
        out["serving"].append(token)
        return
    size = SIZE.match(token)
    if size and size.group("u") == "m" and out["size"] is not None:  # Qwen2.5-14B-Instruct-1M: a context length
        size = None
    if size:
        n = float(size.group("n")) / (1000 if size.group("u") == "m" else 1)
        out["size"] = out["size"] if out["size"] is not None else n
        out["tokens"].add(f"{n:g}b")
        return
    moe = MOE.match(token)
    if moe:
        n = float(moe.group("n")) / (1000 if moe.group("u") == "m" else 1)
        out["size"] = out["size"] if out["size"] is not None else n * int(moe.group("e"))
        out["tokens"].add(token)
        return
    for pattern in (ACTIVE, EFFECTIVE):
        hit = pattern.match(token)
        if hit:
            if pattern is ACTIVE:
                out["active"] = float(hit.group("n"))
            elif out["size"] is None:
                out["size"] = float(hit.group("n"))
            out["tokens"].add(token)
            return
    if EXPERTS.match(token):
        out["tokens"].add(token)
        return
    if token in PACKAGING or QUANT.match(token):
        out["packaging"].append(token)
        return
    if token in SERVING:
        out["serving"].append(token)
        out["serve_tokens"].add(token)
        return
    if DATE.match(token) and out["words"]:
        out["date"] = token
        out["tokens"].add(token)
        return
    if VERSION.match(token):
        version = token.lstrip("v")
        out["version"] = out["version"] or version
        out["tokens"].add(version)
        return
    if token in INSTRUCT:
        out["variant"] = "instruct" if token == "it" else token
        out["tokens"].add(out["variant"])
        return
    pieces = PIECES.findall(token)
    if len(pieces) > 1:
        for piece in pieces:
            _classify(piece, out)
        return
    if token in DROPPED_WORDS:
        return
    if token == "text":  # Ollama's -text tags are the base (pretrained) model
        out["variant"] = "base"
        return
    if token in ("base", "pt"):
        out["variant"] = "base"
    out["words"].append(token)
    out["tokens"].add(token)


def split_org(name: str) -> tuple[str | None, str]:
    """``org/name`` -> (org, name); bartowski's ``microsoft_Phi-4-mini-instruct`` -> (microsoft, Phi-4-…)."""
    if "/" in name:
        org, _, rest = name.rpartition("/")
        return org.split("/")[-1] or None, rest
    return None, name


def parse_name(raw: str, *, tag: str | None = None, known_orgs: frozenset[str] = frozenset()) -> ParsedName:
    """Take a name apart. ``tag``: an Ollama or ``hf.co`` tag (``8b-instruct-q4_K_M``, ``Q8_0``), parsed with it.
    ``known_orgs``: organizations whose ``org_`` prefix a republisher writes before the name."""
    org, name = split_org(raw.strip())
    republisher = None
    if org and org.lower() in REPUBLISHERS:
        republisher, org = org, None
    if "_" in name and known_orgs:
        head, _, rest = name.partition("_")
        if head.lower() in known_orgs and rest:
            if republisher is None and org is not None:
                republisher = org
            org, name = head, rest
    text = name.lower()
    if tag:
        text = f"{text}-{tag.lower()}"
    text = re.sub(r"(?<=\d)p(?=\d)", ".", text)  # Fireworks: v3p1 -> v3.1, 1p5b -> 1.5b
    text = QUANT_SPAN.sub(lambda m: m.group(1).replace("_", "\0"), text)  # Q4_K_M stays one token
    out: dict = {"size": None, "active": None, "version": None, "variant": None, "date": None,
                 "words": [], "tokens": set(), "serve_tokens": set(), "packaging": [], "serving": []}
    for token in re.split(r"[-_\s/:]+", text):
        _classify(token.strip(".").replace("\0", "_"), out)
    return ParsedName(raw=raw, org=org, republisher=republisher, stem=_stem(name),
                      words=tuple(out["words"]), version=out["version"], size_b=out["size"], active_b=out["active"],
                      variant=out["variant"], date=out["date"], packaging=tuple(out["packaging"]),
                      serving=tuple(out["serving"]), tokens=frozenset(out["tokens"] - out["serve_tokens"]),
                      serving_tokens=frozenset(out["serve_tokens"]))


def _droppable(token: str) -> bool:
    t = token.lower()
    if QUANT.match(t.replace("_", "")):
        return True
    return all(p in PACKAGING or p in SERVING or p in CONTEXT or QUANT.match(p) for p in t.split("_") if p)


def _stem(name: str) -> str:
    """The name without trailing packaging and serving parts: ``Llama-3.3-70B-Instruct-bnb-4bit`` -> ``Llama-3.3-70B-
    Instruct``."""
    parts = name.split(":")[0].split("-")
    while len(parts) > 1 and _droppable(parts[-1]):
        parts.pop()
    return "-".join(parts)


def is_packaged(parsed: ParsedName) -> bool:
    """A name that says it is a republication: a republisher's namespace, or packaging in the name."""
    return bool(parsed.republisher or parsed.packaging)
