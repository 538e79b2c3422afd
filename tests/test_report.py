"""`compliance report`: the audit report as PDF, HTML, Markdown and JSON.

The PDF is read back (pypdf and pdftotext) and its first page rendered with pdftoppm, so a test fails on what a
reviewer would see, not on whether a file exists. Card content is untrusted: hostile names must come out inert
in HTML and Markdown, and the PDF renderer must fetch nothing but data: URLs.
"""
from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
EU = ROOT / "policies" / "eu-saas.yaml"
DATE = "2026-11-28"
SEED = [line for line in (ROOT / "reports" / "seed-models.txt").read_text().splitlines()
        if line and not line.startswith("#")]
A4_RATIO = 297 / 210
HOSTILE_DIR = "acme__<script>alert(1)<|x`y`[z]"
HOSTILE_CARD = """---
license: other
license_name: "<b>Evil</b> | `license` [x](javascript:alert(1))"
license_link: "file:///etc/passwd"
base_model: "<img src=file:///etc/passwd>"
---
# Evil <img src="file:///etc/passwd">
<link rel="stylesheet" href="http://127.0.0.1:9/x.css">
"""
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")


@pytest.fixture(autouse=True)
def _offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("OLLAMA_MODELS", str(tmp_path / "no-ollama"))


def build(refs=SEED, policy=EU, date=DATE, **kwargs):
    """The report model for references, as the command builds it."""
    from compliance import knowledge
    from compliance.evaluate import evaluate
    from compliance.policy import load_policy
    from compliance.report import build_report
    from compliance.resolve import Options, Resolver

    kb = knowledge.default()
    loaded = load_policy(policy)
    today = dt.date.fromisoformat(date)
    resolver = Resolver(Options(online=False))
    assessments = [evaluate(resolver.resolve(r), loaded, kb, today=today) for r in refs]
    return build_report(assessments, loaded, kb, date=today, **kwargs), assessments


def pdftotext(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", " ", text)


def stable(text: str) -> str:
    from compliance import __version__, knowledge

    return text.replace(knowledge.default().version, "<kb-version>").replace(f"compliance {__version__}",
                                                                            "compliance <version>")


def compare_golden(request, name: str, text: str) -> None:
    path = GOLDEN / name
    text = stable(text)
    if request.config.getoption("--update-golden") or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed: review the diff, then run pytest --update-golden"


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory) -> Path:
    """The README's main job, run once: the seed models as PDF and Markdown."""
    from compliance.cli import main

    out = tmp_path_factory.mktemp("demo") / "out" / "audit"
    code = main(["report", "--demo", "--date", DATE, "--format", "pdf", "--format", "markdown", "-o", str(out)])
    assert code == 0
    return out.with_name("audit.pdf")


