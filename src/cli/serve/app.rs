//! The HTTP interface of `embargo serve`: its routes, the middlewares around them (keys,
//! limits, metrics), the answers every endpoint shares (errors, bodies read within the limits)
//! and the OpenAPI description (`docs/serve.md`). The endpoints that judge and check are in
//! `screen`, those that say how the server is in `ops`.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::auth::Role;
use super::ops;
use super::screen;
use super::state::Served;

/// The routes. The three that judge or check are held to the limits of concurrency and time
/// ([`guard`]); the others answer whatever the load.
pub fn router(served: Arc<Served>) -> Router {
    let work = Router::new()
        .route("/v1/screen", post(screen::screen))
        .route("/v1/explain", post(screen::explain))
        .route("/v1/check", post(screen::check))
        .route_layer(middleware::from_fn_with_state(served.clone(), guard))
        .route_layer(middleware::from_fn_with_state(served.clone(), clients));
    let admin = Router::new()
        .route("/admin/reload", post(ops::reload))
        .route_layer(middleware::from_fn_with_state(served.clone(), admins));
    Router::new()
        .merge(work)
        .merge(admin)
        .route("/v1/version", get(ops::version))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(served.clone(), observe))
        .with_state(served)
}

/// Lets through callers with a client's or an admin's key (anyone when no key is set)
async fn clients(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    authenticated(&served, Role::Client, request, next).await
}

/// Lets through callers with an admin's key (anyone when no key is set)
async fn admins(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    authenticated(&served, Role::Admin, request, next).await
}

/// Runs the request if its key allows `role`, the caller named in its extensions; else 401
/// (with `WWW-Authenticate`) or 403
async fn authenticated(served: &Served, role: Role, mut request: Request, next: Next) -> Response {
    match served.settings.auth.check(request.headers(), role) {
        Ok(caller) => {
            if let Some(caller) = caller {
                request.extensions_mut().insert(caller);
            }
            next.run(request).await
        }
        Err(403) => error(
            StatusCode::FORBIDDEN,
            ErrorBody::new("this key may not call /admin/: an admin's key is needed"),
        )
        .into_response(),
        Err(_) => {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                ErrorBody::new("a key is needed: Authorization: Bearer KEY (or X-Api-Key: KEY)"),
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

/// The endpoints, as metrics name them (any other path is `other`)
const ENDPOINTS: &[&str] = &[
    "/v1/screen",
    "/v1/explain",
    "/v1/check",
    "/v1/version",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/admin/reload",
];

/// Counts each request by endpoint and status, and times it
async fn observe(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let endpoint = ENDPOINTS
        .iter()
        .find(|e| **e == path)
        .copied()
        .unwrap_or("other");
    let start = std::time::Instant::now();
    let response = next.run(request).await;
    served.metrics.request(
        endpoint,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// Runs a request if a slot is free (503 with `Retry-After` at once if not: no queue) and
/// within the deadline (503 with `Retry-After` when it runs out; work already handed to the
/// worker threads finishes, its answer dropped)
async fn guard(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    let Ok(_slot) = served.slots.clone().try_acquire_owned() else {
        return refused("too many requests at once (limits.concurrency): try again shortly");
    };
    match tokio::time::timeout(served.limits.deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refused("the request took longer than the deadline (limits.deadline_ms)"),
    }
}

/// 503 with `Retry-After`
fn refused(message: &str) -> Response {
    let mut response =
        error(StatusCode::SERVICE_UNAVAILABLE, ErrorBody::new(message)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// A JSON answer
pub(super) fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// An error answer: its status, and `{"error": message}` with the fields that place it
pub(super) struct Failure {
    pub(super) status: StatusCode,
    pub(super) body: String,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        json(self.status, self.body)
    }
}

/// The body of every error answer: what and why, and the fields that place it
#[derive(Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, and what to do
    pub(super) error: String,
    /// Where the body stops being JSON (1-based)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) column: Option<usize>,
    /// The first byte that is not UTF-8
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) byte: Option<usize>,
    /// The limit exceeded (`limits.body_bytes` or `limits.records`)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) limit: Option<usize>,
    /// The records the body holds, when there are too many
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) records: Option<usize>,
    /// The id of an invalid record (`/v1/explain`)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) id: Option<String>,
    /// Every problem of an invalid record (`/v1/explain`)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) errors: Option<Vec<String>>,
}

impl ErrorBody {
    pub(super) fn new(message: &str) -> ErrorBody {
        ErrorBody {
            error: message.to_string(),
            ..ErrorBody::default()
        }
    }
}

/// A [`Failure`] with `body`
pub(super) fn error(status: StatusCode, body: ErrorBody) -> Failure {
    Failure {
        status,
        body: serde_json::to_string(&body).unwrap_or_default(),
    }
}

async fn not_found(method: Method, uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        ErrorBody::new(&format!(
            "no endpoint {method} {}: the endpoints are POST /v1/screen, POST /v1/explain, \
POST /v1/check, GET /v1/version, GET /healthz, GET /readyz, GET /metrics, GET /openapi.json, POST /admin/reload",
            uri.path()
        )),
    )
    .into_response()
}

/// The request's id: the caller's `X-Request-Id` when it is a plain token, else a new UUIDv7
pub(super) fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_string)
}

