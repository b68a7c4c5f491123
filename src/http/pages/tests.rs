//! The staff files: served with their content types, and every one a page or module asks for is
//! in the table (a module that fails to load leaves its page dead without a word).

use super::*;
use axum::http::StatusCode;

const PAGES: &[(&str, &str)] = &[
    ("call.html", include_str!("call.html")),
    ("desk.html", include_str!("desk.html")),
    ("review.html", include_str!("review.html")),
    ("designer.html", include_str!("designer.html")),
    ("dashboard.html", include_str!("dashboard.html")),
];

async fn fetch(file: &str) -> (StatusCode, String) {
    let response = staff_file(Path(file.to_string())).await;
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    (response.status(), content_type)
}

#[tokio::test]
async fn staff_files_are_served_as_javascript_or_css_and_others_are_not_found() {
    assert_eq!(
        fetch("staff.js").await,
        (StatusCode::OK, "text/javascript; charset=utf-8".into())
    );
    assert_eq!(
        fetch("designer/graph.js").await,
        (StatusCode::OK, "text/javascript; charset=utf-8".into())
    );
    assert_eq!(
        fetch("designer/designer.css").await,
        (StatusCode::OK, "text/css; charset=utf-8".into())
    );
    for unknown in [
        "nothing.js",
        "designer/",
        "../mod.rs",
        "designer/../staff.js",
        "",
    ] {
        assert_eq!(fetch(unknown).await.0, StatusCode::NOT_FOUND, "{unknown}");
    }
}

/// Where `text` (a page or a file under `/staff/`, `dir` its folder there) loads a staff file:
/// `/staff/...` addresses, and modules' `from './x.js'` imports.
fn references(text: &str, dir: &str) -> Vec<String> {
    let absolute = regex::Regex::new(r#"["']/staff/([^"']+)["']"#).unwrap();
    let relative = regex::Regex::new(r#"from '\./([^']+)'"#).unwrap();
    absolute
        .captures_iter(text)
        .map(|found| found[1].to_string())
        .chain(
            relative
                .captures_iter(text)
                .map(|found| format!("{dir}{}", &found[1])),
        )
        .collect()
}

#[test]
fn every_staff_file_a_page_or_module_loads_is_served() {
    let served: Vec<&str> = STAFF_FILES.iter().map(|(name, _)| *name).collect();
    let mut loaded = Vec::new();
    for (page, text) in PAGES {
        for file in references(text, "") {
            assert!(
                served.contains(&file.as_str()),
                "{page} loads /staff/{file}"
            );
            loaded.push(file);
        }
    }
    for (name, text) in STAFF_FILES {
        let dir = name
            .rsplit_once('/')
            .map_or(String::new(), |(dir, _)| dir.to_string() + "/");
        for file in references(text, &dir) {
            assert!(
                served.contains(&file.as_str()),
                "{name} imports /staff/{file}"
            );
            loaded.push(file);
        }
    }
    for name in served {
        assert!(
            loaded.iter().any(|file| file == name),
            "nothing loads /staff/{name}"
        );
    }
}
