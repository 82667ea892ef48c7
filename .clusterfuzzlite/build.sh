#!/bin/bash -eu
# Builds the cargo-fuzz targets for ClusterFuzzLite / OSS-Fuzz and puts each one in $OUT
# with its seed corpus (TARGET_seed_corpus.zip) and the dictionary (TARGET.dict).
#
# The builder image sets SRC, OUT and SANITIZER. To check the script without Docker:
#   SRC=/tmp/cfl/src OUT=/tmp/cfl/out SANITIZER=address FUZZING_ENGINE=libfuzzer \
#     ARCHITECTURE=x86_64 bash .clusterfuzzlite/build.sh
# with the repository at $SRC/jwt-conformance.

cd "$SRC/jwt-conformance"

# cargo-fuzz's sanitizers need unstable rustc flags: the builder image has a nightly
# toolchain, and this lets a stable one accept them too.
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"

# Rust has no UndefinedBehaviorSanitizer; coverage builds get their flags from the image.
case "${SANITIZER:-address}" in
    address | memory) sanitizer="$SANITIZER" ;;
    *) sanitizer=none ;;
esac

cargo fuzz build -O --sanitizer "$sanitizer"

release="fuzz/target/x86_64-unknown-linux-gnu/release"
# bare_decode is a cost baseline, not a test: it is not shipped.
for target in verify_bytes verify_structured differential harness_inputs; do
    cp "$release/$target" "$OUT/"
    cp fuzz/jwt.dict "$OUT/$target.dict"
    case "$target" in
        harness_inputs) inputs=(fuzz/corpus-seed/harness_inputs/*) ;;
        *) inputs=(fuzz/corpus-seed/tokens/*) ;;
    esac
    if [ -d "fuzz/regressions/$target" ]; then
        inputs+=("fuzz/regressions/$target"/*)
    fi
    rm -f "$OUT/${target}_seed_corpus.zip"
    zip -q -j "$OUT/${target}_seed_corpus.zip" "${inputs[@]}"
done
