# `make test` and `make train` work on a fresh machine: each creates .venv and installs what it needs.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --find-links /opt/wheels
# numpy's OpenBLAS on its Haswell kernels for the tests and training (as CI has always run them; some
# environments set it themselves). `make bench` leaves numpy's BLAS as the environment has it, and
# benchmarks/RESULTS.md names the kernels each run used.
test test-isolated fuzz train: export OPENBLAS_CORETYPE ?= Haswell

.PHONY: install install-runtime test test-isolated fuzz train bench clean

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PIP) -e '.[vision,tensorboard]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.runtime

install-runtime: $(VENV)/.runtime
install: $(VENV)/.dev

test: install
	$(PY) -m pytest

# The tests that read data files (MNIST, the seed programs, the examples' training), run in a clone of
# HEAD in a temporary directory with nothing beside it (no ../shared), with this venv: a test that
# reaches outside the repository fails here. Commit first: the clone sees HEAD only. Run `make install`
# (or `make test`) first; VENV=path uses another venv as it is (nothing is installed into it).
ISOLATED_TESTS ?= tests/nn/test_mlp_mnist.py tests/seeds tests/vision/test_mnist_dataset.py \
	tests/vision/test_mnist_download.py tests/examples/test_train_mnist.py tests/distributed/test_train_mnist.py \
	tests/test_clean_clone.py
test-isolated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	git clone -q . "$$tmp/repo" && cd "$$tmp/repo" && \
	PYTHONPATH="$$tmp/repo" $(abspath $(PY)) -c 'import minitorch, sys; assert minitorch.__file__.startswith(sys.argv[1]), minitorch.__file__' "$$tmp/repo" && \
	PYTHONPATH="$$tmp/repo" $(abspath $(PY)) -m pytest -p no:cacheprovider $(ISOLATED_TESTS)

# The differential tests (tests/differential) with many random cases each; FUZZ_EXAMPLES per test
# (new random cases each run; the statistics printed at the end count them per test).
# FUZZ_LOG=file records every mismatch there instead of stopping at the first.
# See docs/differential-testing.md.
FUZZ_EXAMPLES ?= 5000
fuzz: install
	MINITORCH_FUZZ=1 MINITORCH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(if $(FUZZ_LOG),MINITORCH_FUZZ_LOG=$(FUZZ_LOG)) \
		$(PY) -m pytest tests/differential --hypothesis-show-statistics

train: install-runtime
	$(PY) examples/train_mnist.py

# Training/inference in both harness modes, then benchmarks/RESULTS.md regenerated from that run;
# the layer, op and kernel tables print only.
bench: install
	$(PY) benchmarks/bench_train.py --json benchmarks/last_run.json
	$(PY) benchmarks/write_results.py benchmarks/last_run.json
	$(PY) benchmarks/bench_ops.py
	$(PY) benchmarks/bench_kernels.py
	$(PY) benchmarks/bench_cnn.py
	$(PY) benchmarks/train_mnist_torch.py --model lenet

clean:
	rm -rf $(VENV) .pytest_cache
