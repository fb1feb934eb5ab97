//! Compile-fail tests: every mistake a user can make in a model gives one clear error that
//! points at the offending term. The expected compiler output is in `tests/ui/*.stderr`;
//! regenerate it with `TRYBUILD=overwrite cargo test --test ui` (the toolchain is pinned in
//! `rust-toolchain.toml` so that the snapshots stay stable).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
