//! The built widget (`--dist`), served at `/`, and nothing else of the disk.
//!
//! Each request path is read segment by segment before the file system is
//! asked anything: a segment that is empty (`//x`), a dot file or dot
//! directory (`.env`, `..`), longer than a file name may be, or holding a
//! slash, backslash or NUL is no file of the widget's, and gets the envelope's
//! 404. What is left is resolved and canonicalized, and must still lie inside
//! the canonical `--dist`: a symbolic link out of it (planted, or left by a
//! build) is not followed out. A directory redirects to itself with a slash,
//! by path only (never `//host`), and is served as its `index.html`. The file
//! itself goes out through tower-http's `ServeFile` (content types, caching
//! validators, ranges); any failure on the way is logged and answered with
//! the envelope.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::error::ApiError;

/// The longest file name a segment may be (Linux's NAME_MAX).
const MAX_SEGMENT_BYTES: usize = 255;

/// A built widget's directory, canonical.
#[derive(Debug, Clone)]
pub(super) struct Dist {
    root: PathBuf,
}

impl Dist {
    /// `dir`, which must exist (checked at start-up).
    pub fn new(dir: &Path) -> std::io::Result<Dist> {
        Ok(Dist { root: dir.canonicalize()? })
    }

    /// Answers `request` from the directory, or with the envelope.
    pub async fn serve(self, request: Request<Body>) -> Response {
        let path = request.uri().path().to_owned();
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return ApiError::MethodNotAllowed { method: request.method().to_string(), path }
                .into_response();
        }
        let not_found = || ApiError::NoSuchRoute(path.chars().take(200).collect()).into_response();
        let Some(segments) = segments(&path) else { return not_found() };
        let Some(found) = self.resolve(&segments).await else { return not_found() };
        let file = match found {
            Found::File(file) => file,
            Found::Directory(dir) if path.ends_with('/') => dir.join("index.html"),
            Found::Directory(_) => return redirect_to_directory(&segments, request.uri().query()),
        };
        // The index of a directory must be a file of the widget's too.
        let Some(Found::File(file)) = self.inside(file).await else { return not_found() };
        let response = match ServeFile::new(&file).oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        if response.status().is_server_error() {
            tracing::error!(file = %file.display(), status = %response.status(), "a widget file could not be served");
            return ApiError::Internal.into_response();
        }
        response.map(Body::new)
    }

    /// The file or directory `segments` name inside the root, if it is there
    /// and stays inside once links are followed.
    async fn resolve(&self, segments: &[String]) -> Option<Found> {
        let mut path = self.root.clone();
        path.extend(segments);
        self.inside(path).await
    }

    async fn inside(&self, path: PathBuf) -> Option<Found> {
        let real = tokio::fs::canonicalize(&path).await.ok()?;
        if !real.starts_with(&self.root) {
            tracing::warn!(path = %path.display(), "refused a path that leads out of --dist");
            return None;
        }
        let metadata = tokio::fs::metadata(&real).await.ok()?;
        if metadata.is_dir() {
            Some(Found::Directory(real))
        } else if metadata.is_file() {
            Some(Found::File(real))
        } else {
            None
        }
    }
}

enum Found {
    File(PathBuf),
    Directory(PathBuf),
}

/// The decoded segments of `path`, or `None` for a path no widget file has.
fn segments(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix('/')?;
    let mut segments = Vec::new();
    let parts: Vec<&str> = rest.split('/').collect();
    for (index, raw) in parts.iter().enumerate() {
        // The last segment may be empty: `/` and `/snippets/` name directories.
        if raw.is_empty() && index + 1 == parts.len() {
            break;
        }
        let segment = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
        let plain = !segment.is_empty()
            && segment.len() <= MAX_SEGMENT_BYTES
            && !segment.starts_with('.')
            && !segment.contains(['/', '\\', '\0'])
            && matches!(
                Path::new(segment.as_ref()).components().next(),
                Some(Component::Normal(_))
            );
        if !plain {
            return None;
        }
        segments.push(segment.into_owned());
    }
    Some(segments)
}

/// 308 to the directory's path with a slash: a path, never `//host/...`.
fn redirect_to_directory(segments: &[String], query: Option<&str>) -> Response {
    let mut location = String::new();
    for segment in segments {
        location.push('/');
        location.extend(percent_encoding::utf8_percent_encode(segment, SEGMENT));
    }
    location.push('/');
    if let Some(query) = query {
        location.push('?');
        location.push_str(query);
    }
    match HeaderValue::from_str(&location) {
        Ok(location) => {
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
        }
        Err(_) => ApiError::Internal.into_response(),
    }
}

/// What a path segment keeps encoded when it is written back.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'?')
    .add(b'<')
    .add(b'>')
    .add(b'\\');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_segments_name_widget_files() {
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(segments("/index.html"), Some(vec!["index.html".to_owned()]));
        assert_eq!(segments("/snippets/"), Some(vec!["snippets".to_owned()]));
        assert_eq!(segments("/a%20b.js"), Some(vec!["a b.js".to_owned()]));
        for refused in [
            "//snippets",
            "/.env",
            "/snippets/.hidden",
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a%2fb",
            "/a%5cb",
            "/a%00b",
            "/%ff",
            "relative",
        ] {
            assert_eq!(segments(refused), None, "{refused}");
        }
        assert!(segments(&format!("/{}", "a".repeat(255))).is_some());
        assert_eq!(segments(&format!("/{}", "a".repeat(256))), None);
    }
}
