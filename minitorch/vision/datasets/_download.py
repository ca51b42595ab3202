"""Fetching a data file over HTTP: mirrors, checksums, resumable and atomic.

`download_file` is careful about the ways a download goes wrong:
- a mirror is down (refused, 404, timeout): try the next one;
- the connection drops half way: the bytes so far stay in `<name>.part` and the next
  attempt asks for the rest with an HTTP Range request (servers that ignore Range
  answer 200 with the whole file, and we start over);
- the bytes are wrong (a mirror serving something else): the MD5 check fails, the
  partial file is deleted and the next mirror is tried;
- the process is killed: only `<name>.part` exists, never a half-written `<name>`,
  because the finished file is moved into place with one atomic `os.replace`.
"""
from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import zlib
from pathlib import Path
from typing import Iterable
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from tqdm import tqdm

_CHUNK = 1 << 16


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def md5_matches(path: Path, checksums: Iterable[str]) -> bool:
    """True if the MD5 of `path`, or of its gunzipped content, is one of `checksums`.

    Both are accepted because mirrors re-compress: the content is what matters.
    """
    checksums = set(checksums)
    raw = Path(path).read_bytes()
    if hashlib.md5(raw).hexdigest() in checksums:
        return True
    if raw[:2] != b"\x1f\x8b":
        return False
    try:
        return hashlib.md5(gzip.decompress(raw)).hexdigest() in checksums
    except (OSError, EOFError, zlib.error):
        return False


def _fetch(url: str, part: Path, timeout: float, progress: bool) -> None:
    """Append the rest of `url` to `part` (all of it if `part` is absent).

    Raises OSError or http.client.HTTPException if the server fails or the transfer
    stops before the announced length.
    """
    have = _size(part)
    headers = {"User-Agent": "minitorch"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = urlopen(Request(url, headers=headers), timeout=timeout)
    except HTTPError as e:
        if e.code == 416 and have:  # "range not satisfiable": `part` already holds the whole file
            return
        raise
    with response:
        if response.status == 206:
            match = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
            if not match or int(match.group(1)) != have:
                raise http.client.HTTPException(f"server resumed at the wrong offset ({response.headers.get('Content-Range')!r})")
        else:  # the server sent the whole file
            have = 0
        remaining = response.length  # None if the server did not say
        total = None if remaining is None else have + remaining
        received = 0
        with open(part, "ab" if have else "wb") as f, tqdm(
            total=total, initial=have, unit="B", unit_scale=True, unit_divisor=1024,
            desc=part.name[: -len(".part")], disable=not progress,
        ) as bar:
            while chunk := response.read(_CHUNK):
                f.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
            f.flush()
            os.fsync(f.fileno())
    # http.client returns b"" rather than raising when the peer closes early
    if remaining is not None and received < remaining:
        raise ConnectionError(f"transfer interrupted after {have + received} of {total} bytes")


def download_file(
    filename: str,
    mirrors: Iterable[str],
    folder: Path,
    checksums: Iterable[str],
    *,
    timeout: float = 30.0,
    attempts: int = 3,
    progress: bool = True,
) -> Path:
    """Download `filename` from the first mirror that serves it correctly into `folder`.

    `mirrors` are URL prefixes (ending in "/"); `checksums` are accepted MD5 digests of
    the file or of its gunzipped content. A mirror whose transfer breaks off is retried
    (resuming) up to `attempts` times as long as each try makes progress. Returns the
    path of the verified file; raises RuntimeError listing every mirror's failure.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target, part = folder / filename, folder / (filename + ".part")
    failures = []
    for mirror in mirrors:
        url = mirror + filename
        error = _fetch_resuming(url, part, timeout, attempts, progress)
        if error is not None:
            failures.append(error)
            continue
        if md5_matches(part, checksums):
            os.replace(part, target)
            return target
        failures.append(f"{url}: checksum mismatch (MD5 {hashlib.md5(part.read_bytes()).hexdigest()})")
        part.unlink()
    raise RuntimeError(f"could not download {filename} into {folder}:\n  " + "\n  ".join(failures))


def _fetch_resuming(url: str, part: Path, timeout: float, attempts: int, progress: bool) -> str | None:
    """Fetch `url` into `part`, resuming after breaks; None on success, else the reason it failed."""
    for _ in range(attempts):
        before = _size(part)
        try:
            _fetch(url, part, timeout, progress)
            return None
        except (OSError, http.client.HTTPException) as e:
            reason = f"{url}: {e}"
            if _size(part) <= before:  # no progress: this mirror is not going to work
                break
    return reason
