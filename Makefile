# apostille: the commands a newcomer and CI run. Every target first makes
# sure the system packages the build and tests need are there.

CARGO ?= cargo
BUILD := target/setup
APOSTILLE := target/release/apostille

.PHONY: setup judges demo test test-bare bench lint fuzz corpus clean

setup: $(BUILD)/packages.stamp judges

## judges: the Python SPDX validators and sigstore-python the tests run (venv in target/judges)
judges: $(BUILD)/packages.stamp
	bash scripts/judges.sh

$(BUILD)/packages.stamp: scripts/setup.sh
	bash scripts/setup.sh
	@mkdir -p $(BUILD) && touch $@

## demo: attest the embedded demo release with `apostille release`, then `apostille verify` it
demo: setup
	$(CARGO) build --release --quiet -p apostille-cli
	bash scripts/demo.sh $(APOSTILLE) testdata/demo-release

## test: the whole test suite (unit, integration against real peers, doc tests);
## ends by saying what it skipped for want of third-party material or judges
SKIP_LOG := $(CURDIR)/target/test-skips.log
test: setup
	@mkdir -p target && rm -f $(SKIP_LOG)
	APOSTILLE_SKIP_LOG=$(SKIP_LOG) $(CARGO) test --workspace --all-targets
	APOSTILLE_SKIP_LOG=$(SKIP_LOG) $(CARGO) test --workspace --doc
	@bash scripts/test-summary.sh $(SKIP_LOG)

## test-bare: the suite as a bare clone runs it (no shared vectors, CI unset):
## it must pass and say what it skipped
test-bare: setup
	bash scripts/check-bare.sh

## bench: criterion benches, then the peer comparison (prints medians and ratios),
## then the notices, SBOM, Sigstore-bundle and release targets, and the OCI
## attach + verify round trip against a loopback registry
bench: setup
	$(CARGO) bench -p apostille-benches
	$(CARGO) build --release --quiet -p apostille-cli
	$(CARGO) xtask bench-peers $(BENCH_ARGS)
	$(CARGO) xtask bench-pgp $(BENCH_ARGS)
	$(CARGO) xtask bench-notices
	$(CARGO) xtask bench-sbom $(BENCH_SBOM_ARGS)
	$(CARGO) xtask bench-bundle
	$(CARGO) xtask bench-attest $(BENCH_ARGS)
	$(CARGO) xtask bench-release $(BENCH_ARGS)
	$(CARGO) xtask bench-oci

## lint: formatting, clippy with warnings denied, docs with warnings denied,
## man pages and completions current and working, workflows and action.yml
## valid against GitHub's schemas
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --quiet -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --quiet
	$(CARGO) xtask tidy
	$(CARGO) xtask gen-docs --check
	bash scripts/check-gen-docs.sh
	bash scripts/check-workflows.sh

## fuzz: a short smoke run of every fuzz target (needs nightly + cargo-fuzz; skipped otherwise)
fuzz: setup
	bash scripts/fuzz-smoke.sh

## corpus: opt-in, never in CI: real upstream signatures from ~200 Debian source
## packages checked by apostille, gpg and sqv, with the agreement table; data in
## $APOSTILLE_CORPUS (default ../corpus), downloads kept for re-runs
corpus:
	$(CARGO) build --release --quiet -p apostille-cli
	bash scripts/corpus.sh $(APOSTILLE)

clean:
	$(CARGO) clean
