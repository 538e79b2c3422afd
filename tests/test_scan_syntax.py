"""The syntaxes real code uses to name models, and what is not a model reference (written for these tests; the
real-repository labels are in test_scan_repos.py)."""
from __future__ import annotations

import json
import threading
import time

import pytest

from compliance.scan import scan_all, scan_text


def models(text: str, path: str) -> list[tuple[int, str]]:
    return [(r.line, r.model) for r in scan_text(text, path)]


def datasets(text: str, path: str) -> list[tuple[int, str]]:
    return [(d.line, d.model) for d in scan_all(text, path)[1]]


# --- recall ---------------------------------------------------------------------------------------------------


def test_base_model_and_model_bearing_keys_in_yaml():
    config = ("base_model: meta-llama/Llama-3.1-8B\nteacher_model: Qwen/Qwen2.5-72B-Instruct\n"
              "reward_model: OpenAssistant/reward-model-deberta-v3-large\nref_model_id: google/gemma-2-9b-it\n"
              "tokenizer_name: mistralai/Mistral-7B-v0.1\nmodel_name_or_path:\n  HuggingFaceTB/SmolLM2-1.7B\n"
              "draft_model: [\"Qwen/Qwen3-0.6B\"]\n")
    assert models(config, "train.yaml") == [
        (1, "meta-llama/Llama-3.1-8B"), (2, "Qwen/Qwen2.5-72B-Instruct"),
        (3, "OpenAssistant/reward-model-deberta-v3-large"), (4, "google/gemma-2-9b-it"),
        (5, "mistralai/Mistral-7B-v0.1"), (7, "HuggingFaceTB/SmolLM2-1.7B"), (8, "Qwen/Qwen3-0.6B")]


DATACLASS_ARGS = """from dataclasses import dataclass, field
from pydantic import BaseModel, Field

DEFAULT_TEACHER = "Qwen/Qwen2.5-72B-Instruct"


@dataclass
class ModelArguments:
    model_name_or_path: str = field(default="meta-llama/Llama-3.1-8B", metadata={"help": "e.g. mistralai/Mistral-7B-v0.1"})
    tokenizer_name: str | None = field(default=None, metadata={"help": "e.g. google/gemma-2-9b"})
    reward_model: str = field(default_factory=lambda: "OpenAssistant/reward-model-deberta-v3-large")
    teacher_model: str = field(default=DEFAULT_TEACHER)
    output_dir: str = field(default="saves/llama3-8b")
    model_revision: str = field(default="main")
    ref_model: str = field(
        default="HuggingFaceTB/SmolLM2-1.7B",
        metadata={"help": "the reference model"},
    )


class ServeConfig(BaseModel):
    model_id: str = Field("deepseek-ai/DeepSeek-R1", description="the model")
    base_model: str = dataclasses.field(default="mistralai/Mistral-Small-3.2-24B-Instruct-2506")
"""


def test_dataclass_and_pydantic_field_defaults_of_model_bearing_fields():
    # HfArgumentParser-style argument classes: the default is the model a run loads when no flag is given; the
    # help text's examples, a None default and fields that do not take a model are not references
    assert models(DATACLASS_ARGS, "args.py") == [
        (9, "meta-llama/Llama-3.1-8B"), (11, "OpenAssistant/reward-model-deberta-v3-large"),
        (12, "Qwen/Qwen2.5-72B-Instruct"), (16, "HuggingFaceTB/SmolLM2-1.7B"), (22, "deepseek-ai/DeepSeek-R1"),
        (23, "mistralai/Mistral-Small-3.2-24B-Instruct-2506")]
    line9 = scan_text(DATACLASS_ARGS, "args.py")[0]
    assert (line9.column, line9.text) == (46, "meta-llama/Llama-3.1-8B")  # the literal itself, not the field


OPTION_DEFAULTS = """import argparse
import click

DEFAULT_JUDGE = "Qwen/Qwen2.5-72B-Instruct"
parser = argparse.ArgumentParser()
parser.add_argument("--model", type=str, default="google/gemma-3-4b-it")
parser.add_argument(
    "--teacher-model-id",
    default="meta-llama/Llama-3.1-8B-Instruct",
    help="e.g. mistralai/Mistral-7B-v0.1",
)
parser.add_argument("-j", "--judge_model", default=DEFAULT_JUDGE)
parser.add_argument("--output_dir", default="saves/llama3-8b")
parser.add_argument("--served-model-name", default="acme/served-name")
parser.add_argument("--model_revision", default="main")
parser.add_argument("--reward-model", default=None)
parser.add_argument("--base", dest="base_model", default="deepseek-ai/DeepSeek-R1")
# parser.add_argument("--model", default="microsoft/phi-4")


@click.command()
@click.option("--model-name", default="mistralai/Mistral-Small-3.2-24B-Instruct-2506", show_default=True)
@click.option("--dataset-name", default="trl-lib/Capybara")
def main(model_name, dataset_name):
    pass
"""


