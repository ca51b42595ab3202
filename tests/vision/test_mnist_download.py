"""download=True against local HTTP servers on 127.0.0.1: mirrors, checksums, resuming."""
import gzip
import hashlib
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from minitorch.vision import datasets
from minitorch.vision.datasets._download import download_file

PAYLOAD = bytes(range(256)) * 400  # 100 KiB, more than one read chunk
MD5 = hashlib.md5(PAYLOAD).hexdigest()


class Handler(BaseHTTPRequestHandler):
    """Serves `server.files`; `server.mode` picks a misbehaviour:
    "ok", "corrupt" (same length, other bytes), "cut" (drop the connection half way,
    `server.cuts` times), "no-range" (ignore Range headers), "404"."""

    def do_GET(self):
        server = self.server
        server.log.append((self.path, self.headers.get("Range")))
        name = self.path.rsplit("/", 1)[-1]
        if server.mode == "404" or name not in server.files:
            self.send_error(404)
            return
        data = server.files[name]
        if server.mode == "corrupt":
            data = bytes(reversed(data))
        start = 0
        range_header = self.headers.get("Range")
        if range_header and server.mode != "no-range":
            start = int(range_header.split("=")[1].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if server.mode == "cut" and server.cuts > 0:
            server.cuts -= 1
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True  # the client sees fewer bytes than announced
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(files, mode="ok", cuts=0) -> (base URL, server); all servers stop at teardown."""
    servers = []

    def start(files, mode="ok", cuts=0):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.files, server.mode, server.cuts, server.log = files, mode, cuts, []
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/files/", server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def dead_url():
    """A URL on a local port nobody listens on: connection refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/files/"


def fetch(tmp_path, mirrors, **kw):
    return download_file("f.bin", mirrors, tmp_path, {MD5}, timeout=5, progress=False, **kw)


def test_plain_download(tmp_path, serve):
    url, server = serve({"f.bin": PAYLOAD})
    path = fetch(tmp_path, [url])
    assert path == tmp_path / "f.bin" and path.read_bytes() == PAYLOAD
    assert not (tmp_path / "f.bin.part").exists()
    assert server.log == [("/files/f.bin", None)]


def test_mirror_down_then_next(tmp_path, serve, dead_url):
    url404, s404 = serve({}, mode="404")
    url, server = serve({"f.bin": PAYLOAD})
    assert fetch(tmp_path, [dead_url, url404, url]).read_bytes() == PAYLOAD
    assert len(s404.log) == 1 and len(server.log) == 1


def test_checksum_mismatch_moves_on(tmp_path, serve):
    bad_url, bad = serve({"f.bin": PAYLOAD}, mode="corrupt")
    url, good = serve({"f.bin": PAYLOAD})
    assert fetch(tmp_path, [bad_url, url]).read_bytes() == PAYLOAD
    assert good.log == [("/files/f.bin", None)]  # started afresh: the bad bytes were thrown away


def test_checksum_mismatch_everywhere(tmp_path, serve):
    bad_url, _ = serve({"f.bin": PAYLOAD}, mode="corrupt")
    with pytest.raises(RuntimeError, match="checksum mismatch") as e:
        fetch(tmp_path, [bad_url])
    assert "f.bin" in str(e.value) and str(tmp_path) in str(e.value)
    assert list(tmp_path.iterdir()) == []  # nothing half-written is left behind


def test_interrupted_transfer_resumes(tmp_path, serve):
    url, server = serve({"f.bin": PAYLOAD}, mode="cut", cuts=2)
    assert fetch(tmp_path, [url]).read_bytes() == PAYLOAD
    half, quarter = len(PAYLOAD) // 2, len(PAYLOAD) // 4
    assert server.log == [("/files/f.bin", None),
                          ("/files/f.bin", f"bytes={half}-"),
                          ("/files/f.bin", f"bytes={half + quarter}-")]


def test_interrupted_everywhere_keeps_part(tmp_path, serve):
    url, server = serve({"f.bin": PAYLOAD}, mode="cut", cuts=100)
    with pytest.raises(RuntimeError, match="interrupted"):
        fetch(tmp_path, [url], attempts=2)
    assert not (tmp_path / "f.bin").exists()
    kept = (tmp_path / "f.bin.part").stat().st_size
    assert kept == len(PAYLOAD) // 2 + len(PAYLOAD) // 4  # two attempts, each got half of what it asked
    # a later run picks up where this one stopped
    server.mode = "ok"
    assert fetch(tmp_path, [url]).read_bytes() == PAYLOAD
    assert server.log[-1] == ("/files/f.bin", f"bytes={kept}-")


def test_resume_after_killed_process(tmp_path, serve):
    (tmp_path / "f.bin.part").write_bytes(PAYLOAD[:1000])
    url, server = serve({"f.bin": PAYLOAD})
    assert fetch(tmp_path, [url]).read_bytes() == PAYLOAD
    assert server.log == [("/files/f.bin", "bytes=1000-")]


def test_part_already_complete(tmp_path, serve):
    (tmp_path / "f.bin.part").write_bytes(PAYLOAD)
    url, server = serve({"f.bin": PAYLOAD})
    assert fetch(tmp_path, [url]).read_bytes() == PAYLOAD  # 416 means: you have it all
    assert server.log == [("/files/f.bin", f"bytes={len(PAYLOAD)}-")]


def test_server_ignoring_range_starts_over(tmp_path, serve):
    (tmp_path / "f.bin.part").write_bytes(b"x" * 1000)
    url, _ = serve({"f.bin": PAYLOAD}, mode="no-range")
    assert fetch(tmp_path, [url]).read_bytes() == PAYLOAD


def test_stale_garbage_part_is_discarded(tmp_path, serve):
    (tmp_path / "f.bin.part").write_bytes(b"garbage!" * 10)
    url1, _ = serve({"f.bin": PAYLOAD})
    url2, second = serve({"f.bin": PAYLOAD})
    assert fetch(tmp_path, [url1, url2]).read_bytes() == PAYLOAD
    assert second.log == [("/files/f.bin", None)]


def test_all_mirrors_down(tmp_path, dead_url, serve):
    url404, _ = serve({}, mode="404")
    with pytest.raises(RuntimeError) as e:
        fetch(tmp_path, [dead_url, url404])
    msg = str(e.value)
    assert dead_url + "f.bin" in msg and url404 + "f.bin" in msg and "404" in msg
    assert list(tmp_path.iterdir()) == []


def test_recompressed_file_accepted_by_content_md5(tmp_path, serve):
    """A mirror may gzip differently: the checksum of the content counts."""
    content = b"IDX content" * 100
    served = gzip.compress(content, mtime=12345)
    url, _ = serve({"f.bin": served})
    path = download_file("f.bin", [url], tmp_path, {"0" * 32, hashlib.md5(content).hexdigest()},
                         timeout=5, progress=False)
    assert gzip.decompress(path.read_bytes()) == content


# -- through the dataset ------------------------------------------------------------------


def idx(arr):
    return struct.pack(">BBBB", 0, 0, 8, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.tobytes()


@pytest.fixture
def fake_mnist(monkeypatch):
    """Small IDX files and an MNIST whose resources describe them."""
    rng = np.random.default_rng(1)
    files, resources = {}, []
    for prefix, n in (("train", 7), ("t10k", 3)):
        for kind, arr in (("images-idx3", rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)),
                          ("labels-idx1", rng.integers(0, 10, n, dtype=np.uint8))):
            raw = idx(arr)
            name = f"{prefix}-{kind}-ubyte.gz"
            files[name] = gzip.compress(raw)
            resources.append((name, hashlib.md5(files[name]).hexdigest(), hashlib.md5(raw).hexdigest()))
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    monkeypatch.setattr(datasets.MNIST, "_builtin_folders", lambda self: [])  # only the network
    return files


def test_dataset_download(tmp_path, serve, dead_url, fake_mnist, monkeypatch):
    url, server = serve(fake_mnist)
    monkeypatch.setattr(datasets.MNIST, "mirrors", [dead_url, url])
    ds = datasets.MNIST(tmp_path, train=True, download=True)
    assert len(ds) == 7 and ds.folder == tmp_path / "MNIST" / "raw"
    assert sorted(p.name for p in ds.folder.iterdir()) == sorted(fake_mnist)
    # a second construction finds the files and does not touch the network
    requests = len(server.log)
    assert len(datasets.MNIST(tmp_path, train=False, download=True)) == 3
    assert len(server.log) == requests


def test_dataset_offline_one_clear_error(tmp_path, dead_url, fake_mnist, monkeypatch):
    monkeypatch.setattr(datasets.MNIST, "mirrors", [dead_url])
    with pytest.raises(RuntimeError) as e:
        datasets.MNIST(tmp_path, download=True)
    msg = str(e.value)
    assert str(tmp_path / "MNIST" / "raw") in msg
    assert "train-images-idx3-ubyte" in msg and "train-labels-idx1-ubyte" in msg
    assert "Downloading failed" in msg and dead_url in msg
    assert e.value.__cause__ is None and e.value.__context__ is None


def test_dataset_download_bad_checksum(tmp_path, serve, fake_mnist, monkeypatch):
    url, _ = serve(fake_mnist, mode="corrupt")
    monkeypatch.setattr(datasets.MNIST, "mirrors", [url])
    with pytest.raises(RuntimeError, match="checksum mismatch"):
        datasets.MNIST(tmp_path, download=True)
    assert not any(p.suffix == ".gz" for p in (tmp_path / "MNIST" / "raw").iterdir())


def test_dataset_download_offline_uses_builtin_copy(tmp_path, dead_url, monkeypatch):
    """Tutorial code `MNIST("data", download=True)` works offline: the vendored files
    (checked against the real MD5s) are copied into the torchvision layout."""
    monkeypatch.setattr(datasets.MNIST, "mirrors", [dead_url])
    ds = datasets.MNIST(tmp_path / "data", train=False, download=True)
    assert ds.folder == tmp_path / "data" / "MNIST" / "raw" and len(ds) == 10000
    assert sorted(p.name for p in ds.folder.iterdir()) == sorted(name for name, _, _ in datasets.MNIST.resources)
