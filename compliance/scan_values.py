"""Whether a string found in a model-taking position names a model, a dataset, or nothing.

The hosted-API filter (``gpt-4o``, ``anthropic/…``: not open weights) is narrow on purpose: open-weight models
whose names look like API names (``openai/gpt-oss-20b``, ``gpt-oss:20b``, ``openai/whisper-large-v3``,
``EleutherAI/gpt-neox-20b``, ``CohereLabs/command-r-plus``) are references. Placeholders from documentation
(``your-org/your-model``, ``<model name>:<tag>``, ``/path/to/model``) are not.
"""
from __future__ import annotations

import re
from pathlib import Path

from .references import HUB_ID, parse_reference

OLLAMA_TAG = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)?:[A-Za-z0-9._-]+$")
# characters of code, never of a Hub id, an Ollama name or a provider's model name (a Hub URL's tail aside)
NOT_IN_A_REFERENCE = re.compile(r"[\s()\[\]{},;=<>|\\!\"'`]")
BARE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,60}$")
# Bare names that only hosted APIs serve. Not "gpt-oss" (open weights), not "gpt2" (a Hub model).
API_MODELS = re.compile(r"^(?:gpt-(?:3|4|5|image)|chatgpt|o[1-9](?:-|$)|text-(?:davinci|embedding|moderation)|claude"
                        r"|gemini(?:-|$)|dall-e|whisper-1$|tts-1|sonar|grok-)", re.IGNORECASE)
# Cohere's API names; on Ollama ``command-r`` is the open-weight model, so only outside an Ollama context.
COHERE_API = re.compile(r"^command(?:-r|-light|-a|-nightly|$)", re.IGNORECASE)
API_PROVIDERS = ("anthropic/", "azure/", "azure_ai/", "bedrock/", "vertex_ai/", "vertex_ai_beta/", "gemini/", "cohere/",
                 "cohere_chat/", "mistral/", "perplexity/", "xai/", "deepseek/", "groq/", "openai/gpt-3", "openai/gpt-4",
                 "openai/gpt-5", "openai/gpt-image", "openai/o1", "openai/o3", "openai/o4", "openai/chatgpt",
                 "openai/text-", "openai/dall-e", "openai/tts-", "openai/whisper-1", "openai/omni-moderation",
                 "anthropic.", "claude-")
NOT_ORGS = {"datasets", "spaces", "docs", "blog", "papers", "settings", "api", "join", "login", "pricing", "models",
            "new", "organizations", "collections", "learn", "tasks", "kernels"}
# Placeholder ids in documentation and examples ("org/name", "your-org/your-model") are not references.
PLACEHOLDER_ORGS = {"org", "orga", "owner", "user", "username", "your-org", "yourorg", "your-username", "my-org",
                    "myorg", "organization", "namespace", "example", "foo", "acme-example", "<org>", "{org}",
                    "my-username", "my_username", "your_username", "your-name", "your_org", "hf-username", "user-name",
                    "hf_username", "repo", "author", "huggingface-id", "my-user", "someone", "somebody", "name"}
PLACEHOLDER_NAMES = {"model", "model-name", "model_name", "models", "name", "repo", "repo-name", "repo_name", "model-id",
                     "model_id", "xxx", "xx", "model-repo", "repository", "foo", "bar", "your-model"}
PLACEHOLDER_PART = re.compile(r"^(?:your|my[-_])|[<>{}$%*]|\.\.\.|xxx|path/to|/to/your", re.IGNORECASE)
# Kernels and non-model namespaces that appear in model-taking positions.
NOT_MODEL_ORGS = {"kernels-community"}
# Local folders written like org/name in training configs ("models/Llama-2-7b", "saves/qwen3-4b").
LOCAL_DIRS = {"models", "model", "saves", "save", "output", "outputs", "checkpoints", "checkpoint", "ckpt", "ckpts",
              "data", "tmp", "local", "exp", "exps", "runs", "weights", "pretrained", "results", "cache", "work_dirs"}
WEIGHTS = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ggml")
# Hub models from before namespaces (the Hub now redirects them to the namespaced id); a bare one counts only in a
# model-taking position. Source: the Hub's canonical-model moves (e.g. gpt2 -> openai-community/gpt2).
LEGACY_HUB_IDS = {
    "gpt2": "openai-community/gpt2", "gpt2-medium": "openai-community/gpt2-medium",
    "gpt2-large": "openai-community/gpt2-large", "gpt2-xl": "openai-community/gpt2-xl",
    "openai-gpt": "openai-community/openai-gpt", "distilgpt2": "distilbert/distilgpt2",
    "bert-base-uncased": "google-bert/bert-base-uncased", "bert-base-cased": "google-bert/bert-base-cased",
    "bert-large-uncased": "google-bert/bert-large-uncased", "bert-large-cased": "google-bert/bert-large-cased",
    "bert-base-multilingual-cased": "google-bert/bert-base-multilingual-cased",
    "bert-base-multilingual-uncased": "google-bert/bert-base-multilingual-uncased",
    "bert-base-chinese": "google-bert/bert-base-chinese",
    "distilbert-base-uncased": "distilbert/distilbert-base-uncased",
    "distilbert-base-cased": "distilbert/distilbert-base-cased",
    "distilbert-base-multilingual-cased": "distilbert/distilbert-base-multilingual-cased",
    "distilroberta-base": "distilbert/distilroberta-base", "roberta-base": "FacebookAI/roberta-base",
    "roberta-large": "FacebookAI/roberta-large", "xlm-roberta-base": "FacebookAI/xlm-roberta-base",
    "xlm-roberta-large": "FacebookAI/xlm-roberta-large", "t5-small": "google-t5/t5-small", "t5-base": "google-t5/t5-base",
    "t5-large": "google-t5/t5-large", "t5-3b": "google-t5/t5-3b", "t5-11b": "google-t5/t5-11b",
    "albert-base-v2": "albert/albert-base-v2", "xlnet-base-cased": "xlnet/xlnet-base-cased",
}