# --- the command ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_writes_pdf_and_markdown_and_prints_where(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("report", "--demo", "--date", DATE, "--format", "pdf", "--format", "markdown",
                             "-o", "out/audit")
    assert code == 0, err
    assert "wrote out/audit.pdf" in out and "wrote out/audit.md" in out
    assert "DENY: 6 deny, 1 review, 3 allow · 10 models" in out
    assert (tmp_path / "out/audit.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "out/audit.md").read_text().startswith("# Open-weight model compliance report")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["audit.md", "audit.pdf"]  # no temp files left


def test_from_file_stdout_and_extensions(run_cli, tmp_path):
    refs = tmp_path / "models.txt"
    refs.write_text("# the two Llama 4 models\nmeta-llama/Llama-4-Scout-17B-16E-Instruct\n\n"
                    "meta-llama/Llama-4-Maverick-17B-128E-Instruct  # the bigger one\n")
    code, out, _ = run_cli("report", "--from", str(refs), "--policy", str(EU), "--date", DATE, "--format", "markdown")
    assert code == 0
    assert out.count("\n### 2.") == 2 and "Llama-4-Maverick-17B-128E-Instruct" in out
    code, out, _ = run_cli("report", "--from", str(refs), "--policy", str(EU), "--date", DATE, "--format", "json",
                           "-o", str(tmp_path / "r"))
    assert code == 0 and (tmp_path / "r.json").exists() and "wrote" in out
    code, _, _ = run_cli("report", "--from", str(refs), "--policy", str(EU), "--date", DATE, "--format", "html",
                         "-o", str(tmp_path / "named.html"))
    assert code == 0 and (tmp_path / "named.html").exists() and not (tmp_path / "named.html.html").exists()


def test_output_paths():
    from compliance.commands.report import output_paths

    assert output_paths("out/audit", ["pdf", "markdown"]) == {"pdf": Path("out/audit.pdf"),
                                                               "markdown": Path("out/audit.md")}
    assert output_paths("out/audit.pdf", ["pdf", "html"]) == {"pdf": Path("out/audit.pdf"),
                                                               "html": Path("out/audit.html")}
    assert output_paths("r.md", ["markdown"]) == {"markdown": Path("r.md")}
    assert output_paths("r", ["pdf"]) == {"pdf": Path("r.pdf")}


def test_fail_on_and_default_exit(run_cli):
    args = ("report", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "--policy", str(EU), "--date", DATE,
            "--format", "json")
    assert run_cli(*args)[0] == 0  # a report was written: decisions do not fail it by default
    assert run_cli(*args, "--fail-on", "deny")[0] == 1
    code, out, _ = run_cli(*args, "--domicile", "US", "--region", "US", "--fail-on", "deny")
    assert code == 0 and json.loads(out)["results"][0]["decision"] == "review"


def test_json_is_check_json_plus_the_report(run_cli):
    code, out, _ = run_cli("report", "--demo", "--date", DATE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"schema_version", "policy", "knowledge_base", "date", "decision", "results"} <= data.keys()
    assert data["decision"] == "deny" and len(data["results"]) == 10
    report = data["report"]
    assert report["counts"] == {"deny": 6, "review": 1, "allow": 3}
    assert report["policy"]["files"][0]["name"] == "eu-saas.yaml"
    assert report["policy"]["effective"]["organization"]["domicile"] == "DE"
    built_with = [i for g in report["obligations"] for i in g["items"] if "Built with Llama" in i["text"]]
    assert len(built_with) == 1 and len(built_with[0]["clauses"]) == 2  # llama-4 and llama-3.3, listed once
    assert any(r["id"] == "llama-4" and r["verified"] and r["texts"] for r in report["knowledge_base_records"])


# --- bad input: one line, exit 2, nothing written ----------------------------------------------------------------


def test_unknown_model_is_one_line_exit_2_nothing_written(run_cli, tmp_path):
    target = tmp_path / "audit.pdf"
    target.write_bytes(b"old report")
    code, out, err = run_cli("report", "no-such-org/no-such-model", "--policy", str(EU), "-o", str(target))
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "no-such-org/no-such-model" in err
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir() if p.name != "empty-cache"] == ["audit.pdf"]


def test_one_bad_reference_is_named_the_others_are_reported_and_the_run_is_exit_2(run_cli, tmp_path):
    target = tmp_path / "audit.md"
    code, out, err = run_cli("report", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "no-such-org/no-such-model",
                             "--policy", str(EU), "--format", "markdown", "-o", str(target), "--date", "2025-06-01")
    assert code == 2
    assert f"wrote {target}" in out
    text = target.read_text()
    assert "Llama-4-Scout-17B-16E-Instruct" in text and "no-such-org" not in text
    assert "no-such-org/no-such-model" in err and "1 of 2 reference(s) could not be used" in err


def test_missing_policy_is_one_line_exit_2(run_cli, tmp_path):
    code, out, err = run_cli("report", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "--policy",
                             str(tmp_path / "nope.yaml"), "--format", "markdown", "-o", str(tmp_path / "new" / "r"))
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "nope.yaml" in err and "not found" in err
    assert not (tmp_path / "new").exists()


def test_unwritable_output_is_one_line_exit_2(run_cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out_path, problem in ((blocker / "r.md", "is not a folder"), (tmp_path, "is a directory")):
        code, out, err = run_cli("report", "meta-llama/Llama-4-Scout-17B-16E-Instruct", "--policy", str(EU),
                                 "--format", "markdown", "-o", str(out_path))
        assert code == 2 and out == ""
        assert err.strip().count("\n") == 0 and problem in err and str(out_path) in err


def test_a_failed_write_leaves_no_temporary_files(tmp_path, monkeypatch):
    import os

    from compliance.fileio import atomic_write_many
    from compliance.errors import InputError

    first, second = tmp_path / "r.pdf", tmp_path / "r.md"
    first.write_bytes(b"old")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(InputError, match="No space left on device"):
        atomic_write_many({first: b"new pdf", second: b"new md"})
    assert first.read_bytes() == b"old" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "empty-cache") == ["r.pdf"]