def test_command_line_option_defaults_declared_in_code():
    # argparse / click: the default is the model a script loads when no flag is given (as in huggingface/trl's
    # example scripts); the option's name decides as a flag's does; help text, comments, served names, outputs,
    # revisions and a None default are not references
    assert models(OPTION_DEFAULTS, "train.py") == [
        (6, "google/gemma-3-4b-it"), (9, "meta-llama/Llama-3.1-8B-Instruct"), (12, "Qwen/Qwen2.5-72B-Instruct"),
        (17, "deepseek-ai/DeepSeek-R1"), (22, "mistralai/Mistral-Small-3.2-24B-Instruct-2506")]
    hows = {r.line: r.how for r in scan_text(OPTION_DEFAULTS, "train.py")}
    assert hows[6] == "--model default" and hows[12] == "--judge_model default via DEFAULT_JUDGE"
    first = scan_text(OPTION_DEFAULTS, "train.py")[0]
    assert first.text == "google/gemma-3-4b-it" and first.column == 51  # the literal itself, not the option


def test_keyword_arguments_dict_keys_and_reward_funcs():
    code = ('trainer = GRPOTrainer(\n    model="Qwen/Qwen2-0.5B-Instruct",\n'
            '    reward_funcs=["trl-lib/Qwen2-0.5B-Reward", accuracy_reward],\n)\n'
            'cfg = {"base_model": "mistralai/Mistral-7B-v0.3", "model_id": "google/gemma-3-1b-it"}\n'
            'distil(teacher_model="meta-llama/Llama-3.3-70B-Instruct", student_model_name="Qwen/Qwen3-1.7B")\n')
    assert models(code, "train.py") == [
        (2, "Qwen/Qwen2-0.5B-Instruct"), (3, "trl-lib/Qwen2-0.5B-Reward"), (5, "mistralai/Mistral-7B-v0.3"),
        (5, "google/gemma-3-1b-it"), (6, "meta-llama/Llama-3.3-70B-Instruct"), (6, "Qwen/Qwen3-1.7B")]


def test_command_lines_with_a_space_or_equals_and_downloads():
    script = ("python train.py --model_name_or_path Qwen/Qwen3-8B --output_dir out\n"
              "accelerate launch sft.py --model_name_or_path=google/gemma-3-4b-it\n"
              "hf download meta-llama/Llama-3.2-1B --local-dir ./llama\n"
              "huggingface-cli download deepseek-ai/DeepSeek-R1-Distill-Qwen-7B\n"
              "hf download HuggingFaceH4/ultrachat_200k --repo-type dataset\n"
              "lm_eval --model hf --model_args pretrained=EleutherAI/pythia-160m,dtype=float16 --tasks hellaswag\n"
              "vllm serve Qwen/Qwen3-8B --served-model-name my-alias\n")
    assert models(script, "run.sh") == [
        (1, "Qwen/Qwen3-8B"), (2, "google/gemma-3-4b-it"), (3, "meta-llama/Llama-3.2-1B"),
        (4, "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"), (6, "EleutherAI/pythia-160m"), (7, "Qwen/Qwen3-8B")]
    assert datasets(script, "run.sh") == [(5, "HuggingFaceH4/ultrachat_200k")]


def test_snapshot_download_hf_urls_and_wrappers():
    code = ('snapshot_download("Qwen/Qwen3-8B")\nsnapshot_download(repo_id="google/gemma-3-1b-it", local_dir="x")\n'
            'snapshot_download(repo_id="HuggingFaceH4/no_robots", repo_type="dataset")\n'
            'snapshot_download(repo_id="acme/demo-space", repo_type="space")\n'
            'df = pd.read_parquet("hf://datasets/openai/gsm8k/main/train.parquet")\n'
            'fs.open("hf://mistralai/Mistral-7B-v0.1/config.json")\n'
            'model, tok = load("mlx-community/Qwen3-4B-4bit")\n'
            'm = build_model("meta-llama/Llama-3.1-8B-Instruct", dtype="bf16")\n')
    assert models(code, "dl.py") == [(1, "Qwen/Qwen3-8B"), (2, "google/gemma-3-1b-it"), (6, "mistralai/Mistral-7B-v0.1"),
                                     (7, "mlx-community/Qwen3-4B-4bit"), (8, "meta-llama/Llama-3.1-8B-Instruct")]
    assert datasets(code, "dl.py") == [(3, "HuggingFaceH4/no_robots"), (5, "openai/gsm8k")]