/// Reads the whole body, at most `limit` bytes: 413 above it
pub(super) async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
) -> Result<Bytes, Failure> {
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorBody {
                limit: Some(limit),
                ..ErrorBody::new(&format!(
                    "the body is larger than {limit} bytes (limits.body_bytes)"
                ))
            },
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let over = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
            || e.to_string().contains("length limit exceeded");
        if over {
            too_large()
        } else {
            error(
                StatusCode::BAD_REQUEST,
                ErrorBody::new(&format!("cannot read the body: {e}")),
            )
        }
    })
}

/// The body as UTF-8: 400 naming the first byte that is not
pub(super) fn utf8(bytes: &Bytes) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            ErrorBody {
                byte: Some(e.valid_up_to()),
                ..ErrorBody::new(&format!(
                    "the body is not UTF-8 from byte {}",
                    e.valid_up_to()
                ))
            },
        )
    })
}

/// 400 for a body that is not JSON, with where it stops being JSON
pub(super) fn malformed(e: &serde_json::Error) -> Failure {
    error(
        StatusCode::BAD_REQUEST,
        ErrorBody {
            line: Some(e.line()),
            column: Some(e.column()),
            ..ErrorBody::new(&format!("the body is not JSON: {e}"))
        },
    )
}

/// The OpenAPI description of the endpoints, made from their definitions here
/// (`GET /openapi.json`, `docs/openapi.json`)
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "embargo serve",
        description = "UN Security Council sanctions screening over HTTP: the verdicts of `embargo screen` for records sent one at a time or in batches (docs/serve.md; the record and verdict contract: docs/records.md)."
    ),
    paths(
        screen::screen,
        screen::explain,
        screen::check,
        ops::version,
        ops::healthz,
        ops::readyz,
        ops::metrics,
        ops::reload
    ),
    components(schemas(
        ErrorBody,
        ops::VersionBody,
        ops::ListBody,
        ops::DecisionsBody,
        super::state::SuppressionFile,
        super::state::Reload
    )),
    modifiers(&KeyScheme),
)]
pub struct Api;

/// The `key` security scheme: `Authorization: Bearer KEY`, when keys are set
struct KeyScheme;

impl utoipa::Modify for KeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "key",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// `GET /openapi.json`: the OpenAPI description of the endpoints
async fn openapi() -> Response {
    json(StatusCode::OK, openapi_json())
}

/// The OpenAPI description as JSON, its version the engine's
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    let mut api = Api::openapi();
    api.info.version = embargo::internals::provenance::ENGINE.to_string();
    api.to_pretty_json().unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_request_id_is_kept_and_any_other_replaced() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("pay-42.a:b_c"));
        assert_eq!(request_id(&headers), "pay-42.a:b_c");
        headers.insert("x-request-id", HeaderValue::from_static("two words"));
        let made = request_id(&headers);
        assert_eq!(made.len(), 36, "{made}");
        assert!(uuid::Uuid::parse_str(&made).is_ok());
        assert_ne!(made, request_id(&headers));
    }
}
