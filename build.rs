//! Build script: link libsonic statically for the espeak-ng library that `espeak-rs-sys` builds.
//!
//! espeak-ng (built from source by `espeak-rs-sys` for Piper's phonemizer) calls into sonic for
//! speed changes, but its build does not put sonic on the link line; Debian's `libsonic-dev`
//! provides `libsonic.a`. Nothing else happens here: the ONNX Runtime library and the voice
//! models are found at run time, so building needs neither.

use std::path::PathBuf;

/// Debian's multiarch library directory for a Rust target triple such as
/// `x86_64-unknown-linux-gnu` (→ `x86_64-linux-gnu`).
fn multiarch_directory(target: &str) -> Option<PathBuf> {
    let mut parts = target.split('-');
    let architecture = parts.next()?;
    let system = parts.nth(1)?;
    let environment = parts.next()?;
    Some(PathBuf::from(format!(
        "/usr/lib/{architecture}-{system}-{environment}"
    )))
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SONIC_LIB_DIR");
    let target = std::env::var("TARGET").unwrap_or_default();
    let candidates = std::env::var_os("SONIC_LIB_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain(multiarch_directory(&target))
        .chain(["/usr/lib", "/usr/local/lib"].map(PathBuf::from));
    let mut searched = Vec::new();
    for directory in candidates {
        if directory.join("libsonic.a").is_file() {
            println!("cargo:rustc-link-search=native={}", directory.display());
            println!("cargo:rustc-link-lib=static=sonic");
            return;
        }
        searched.push(directory.display().to_string());
    }
    println!(
        "cargo::error=libsonic.a not found in {}: install Debian's libsonic-dev (or set SONIC_LIB_DIR)",
        searched.join(", ")
    );
}