def catalog_index():
    from .hookcache import catalog_index as index

    return index()


def _known_ollama(name: str) -> bool:
    return catalog_index().knows_ollama(name)


def known_model_id(value: str) -> bool:
    """A Hub id the embedded catalog knows, or one from an organization the catalog lists models for."""
    index = catalog_index()
    lowered = value.lower()
    return lowered in index.ids or lowered.split("/")[0] in index.orgs


def is_placeholder(value: str) -> bool:
    if PLACEHOLDER_PART.search(value):
        return True
    parts = value.lower().split("/")
    if len(parts) == 2:
        return parts[0] in PLACEHOLDER_ORGS or parts[1] in PLACEHOLDER_NAMES
    return False


def is_api_model(value: str, *, ollama_context: bool = False) -> bool:
    lowered = value.lower()
    if lowered.startswith(API_PROVIDERS):
        return True
    if "/" in value:
        return False
    name = value.split(":")[0]
    return bool(API_MODELS.match(name)) or (not ollama_context and bool(COHERE_API.match(name)))


def clean(value: str) -> str:
    return value.strip().strip("\"'`").rstrip("\\,;").strip()


def classify(value: str, *, ollama_context: bool, strict: bool = True, legacy: bool = False) -> str | None:
    key = (value, ollama_context, legacy)
    if key not in _CLASSIFIED:
        if len(_CLASSIFIED) > 50_000:
            _CLASSIFIED.clear()
        _CLASSIFIED[key] = _classify(value, ollama_context=ollama_context, legacy=legacy)
    return _CLASSIFIED[key]


_CLASSIFIED: dict[tuple[str, bool, bool], str | None] = {}


def _classify(value: str, *, ollama_context: bool, legacy: bool) -> str | None:
    """Whether ``value`` names a model, and how to resolve it: the value to pass to the resolver, or None.

    ``legacy``: a model-taking position where a bare pre-namespace Hub id (``gpt2``) is a model."""
    value = clean(value)
    if not value or len(value) > 300 or value.startswith(("os.environ/", "env:", "$(", "{{", "-")):
        return None
    if is_placeholder(value) or is_api_model(value, ollama_context=ollama_context):
        return None
    lowered = value.lower()
    if legacy and lowered in LEGACY_HUB_IDS:
        return LEGACY_HUB_IDS[lowered]
    if lowered.endswith(WEIGHTS) or value.startswith(("/", "./", "../", "~")):
        return value if re.fullmatch(r"[\w./~+@=-]+", value) else None
    if HUB_ID.match(value):  # the common case, without parse_reference's look at the file system
        org = lowered.split("/")[0]
        if org in NOT_MODEL_ORGS:
            return None
        return "./" + value if org in LOCAL_DIRS else value
    if NOT_IN_A_REFERENCE.search(value) and "hf.co/" not in lowered and "huggingface.co/" not in lowered:
        # code, not a name ("AutoModel.from_pretrained(args.model", "f(x, y)"): only a file or folder that is
        # there could be named so (parse_reference's answer, without its walk through every kind of reference)
        return value if _existing(value) else None
    try:
        ref = parse_reference(value)
    except Exception:  # noqa: BLE001 - not a reference at all
        return None
    if ref.kind == "path":
        return value
    if ref.kind == "hub":
        org = ref.target.split("/")[0].lower()
        if org in NOT_MODEL_ORGS:
            return None
        if org in LOCAL_DIRS and ref.raw == ref.target:
            return "./" + value  # a local folder: judged as a local model of unknown origin
        return value
    if ref.kind in ("ollama", "name"):
        target = ref.target
        if OLLAMA_TAG.match(target) or _known_ollama(target.split(":")[0]) or _known_ollama(target):
            return value
        if ref.provider and ref.provider.startswith("ollama"):
            return value
        # an unknown bare name counts only where the file talks to Ollama, and only if it looks like a model
        # name (a digit in it: "gemma3", "llama3-groq-tool-use"), not a word ("to", "base")
        if ollama_context and BARE_NAME.match(target) and re.search(r"\d", target):
            return value
    return None


def _existing(value: str) -> bool:
    if len(value) > 500 or any(ch in value for ch in "\n\r\t\0"):
        return False
    try:
        return Path(value).expanduser().exists()
    except (RuntimeError, OSError, ValueError):
        return False


def classify_dataset(value: str) -> str | None:
    """A dataset id (``org/name``) named where a dataset is expected; local names and paths are not listed."""
    value = clean(value)
    if value.lower().startswith(("datasets/", "hf://datasets/")):
        value = value.split("datasets/", 1)[1]
    if not HUB_ID.match(value) or is_placeholder(value):
        return None
    org = value.split("/")[0].lower()
    if org in LOCAL_DIRS or org in NOT_ORGS or value.lower().endswith((".json", ".jsonl", ".csv", ".parquet", ".txt")):
        return None
    return value
