"""A fake Hugging Face Hub on 127.0.0.1 for the online tests: the paths huggingface_hub 2.x requests.

    GET  /api/models/<id>[/revision/<rev>]    model info JSON (id, sha, siblings, cardData, gated, tags)
    HEAD|GET /<id>/resolve/<rev>/<file>       file bytes, X-Repo-Commit, ETag, Content-Length
    GET  /api/datasets/<id>                   dataset info JSON (id, sha, siblings, cardData, gated, tags)
    HEAD|GET /datasets/<id>/resolve/<rev>/<file>
Repositories are registered with files; gated ones answer file requests with 403 + X-Error-Code: GatedRepo.
Datasets (``add_dataset``) may answer their info with a fixed ``status`` (401, 403: gated or private).
The Authorization header of every request is kept in ``authorizations`` (to check the token is sent, not shown).
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse


@dataclass
class Repo:
    id: str
    files: dict[str, bytes]
    sha: str = "0123456789abcdef0123456789abcdef01234567"
    gated: bool = False
    extra: dict = field(default_factory=dict)


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.datasets: dict[str, Repo] = {}
        self.dataset_status: dict[str, int] = {}
        self.requests: list[str] = []
        self.authorizations: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def add(self, repo_id: str, files: dict[str, str | bytes], **kw) -> Repo:
        repo = Repo(repo_id, {k: v.encode() if isinstance(v, str) else v for k, v in files.items()}, **kw)
        self.repos[repo_id] = repo
        return repo

    def add_dataset(self, repo_id: str, files: dict[str, str | bytes] | None = None, *, status: int | None = None,
                    **kw) -> Repo:
        repo = Repo(repo_id, {k: v.encode() if isinstance(v, str) else v for k, v in (files or {}).items()}, **kw)
        self.datasets[repo_id] = repo
        if status is not None:
            self.dataset_status[repo_id] = status
        return repo

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes = b"", headers: dict | None = None, head: bool = False) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _error(self, status: int, code: str, head: bool = False) -> None:
                body = json.dumps({"error": code}).encode()
                self._send(status, body, {"Content-Type": "application/json", "X-Error-Code": code,
                                          "X-Error-Message": code}, head)

            def do_HEAD(self) -> None:
                self._route(head=True)

            def do_GET(self) -> None:
                self._route(head=False)

            def _route(self, head: bool) -> None:
                path = unquote(urlparse(self.path).path)
                hub.requests.append(f"{'HEAD' if head else 'GET'} {path}")
                hub.authorizations.append(self.headers.get("Authorization") or "")
                if path.startswith(("/api/datasets/", "/datasets/")):
                    return self._dataset(path, head)
                if path.startswith("/api/models/"):
                    rest = path[len("/api/models/"):]
                    repo_id, _, revision = rest.partition("/revision/")
                    repo = hub.repos.get(repo_id)
                    if repo is None:
                        return self._error(404, "RepoNotFound", head)
                    if revision and revision not in ("main", repo.sha):
                        return self._error(404, "RevisionNotFound", head)
                    info = {"id": repo.id, "modelId": repo.id, "sha": repo.sha, "private": False,
                            "gated": "manual" if repo.gated else False,
                            "siblings": [{"rfilename": n} for n in sorted(repo.files)], **repo.extra}
                    return self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"}, head)
                parts = path.lstrip("/").split("/")
                if len(parts) >= 5 and parts[2] == "resolve":
                    repo_id, revision, name = "/".join(parts[:2]), parts[3], "/".join(parts[4:])
                    repo = hub.repos.get(repo_id)
                    if repo is None:
                        return self._error(404, "RepoNotFound", head)
                    if revision not in ("main", repo.sha):
                        return self._error(404, "RevisionNotFound", head)
                    if repo.gated:
                        return self._error(403, "GatedRepo", head)
                    if name not in repo.files:
                        return self._error(404, "EntryNotFound", head)
                    return self._blob(repo, name, head)
                return self._error(404, "RepoNotFound", head)

            def _blob(self, repo, name: str, head: bool) -> None:
                """A file of a repository, with the headers huggingface_hub checks (commit, git blob ETag)."""
                data = repo.files[name]
                etag = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
                return self._send(200, data, {"X-Repo-Commit": repo.sha, "ETag": f'"{etag}"',
                                              "Content-Type": "application/octet-stream"}, head)

            def _dataset(self, path: str, head: bool) -> None:
                if path.startswith("/api/datasets/"):
                    repo_id = path[len("/api/datasets/"):].partition("/revision/")[0]
                    repo = hub.datasets.get(repo_id)
                    if repo is None:
                        return self._error(404, "RepoNotFound", head)
                    status = hub.dataset_status.get(repo_id)
                    if status is not None:
                        return self._error(status, "GatedRepo" if status == 403 else "RepoNotFound", head)
                    info = {"id": repo.id, "sha": repo.sha, "private": False,
                            "gated": "manual" if repo.gated else False,
                            "siblings": [{"rfilename": n} for n in sorted(repo.files)], **repo.extra}
                    return self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"}, head)
                parts = path.lstrip("/").split("/")  # datasets/<org>/<name>/resolve/<rev>/<file>
                if len(parts) >= 6 and parts[3] == "resolve":
                    repo = hub.datasets.get("/".join(parts[1:3]))
                    name = "/".join(parts[5:])
                    if repo is None or name not in repo.files:
                        return self._error(404, "EntryNotFound", head)
                    return self._blob(repo, name, head)
                return self._error(404, "RepoNotFound", head)

        return Handler