def test_ollama_api_payloads():
    code = ('requests.post("http://localhost:11434/api/create", json={"model": "mario", "from": "llama3.2"})\n'
            'ollama.copy(source="qwen3:4b", destination="backup")\n'
            'ollama.create(model="helper", from_="gemma3:1b")\n')
    found = models(code, "ollama_client.py")
    assert (1, "llama3.2") in found and (2, "qwen3:4b") in found and (3, "gemma3:1b") in found
    assert all(model not in ("mario", "backup", "helper") for _, model in found)


def test_open_weight_models_that_look_like_api_names_are_references():
    code = ('a = pipeline("text-generation", model="openai/gpt-oss-20b")\n'
            'b = AutoModel.from_pretrained("openai/whisper-large-v3")\n'
            'c = AutoModel.from_pretrained("EleutherAI/gpt-neox-20b")\n'
            'd = AutoModel.from_pretrained("CohereLabs/command-r-plus-08-2024")\n'
            'e = ollama.chat(model="gpt-oss:20b", messages=[])\n')
    assert [m for _, m in models(code, "open.py")] == [
        "openai/gpt-oss-20b", "openai/whisper-large-v3", "EleutherAI/gpt-neox-20b", "CohereLabs/command-r-plus-08-2024",
        "gpt-oss:20b"]


def test_hosted_api_models_are_not_references():
    code = ('client.chat.completions.create(model="gpt-4o", messages=[])\ncompletion(model="openai/gpt-4.1-mini")\n'
            'completion(model="anthropic/claude-3-5-sonnet")\ncompletion(model="command-r-plus")\n'
            'completion(model="gemini/gemini-2.0-flash")\nclient.audio.transcriptions.create(model="whisper-1")\n')
    assert models(code, "api.py") == []


def test_legacy_bare_hub_ids_in_model_taking_positions():
    code = ('tok = AutoTokenizer.from_pretrained("bert-base-uncased")\n'
            'clf = pipeline("fill-mask", model="distilbert-base-uncased")\nt5 = T5Model.from_pretrained("t5-small")\n'
            'print("gpt2")\nname = "gpt2"\n')
    assert models(code, "legacy.py") == [(1, "google-bert/bert-base-uncased"), (2, "distilbert/distilbert-base-uncased"),
                                         (3, "google-t5/t5-small")]


def test_markdown_code_blocks_are_code_prose_and_links_are_mentions():
    doc = ("---\nbase_model: Qwen/Qwen2.5-7B-Instruct\ndatasets:\n- HuggingFaceH4/ultrachat_200k\nlicense: apache-2.0\n---\n"
           "# A fine-tune\n\nFine-tuned from [Qwen](https://huggingface.co/Qwen/Qwen2.5-7B-Instruct); try "
           "`meta-llama/Llama-3.1-8B` too, or model=google/gemma-3-1b-it in prose.\n\n"
           "```python\nmodel = AutoModelForCausalLM.from_pretrained(\"mistralai/Mistral-7B-v0.3\")\n```\n\n"
           "```bash\nvllm serve microsoft/phi-4\n```\n")
    assert models(doc, "README.md") == [(2, "Qwen/Qwen2.5-7B-Instruct"), (12, "mistralai/Mistral-7B-v0.3"),
                                        (16, "microsoft/phi-4")]
    assert datasets(doc, "README.md") == [(4, "HuggingFaceH4/ultrachat_200k")]
    rst = ("Usage\n=====\n\nLoad ``meta-llama/Llama-3.1-8B`` like this:\n\n.. code-block:: python\n\n"
           "   model = AutoModel.from_pretrained(\"google/gemma-2-9b\")\n\nThat is all.\n")
    assert models(rst, "usage.rst") == [(8, "google/gemma-2-9b")]


def test_notebooks_code_cells_only():
    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["Uses `meta-llama/Llama-3.1-8B`\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": ['model = AutoModel.from_pretrained("google/gemma-2-9b")\n']}],
         "source": ["from transformers import AutoModel\n", 'model = AutoModel.from_pretrained("Qwen/Qwen3-8B")\n']},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
         "source": "!lm_eval --model hf --model_args pretrained=EleutherAI/pythia-410m --tasks arc_easy"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1)
    found = models(text, "demo.ipynb")
    lines = text.splitlines()
    assert [m for _, m in found] == ["Qwen/Qwen3-8B", "EleutherAI/pythia-410m"]
    assert "Qwen/Qwen3-8B" in lines[found[0][0] - 1] and "pythia-410m" in lines[found[1][0] - 1]


