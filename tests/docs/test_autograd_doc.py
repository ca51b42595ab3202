"""docs/autograd.md stays true: its quoted code still exists in the files it names, its
printed trace is what explain_backward prints today, and its pictures exist."""
import os
import re

import pytest

import minitorch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DOC = open(os.path.join(ROOT, "docs", "autograd.md")).read()
EXCERPTS = re.findall(r"<!-- excerpt: (\S+) -->\n```python\n(.*?)```", DOC, re.S)


def test_the_doc_quotes_code():
    assert len(EXCERPTS) >= 8
    assert len(EXCERPTS) == DOC.count("<!-- excerpt:")  # every marker is followed by a code block


@pytest.mark.parametrize("path,excerpt", EXCERPTS, ids=[f"{p}:{i}" for i, (p, _) in enumerate(EXCERPTS)])
def test_excerpt_is_in_the_named_file(path, excerpt):
    source = open(os.path.join(ROOT, path)).read()
    assert excerpt in source, f"docs/autograd.md quotes code that is no longer in {path}:\n{excerpt}"


def test_printed_trace_is_current():
    (printed,) = re.findall(r"<!-- output: explain_backward -->\n```text\n(.*?)```", DOC, re.S)
    x = minitorch.tensor(2.0, requires_grad=True)
    y = minitorch.tensor(3.0, requires_grad=True)
    xy = x * y
    z = xy.log() + xy.exp()
    trace = minitorch.autograd.explain_backward(z, params={"x": x, "y": y}, source=False, time=False)
    assert printed.rstrip("\n") == str(trace)


def test_pictures_exist():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", DOC):
        assert os.path.getsize(os.path.join(ROOT, "docs", image)) > 0