def test_help_imports_neither_jinja2_nor_weasyprint():
    code = ("import sys\nfrom compliance.cli import main\nmain(['--help']); main(['report', '--help'])\n"
            "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'jinja2'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "HEAVY []" in out and "--demo" in out and "--paper" in out


# --- content -----------------------------------------------------------------------------------------------------


def test_obligations_are_deduplicated_across_models():
    report, _ = build()
    groups = {tuple(m.label for m in g.models): g for g in report.obligations}
    llamas = ("meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
              "meta-llama/Llama-3.3-70B-Instruct")
    shared = [i.text for i in groups[llamas].items]
    assert any("Built with Llama" in t for t in shared)  # one display covers all three Llama models
    everywhere = [i for g in report.obligations for i in g.items if "Built with Llama" in i.text]
    assert len(everywhere) == 1
    # each license's own copy is its own duty
    copies = [(tuple(m.label for m in g.models), i.clauses[0][0]) for g in report.obligations for i in g.items
              if i.kind == "license-copy"]
    assert {lic for _, lic in copies} == {"apache-2.0", "llama-4", "llama-3.3", "qwen"}


def test_notice_sentences_verbatim_and_text_continues(tmp_path):
    policy = tmp_path / "redistribute.yaml"
    policy.write_text(f"extends: {EU}\nname: redistributor\norganization: {{activities: [redistribute-weights]}}\n"
                      "licenses: {allow: []}\n")
    report, _ = build(["meta-llama/Llama-4-Scout-17B-16E-Instruct", "tencent/Hunyuan-A13B-Instruct"], policy)
    notices = {i.notice: i for g in report.obligations for i in g.items if i.notice}
    llama = notices["Llama 4 is licensed under the Llama 4 Community License, Copyright © Meta Platforms, Inc. "
                    "All Rights Reserved."]
    assert not llama.notice_continues
    hunyuan = next(i for n, i in notices.items() if n.startswith("Tencent Hunyuan is licensed"))
    assert hunyuan.notice_continues
    from compliance.formats.markdown import render_markdown

    md = render_markdown(report)
    assert "> Llama 4 is licensed under the Llama 4 Community License, Copyright © Meta Platforms, Inc. All Rights " \
           "Reserved." in md
    assert "The notice runs on in the license:" in md


def test_expired_waiver_is_shown_and_does_not_apply():
    from compliance.formats.markdown import render_markdown

    report, _ = build(["deepseek-ai/DeepSeek-R1"], date="2027-04-01")
    (model,) = report.models
    assert model.decision == "deny" and model.expired and not model.waived
    md = render_markdown(report)
    assert "#### Expired waivers" in md and "legal@acme.example" in md and "LEGAL-1234" in md
    report, _ = build(["deepseek-ai/DeepSeek-R1"])
    assert report.models[0].waived and "#### Waived findings" in render_markdown(report)


def test_markdown_golden(request):
    from compliance.formats.markdown import render_markdown

    report, _ = build()
    text = render_markdown(report)
    assert text == render_markdown(build()[0])  # deterministic
    compare_golden(request, "report-demo.md", text)


def test_a_catalog_revision_is_stated_as_the_revision_checked():
    """A legal reviewer signs a statement about a version: a catalog entry with a checked Hub revision says so."""
    from compliance.formats.html import render_html
    from compliance.formats.markdown import render_markdown

    report, (assessment,) = build(refs=("HuggingFaceTB/SmolLM2-135M",))
    revision = assessment.subject.record.revision
    assert revision and len(revision) == 40
    assert f"as checked at revision {revision}" in render_markdown(report)
    assert "as checked at revision" in render_html(report) and revision in render_html(report)
    unpinned, _ = build(refs=("meta-llama/Llama-3.3-70B-Instruct",))
    assert "not pinned" in render_markdown(unpinned)


def test_template_environment_is_strict_and_escaping():
    import jinja2

    from compliance.formats.html import environment

    env = environment()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


# --- security: untrusted card content ------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path, monkeypatch) -> str:
    """A local model whose folder name and front matter carry HTML, Markdown table breaks and file:// URLs."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / HOSTILE_DIR
    folder.mkdir()
    (folder / "README.md").write_text(HOSTILE_CARD)
    return HOSTILE_DIR


def test_markdown_escapes_card_content(request, hostile):
    from compliance.formats.markdown import render_markdown

    report, _ = build([hostile, "meta-llama/Llama-3.3-70B-Instruct"])
    md = render_markdown(report)
    assert "<script>" not in md and "<b>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;\\|x\\`y\\`\\[z\\]" in md
    # every summary row still has its six columns: no card value opened a new one
    rows = [line for line in md.splitlines() if re.match(r"^\| \d+ \| \[", line)]
    assert len(rows) == 2
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert not re.search(r"(?<!\\)\]\((javascript|file):", md)  # no link a renderer would follow
    compare_golden(request, "report-hostile.md", md)


def test_html_escapes_card_content(hostile):
    from compliance.formats.html import render_html

    report, _ = build([hostile])
    html = render_html(report)
    assert "<script>" not in html and "<b>Evil" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;|x`y`[z]" in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert 'href="file:' not in html and 'src="file:' not in html


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self):  # the http.server interface
        _Recorder.requests.append(self.path)
        body = b"body::before { content: 'REMOTE-CSS-LOADED'; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_pdf_fetcher_refuses_everything_but_data_urls(tmp_path):
    from compliance.formats.pdf import html_to_pdf, make_fetcher

    secret_css = tmp_path / "secret.css"
    secret_css.write_text("body::after { content: 'LOCAL-CSS-LOADED'; }")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_port}/x.css"
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
             "AAAABJRU5ErkJggg==")
    html = (f'<html><head><link rel="stylesheet" href="{remote}"><link rel="stylesheet" href="{secret_css.as_uri()}">'
            f'<style>@import url("{remote}?import");</style></head><body><p>visible text</p>'
            f'<img src="file:///etc/passwd"><img src="{remote}?img"><img alt="pixel" src="{pixel}"></body></html>')
    fetcher = make_fetcher()
    try:
        pdf = html_to_pdf(html, fetcher=fetcher)
    finally:
        server.shutdown()
    assert _Recorder.requests == []  # nothing reached the server
    assert {u.split("?")[0] for u in fetcher.refused} == {remote, secret_css.as_uri(), "file:///etc/passwd"}
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = pdftotext(path)
        assert "visible text" in text and "LOADED" not in text
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"].get("/XObject", {})
    assert any(xobjects[k].get_object()["/Subtype"] == "/Image" for k in xobjects)  # the data: image was drawn


@pytest.mark.slow
@needs_poppler
def test_pdf_of_hostile_card_reads_nothing_and_shows_text(hostile, tmp_path):
    from compliance.formats.pdf import render_pdf

    report, _ = build([hostile])
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(report))
    text = pdftotext(path)
    assert "<script>alert(1)<|x`y`[z]" in text and "root:" not in text


# --- the PDF, read back ----------------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_poppler
def test_pdf_content_in_order(demo_pdf):
    text = pdftotext(demo_pdf)
    report, _ = build()
    order = ["Open-weight model compliance report", "Acme GmbH", "Overall result:", report.policy_sha256,
             "Date of evaluation 2026-11-28", "compliance 0.1.0", report.kb_version, "Sign-off", "Reviewer",
             "Signature", "Contents", "1 Summary", "2 Models", "2.1 meta-llama/Llama-4-Scout-17B-16E-Instruct",
             "territory", "What would change it:", "2.5 deepseek-ai/DeepSeek-R1", "Waived findings",
             "legal@acme.example", "LEGAL-1234", "2027-03-31", "3 Obligations checklist", "Built with Llama",
             "Appendix A: The policy as evaluated", "eu-saas.yaml", "Appendix B: Knowledge-base records cited",
             "Llama 4 Community License Agreement (llama-4)", "yes: checked against the official text"]
    position = 0
    for needle in order:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing after position {position}"
        position = found
    for model in SEED:
        assert model in text
    assert "https://github.com/meta-llama/llama-models/blob/main/models/llama4/LICENSE" in text.replace(" ", "")
    assert text.count("Built with Llama") >= 3
    assert re.search(r"Page 1 of (\d+)", text)
    assert "Policy acme-eu-saas (sha256 8877f44fed49…) · evaluated 2026-11-28" in text  # the running header


@pytest.mark.slow
def test_pdf_metadata_fonts_tags_links_and_size(demo_pdf):
    from pypdf import PdfReader

    reader = PdfReader(str(demo_pdf))
    meta = reader.metadata
    assert meta.title == "Open-weight model compliance report"
    assert meta.subject.startswith("License and procurement review of 10 model(s) under policy acme-eu-saas")
    assert meta.author == "Acme GmbH" and meta["/CreationDate"].startswith("D:20261128")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged for screen readers
    assert root["/Lang"] == "en"
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
                else font["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts  # every font embedded
    contents_links = [a.get_object() for a in reader.pages[2].get("/Annots", [])]
    assert len(contents_links) >= 12 and all("/Dest" in a or "/A" in a for a in contents_links)  # linked contents

    def titles(items):
        return [t for o in items for t in (titles(o) if isinstance(o, list) else [o.title])]

    bookmarks = titles(reader.outline)  # the PDF's outline: the title, the parts and one entry per model
    assert bookmarks[:4] == ["Open-weight model compliance report", "Sign-off", "Contents", "1 Summary"]
    assert "2.1 meta-llama/Llama-4-Scout-17B-16E-Instruct ✗ DENY" in bookmarks
    assert bookmarks[-1] == "Appendix B: Knowledge-base records cited"


@pytest.mark.slow
def test_pdf_is_deterministic_and_letter_size(tmp_path):
    from pypdf import PdfReader

    from compliance.formats.pdf import render_pdf

    report, _ = build(SEED[:3])
    first, second = render_pdf(report), render_pdf(build(SEED[:3])[0])
    assert first == second  # no timestamp or random id varies the bytes
    letter = render_pdf(report, paper="letter")
    width, height = (float(x) for x in PdfReader(io.BytesIO(letter)).pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)


@pytest.mark.slow
def test_cli_pdf_bytes_identical_across_runs(run_cli, tmp_path):
    for name in ("a", "b"):
        code, _, _ = run_cli("report", *SEED[:2], "--policy", str(EU), "--date", DATE, "-o", str(tmp_path / name))
        assert code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.slow
@needs_poppler
def test_first_page_renders_as_a_non_blank_a4_picture(demo_pdf, tmp_path):
    """A layout regression shows up as a changed picture: look at tmp_path/page-1.png. The cover must carry the
    red DENY badge (colour and word)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(demo_pdf),
                    str(tmp_path / "page-1")], check=True)
    image = Image.open(tmp_path / "page-1.png").convert("RGB")
    width, height = image.size
    assert (width, height) == (414, 585)  # A4 (210 x 297 mm) at 50 dpi, as pdftoppm rounds it
    assert abs(height / width - A4_RATIO) < 0.01
    colours = image.getcolors(maxcolors=1 << 16) or []
    dark = sum(count for count, (r, g, b) in colours if r + g + b < 200)
    assert dark > 2000  # text on the page, not a blank sheet
    assert any(r > 130 and g < 60 and b < 60 for _, (r, g, b) in colours)  # the deny badge's red
    assert "DENY" in pdftotext(demo_pdf).split("Sign-off")[0]


@pytest.mark.slow
@needs_poppler
def test_two_hundred_models_render(tmp_path):
    from compliance import catalog
    from compliance.formats.markdown import render_markdown
    from compliance.formats.pdf import render_pdf

    ids = [entry.id for entry in catalog.default()]
    refs = [ids[i % len(ids)] for i in range(200)]
    report, _ = build(refs)
    md = render_markdown(report)
    assert md.count("\n### 2.") == 200 and "2.200 " in md
    path = tmp_path / "200.pdf"
    path.write_bytes(render_pdf(report))
    text = pdftotext(path)
    assert "2.200 " + refs[-1] in text and text.rfind("Appendix B: Knowledge-base records cited") > text.find("2.200 ")