# --- precision ------------------------------------------------------------------------------------------------


def test_placeholders_are_not_references():
    code = ('m = AutoModel.from_pretrained("your-model")\nn = AutoModel.from_pretrained("my-username/my-model")\n'
            'o = AutoModel.from_pretrained("org/model")\np = AutoModel.from_pretrained("...")\n'
            'q = AutoModel.from_pretrained("<your-org>/<model>")\n')
    assert models(code, "doc.py") == []
    assert models("ollama run <model name>:<tag>\nollama pull your-model\n", "run.sh") == []
    assert models("model_name_or_path: /path/to/your/model\nbase_model: org/name\n", "c.yaml") == []


def test_model_directories_and_cache_roots_are_not_references():
    code = 'MODELS_DIR = "/llamas"\nMODEL_CACHE_ROOT = "/data/hf"\nHF_MODEL_HOME = "~/models"\nMODEL_TYPE = "llama"\n'
    assert models(code, "settings.py") == []
    assert models("MODELS_DIR=/srv/models\nMODEL_CACHE_ROOT=/cache\n", ".env") == []


def test_datasets_spaces_and_kernels_are_not_model_findings():
    code = ('ds = load_dataset("HuggingFaceH4/ultrachat_200k", split="train")\n'
            'hf_hub_download(repo_id="acme/leaderboard", filename="app.py", repo_type="space")\n'
            'act = get_kernel("kernels-community/activation")\nkernel = "kernels-community/vllm-flash-attn3"\n')
    assert models(code, "data.py") == []
    assert datasets(code, "data.py") == [(1, "HuggingFaceH4/ultrachat_200k")]


def test_hub_urls_in_comments_docstrings_and_prose_strings_are_mentions():
    code = ('"""See https://huggingface.co/meta-llama/Llama-3.1-8B for the weights."""\n'
            '# from https://huggingface.co/google/gemma-2-9b\n'
            'raise ValueError("download one first, e.g. https://huggingface.co/Qwen/Qwen3-8B")\n'
            'URL = "https://huggingface.co/TheBloke/Llama-2-7B-GGUF/resolve/main/llama-2-7b.Q4_K_M.gguf"\n')
    assert models(code, "urls.py") == [(4, "TheBloke/Llama-2-7B-GGUF")]


# --- bindings -------------------------------------------------------------------------------------------------


def test_a_variable_is_bound_to_its_nearest_preceding_assignment():
    code = ('MODEL = "mistralai/Mistral-7B-Instruct-v0.3"\nfirst = AutoModel.from_pretrained(MODEL)\n'
            'MODEL = "deepseek-ai/DeepSeek-R1"\nsecond = AutoModel.from_pretrained(MODEL)\n')
    found = [(r.line, r.model, r.how) for r in scan_text(code, "two.py")]
    assert (2, "mistralai/Mistral-7B-Instruct-v0.3", "from_pretrained via MODEL") in found
    assert (4, "deepseek-ai/DeepSeek-R1", "from_pretrained via MODEL") in found


def test_bindings_follow_scope_and_unknown_values_are_not_reported():
    code = ('MODEL_ID = "google/gemma-3-1b-it"\n\n'
            'def load(model_id):\n    return AutoModel.from_pretrained(model_id)\n\n'
            'def local():\n    MODEL_ID = os.environ["WHICH"]\n    return AutoModel.from_pretrained(MODEL_ID)\n\n'
            'def module_level():\n    return AutoModel.from_pretrained(MODEL_ID)\n')
    found = [(r.line, r.model) for r in scan_text(code, "scopes.py")]
    assert (11, "google/gemma-3-1b-it") in found  # the module constant
    assert not any(line in (4, 8) for line, _ in found)  # a parameter; a value the code cannot know here


# --- bounded work -----------------------------------------------------------------------------------------------


CRAFTED = ["model=", "model: ", "from_pretrained(", '("a/b"', "https://huggingface.co/", "# model: x ", "--model ",
           "MODEL=", "pretrained=", "load_dataset(", "vllm serve ", "((((", "\"\"\"", "def f(x=1):"]


@pytest.mark.parametrize("unit", CRAFTED)
def test_no_crafted_line_stalls_a_scan(unit):
    line = (unit * (1_900_000 // len(unit)))[:1_900_000]
    done = {}

    def work():
        started = time.perf_counter()
        for path in ("x.py", "x.yaml", "x.sh", "x.md"):
            scan_all(line, path)
        done["seconds"] = time.perf_counter() - started

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout=120)  # about a second per kind on an idle machine; generous for a shared one
    assert not worker.is_alive(), f"a 1.9 MB line of {unit!r} did not finish in 120 s"
