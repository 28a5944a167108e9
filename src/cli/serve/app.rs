//! The HTTP interface of `embargo serve`: its routes, what each reads and answers, and the
//! limits around them (`docs/serve.md`).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use rayon::prelude::*;
use serde_json::value::RawValue;

use super::auth::{Caller, Role};
use super::log::Decision;
use super::state::{Loaded, Served};
use embargo::internals::report::diagnostics::to_json;
use embargo::internals::report::explain::json_stamped;
use embargo::internals::report::verdicts::{json_line, with_provenance};
use embargo::internals::source::SourceFile;

/// The media types read as JSON Lines (one record a line); any other body is read as JSON
const JSON_LINES: &[&str] = &[
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
    "application/jsonlines",
    "application/x-jsonlines",
];

/// The routes. The three that judge or check are held to the limits of concurrency and time
/// ([`guard`]); the others answer whatever the load.
pub fn router(served: Arc<Served>) -> Router {
    let work = Router::new()
        .route("/v1/screen", post(screen))
        .route("/v1/explain", post(explain))
        .route("/v1/check", post(check))
        .route_layer(middleware::from_fn_with_state(served.clone(), guard))
        .route_layer(middleware::from_fn_with_state(served.clone(), clients));
    let admin = Router::new()
        .route("/admin/reload", post(reload))
        .route_layer(middleware::from_fn_with_state(served.clone(), admins));
    Router::new()
        .merge(work)
        .merge(admin)
        .route("/v1/version", get(version))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
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
fn json(status: StatusCode, body: String) -> Response {
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
struct Failure {
    status: StatusCode,
    body: String,
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
    error: String,
    /// Where the body stops being JSON (1-based)
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    /// The first byte that is not UTF-8
    #[serde(skip_serializing_if = "Option::is_none")]
    byte: Option<usize>,
    /// The limit exceeded (`limits.body_bytes` or `limits.records`)
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<usize>,
    /// The records the body holds, when there are too many
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<usize>,
    /// The id of an invalid record (`/v1/explain`)
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    /// Every problem of an invalid record (`/v1/explain`)
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<String>>,
}

impl ErrorBody {
    fn new(message: &str) -> ErrorBody {
        ErrorBody {
            error: message.to_string(),
            ..ErrorBody::default()
        }
    }
}

/// A [`Failure`] with `body`
fn error(status: StatusCode, body: ErrorBody) -> Failure {
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
fn request_id(headers: &HeaderMap) -> String {
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
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, Failure> {
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
fn utf8(bytes: &Bytes) -> Result<&str, Failure> {
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
fn malformed(e: &serde_json::Error) -> Failure {
    error(
        StatusCode::BAD_REQUEST,
        ErrorBody {
            line: Some(e.line()),
            column: Some(e.column()),
            ..ErrorBody::new(&format!("the body is not JSON: {e}"))
        },
    )
}

/// Whether the body is JSON Lines by its `Content-Type`
fn is_json_lines(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| JSON_LINES.contains(&t.trim().to_ascii_lowercase().as_str()))
}

/// A verdict as the record contract writes it, with the provenance; counted in the metrics
fn verdict_line(served: &Served, loaded: &Loaded, verdict: &embargo::Verdict) -> String {
    served.metrics.verdict(verdict);
    let mut line = json_line(verdict);
    with_provenance(&mut line, &loaded.provenance);
    line
}

/// `POST /v1/screen`: one record (a JSON object) gives one verdict; an array of records an
/// array of verdicts; JSON Lines (by `Content-Type`) JSON Lines, streamed
#[utoipa::path(
    post,
    path = "/v1/screen",
    tag = "screening",
    security((), ("key" = [])),
    params(("x-request-id" = Option<String>, Header, description = "the caller's id of the request (1 to 128 letters, digits, `-`, `_`, `.`, `:`); else a UUIDv7 is made")),
    request_body(
        description = "one record (a JSON object of the record contract, docs/records.md), an array of records, or JSON Lines",
        content(
            (serde_json::Value = "application/json"),
            (String = "application/x-ndjson"),
        ),
    ),
    responses(
        (status = 200, description = "the verdicts of `embargo screen --provenance`: one object for one record, an array for an array, JSON Lines (streamed) for JSON Lines; an invalid record is a verdict `invalid` with its errors",
            headers(("embargo-request-id" = String), ("embargo-decision-id" = String, description = "for one record")),
            content((serde_json::Value = "application/json"), (String = "application/x-ndjson"))),
        (status = 400, description = "the body is not JSON, not UTF-8, or not records", body = ErrorBody),
        (status = 401, description = "keys are set and none, or an unknown one, was given", body = ErrorBody),
        (status = 413, description = "more bytes or records than the limits", body = ErrorBody),
        (status = 503, description = "too many requests at once, past the deadline, or the decision log cannot be written", body = ErrorBody,
            headers(("retry-after" = String))),
    ),
)]
async fn screen(
    State(served): State<Arc<Served>>,
    caller: Option<Extension<Caller>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let id = request_id(&headers);
    let client = caller.map(|Extension(Caller(name))| name);
    let mut response = screen_body(served, &headers, body, &id, client)
        .await
        .unwrap_or_else(IntoResponse::into_response);
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("embargo-request-id", value);
    }
    response
}

async fn screen_body(
    served: Arc<Served>,
    headers: &HeaderMap,
    body: Body,
    id: &str,
    client: Option<String>,
) -> Result<Response, Failure> {
    let limits = served.limits;
    let bytes = read_body(body, headers, limits.body_bytes).await?;
    // One program answers the whole request, whatever reload comes meanwhile
    let loaded = served.current.load_full();
    if is_json_lines(headers) {
        return screen_lines(served, loaded, bytes, id, client);
    }
    let text = utf8(&bytes)?;
    let (one, records): (bool, Vec<&RawValue>) = match text.trim_start().as_bytes().first() {
        Some(b'{') => (
            true,
            vec![serde_json::from_str(text).map_err(|e| malformed(&e))?],
        ),
        Some(b'[') => (
            false,
            serde_json::from_str(text).map_err(|e| malformed(&e))?,
        ),
        _ => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                ErrorBody::new(
                    "expected a record (a JSON object), an array of records, or JSON Lines with \
Content-Type: application/x-ndjson",
                ),
            ));
        }
    };
    if records.len() > limits.records {
        return Err(too_many(records.len(), limits.records));
    }
    let places = places(text, &records);
    let owned: Vec<(String, usize, usize)> = records
        .iter()
        .zip(places)
        .map(|(r, (line, column))| (r.get().to_string(), line, column))
        .collect();
    let request = id.to_string();
    let waits = served
        .log
        .as_ref()
        .is_some_and(super::log::DecisionLog::waits);
    let judge = move || {
        let (served, loaded, request) = (&*served, &*loaded, request.as_str());
        let judged: Vec<(String, Decision<'_>)> = if owned.len() == 1 {
            owned
                .iter()
                .enumerate()
                .map(|(n, r)| judged(served, loaded, request, one, n, r))
                .collect()
        } else {
            owned
                .par_iter()
                .enumerate()
                .map(|(n, r)| judged(served, loaded, request, one, n, r))
                .collect()
        };
        let (lines, decisions): (Vec<String>, Vec<Decision<'_>>) = judged.into_iter().unzip();
        log(&served, &loaded, &request, client.as_deref(), &decisions).map(|()| lines)
    };
    // A small record is judged where it was read (a few microseconds: less than the hand-over
    // to another thread would cost), unless its decision must wait for the disk; anything
    // larger on the blocking pool, then rayon's
    let lines = if one && text.len() <= INLINE_BYTES && !waits {
        judge()?
    } else {
        tokio::task::spawn_blocking(judge).await.map_err(|e| {
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorBody::new(&format!("the screening failed: {e}")),
            )
        })??
    };
    if one {
        let mut response = json(StatusCode::OK, lines.concat());
        if let Ok(value) = HeaderValue::from_str(id) {
            response.headers_mut().insert("embargo-decision-id", value);
        }
        Ok(response)
    } else {
        Ok(json(StatusCode::OK, format!("[{}]", lines.join(","))))
    }
}

/// The `n`th record of a request judged (its text, line and column in the body): its verdict's
/// line and its decision
fn judged<'r>(
    served: &Served,
    loaded: &Loaded,
    request: &str,
    one: bool,
    n: usize,
    (text, line, column): &'r (String, usize, usize),
) -> (String, Decision<'r>) {
    let verdict = loaded.engine.screen_json_at(text, *line, *column);
    let decision = Decision::of(decision_id(request, one, n), &verdict, Some(text));
    (verdict_line(served, loaded, &verdict), decision)
}

/// The largest single record judged on the runtime's own thread: a record of a few parties and
/// goods takes microseconds to judge, far less than the hand-over to another thread
const INLINE_BYTES: usize = 8 << 10;

/// The id of the `n`th decision (from 0) of request `request`: the request's own for a single
/// record, `REQUEST/n` (from 1) in a batch
fn decision_id(request: &str, one: bool, n: usize) -> String {
    if one {
        request.to_string()
    } else {
        format!("{request}/{}", n + 1)
    }
}

/// Writes the decisions to the decision log, if one is kept: 503 when it cannot be written (a
/// decision that cannot be traced is not given)
fn log(
    served: &Served,
    loaded: &Loaded,
    request: &str,
    client: Option<&str>,
    decisions: &[Decision<'_>],
) -> Result<(), Failure> {
    let Some(log) = &served.log else {
        return Ok(());
    };
    let request = super::log::Request {
        id: request,
        endpoint: "/v1/screen",
        client,
        provenance: &loaded.provenance,
    };
    log.append(&request, decisions)
        .map_err(|why| log_failure(&why))
}

/// 503: the decision log cannot be written
fn log_failure(why: &str) -> Failure {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorBody::new(&format!(
            "the decision log cannot be written, so no decision is given: {why}"
        )),
    )
}

/// 413 for more records than the limit
fn too_many(records: usize, limit: usize) -> Failure {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorBody {
            records: Some(records),
            limit: Some(limit),
            ..ErrorBody::new(&format!(
                "{records} records in one request, more than {limit} (limits.records)"
            ))
        },
    )
}

/// The line and column (1-based, in characters) where each of `records`, slices of `text`
/// in order, begins
fn places(text: &str, records: &[&RawValue]) -> Vec<(usize, usize)> {
    let base = text.as_ptr() as usize;
    let (mut line, mut line_start, mut at) = (1, 0, 0);
    records
        .iter()
        .map(|r| {
            let offset = (r.get().as_ptr() as usize)
                .saturating_sub(base)
                .min(text.len());
            let seen = text.get(at..offset).unwrap_or("");
            for (i, c) in seen.char_indices() {
                if c == '\n' {
                    line += 1;
                    line_start = at + i + 1;
                }
            }
            at = offset.max(at);
            let column = text.get(line_start..at).map_or(0, |s| s.chars().count()) + 1;
            (line, column)
        })
        .collect()
}

/// JSON Lines in, JSON Lines out, streamed as the verdicts are made; a line that is not a
/// record is an `invalid` verdict, as in `embargo screen`
fn screen_lines(
    served: Arc<Served>,
    loaded: Arc<Loaded>,
    bytes: Bytes,
    request: &str,
    client: Option<String>,
) -> Result<Response, Failure> {
    let limit = served.limits.records;
    // Each line with more than blanks is one record (as `embargo screen` reads JSON Lines): its
    // place, for the decision log
    let mut records = Vec::new();
    let mut at = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if !line.trim_ascii().is_empty() {
            records.push(at..at + line.len());
        }
        at += line.len() + 1;
    }
    if records.len() > limit {
        return Err(too_many(records.len(), limit));
    }
    if let Some(why) = served.log.as_ref().and_then(|l| l.broken()) {
        return Err(log_failure(&why));
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let request = request.to_string();
    tokio::task::spawn_blocking(move || {
        let logged = served.log.is_some();
        let mut out = Chunks {
            tx,
            buffer: Vec::with_capacity(CHUNK),
            served: Arc::clone(&served),
            loaded: Arc::clone(&loaded),
            request,
            client,
            decided: 0,
            decisions: Vec::new(),
            records,
            body: bytes.clone(),
        };
        let screened = loaded.engine.screen_stream_with(
            &bytes[..],
            true,
            |verdict, line| {
                served.metrics.verdict(verdict);
                let decision = logged.then(|| Decision::of(String::new(), verdict, None));
                (line, decision)
            },
            |(line, decision)| out.take(&line, decision),
        );
        match screened.and_then(|_| out.send()) {
            Ok(()) => {}
            // The client left, or the input could not be read: end the body with the error
            Err(e) => {
                let _ = out.tx.blocking_send(Err(e));
            }
        }
    });
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-ndjson"),
        )],
        Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)),
    )
        .into_response())
}

/// The size of the pieces a streamed answer is sent in
const CHUNK: usize = 64 << 10;

/// Where the verdicts of a JSON Lines answer go, in input order: gathered into pieces of
/// [`CHUNK`] bytes, each piece's decisions logged before it is sent
struct Chunks {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
    served: Arc<Served>,
    loaded: Arc<Loaded>,
    request: String,
    /// The caller's name, when keys are set
    client: Option<String>,
    /// Verdicts logged so far
    decided: usize,
    /// The decisions of the verdicts in `buffer`, not yet logged (none without a log)
    decisions: Vec<Decision<'static>>,
    /// Where each record is in `body`
    records: Vec<std::ops::Range<usize>>,
    body: Bytes,
}

impl Chunks {
    /// One verdict's line, and its decision when there is a log
    fn take(&mut self, line: &str, decision: Option<Decision<'static>>) -> std::io::Result<()> {
        self.buffer.extend_from_slice(line.as_bytes());
        self.decisions.extend(decision);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(())
    }

    /// Logs and sends what is buffered
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let (decided, body) = (self.decided, &self.body);
        let records = &self.records;
        let decisions: Vec<Decision<'_>> = self
            .decisions
            .drain(..)
            .enumerate()
            .map(|(i, d)| Decision {
                decision_id: decision_id(&self.request, false, decided + i),
                record: records
                    .get(decided + i)
                    .and_then(|r| body.get(r.clone()))
                    .and_then(|r| std::str::from_utf8(r).ok()),
                ..d
            })
            .collect();
        self.decided += decisions.len();
        log(
            &self.served,
            &self.loaded,
            &self.request,
            self.client.as_deref(),
            &decisions,
        )
        .map_err(|f| std::io::Error::other(f.body))?;
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

/// `POST /v1/explain`: every rule considered for one record, as `embargo explain --format
/// json --provenance`; 422 with its errors when the record is invalid
#[utoipa::path(
    post,
    path = "/v1/explain",
    tag = "screening",
    security((), ("key" = [])),
    request_body(description = "one record", content((serde_json::Value = "application/json"))),
    responses(
        (status = 200, description = "every rule considered and what held, as `embargo explain --format json --provenance`", body = serde_json::Value),
        (status = 400, body = ErrorBody),
        (status = 422, description = "the record is invalid: its id and errors", body = ErrorBody),
        (status = 503, body = ErrorBody),
    ),
)]
async fn explain(State(served): State<Arc<Served>>, headers: HeaderMap, body: Body) -> Response {
    let result = async {
        let bytes = read_body(body, &headers, served.limits.body_bytes).await?;
        let text = utf8(&bytes)?;
        if !text.trim_start().starts_with('{') {
            return Err(error(
                StatusCode::BAD_REQUEST,
                ErrorBody::new("expected one record (a JSON object)"),
            ));
        }
        let record: &RawValue = serde_json::from_str(text).map_err(|e| malformed(&e))?;
        let loaded = served.current.load_full();
        match loaded.engine.explain_json(record.get()) {
            Ok(explanation) => {
                let provenance = loaded.engine.provenance();
                Ok(json(
                    StatusCode::OK,
                    json_stamped(&explanation, Some(&provenance)),
                ))
            }
            Err(bad) => Err(error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    id: bad.id,
                    errors: Some(bad.errors),
                    ..ErrorBody::new("the record is invalid")
                },
            )),
        }
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The query of `POST /v1/check`
#[derive(serde::Deserialize)]
struct CheckQuery {
    /// The name diagnostics give the file
    name: Option<String>,
}

/// `POST /v1/check`: the rule text of the body checked as one file; its diagnostics as
/// `embargo check --format json` writes them (an empty array when there are none)
#[utoipa::path(
    post,
    path = "/v1/check",
    tag = "rules",
    security((), ("key" = [])),
    params(("name" = Option<String>, Query, description = "the file name diagnostics give (default request.rules)")),
    request_body(description = "the text of one rule file", content((String = "text/plain"))),
    responses(
        (status = 200, description = "its diagnostics as `embargo check --format json` writes them", body = serde_json::Value),
        (status = 400, body = ErrorBody),
    ),
)]
async fn check(
    State(served): State<Arc<Served>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let bytes = read_body(body, &headers, served.limits.body_bytes).await?;
        let text = utf8(&bytes)?.to_string();
        let name = query.name.unwrap_or_else(|| "request.rules".to_string());
        let files = vec![SourceFile::new(name, text)];
        let diagnostics = embargo::Pack::check(&files);
        let all: Vec<_> = diagnostics
            .sorted()
            .iter()
            .map(|d| to_json(d, &files))
            .collect();
        Ok::<_, Failure>(json(
            StatusCode::OK,
            serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into()),
        ))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /v1/version`: the engine, the pack's SHA-256, each list's version, and when they were
/// loaded
#[utoipa::path(get, path = "/v1/version", tag = "operations",
    responses((status = 200, body = VersionBody)))]
async fn version(State(served): State<Arc<Served>>) -> Response {
    let loaded = served.current.load();
    let provenance = loaded.engine.provenance();
    let body = VersionBody {
        engine: provenance.engine,
        pack: provenance.pack,
        lists: provenance
            .lists
            .into_iter()
            .map(|l| ListBody {
                name: l.name,
                generated: l.generated,
                sha256: l.sha256,
            })
            .collect(),
        loaded_at: loaded.loaded_at.clone(),
        decisions: DecisionsBody::of(&loaded),
    };
    json(
        StatusCode::OK,
        serde_json::to_string(&body).unwrap_or_default(),
    )
}

/// What decides: the engine, the rule pack and the lists, and when they were loaded
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct VersionBody {
    /// The engine's version
    engine: String,
    /// `sha256:` and the SHA-256 of the rule pack
    pack: String,
    /// Each list served
    lists: Vec<ListBody>,
    /// When the rules and lists were loaded (RFC 3339, UTC)
    loaded_at: String,
    /// The analyst's decisions applied to what screening finds
    decisions: DecisionsBody,
}

/// The analyst's decisions served (`min_scores` and `suppressions` of the config file)
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DecisionsBody {
    /// Each minimum score, `[LIST=]SCORE` as `screen --min-score` takes it
    min_scores: Vec<String>,
    /// The suppression file, if one is applied
    suppressions: Option<super::state::SuppressionFile>,
}

impl DecisionsBody {
    fn of(loaded: &Loaded) -> DecisionsBody {
        let min = &loaded.engine.decisions().min_scores;
        DecisionsBody {
            min_scores: min
                .all
                .iter()
                .map(f64::to_string)
                .chain(
                    min.lists
                        .iter()
                        .map(|(list, score)| format!("{list}={score}")),
                )
                .collect(),
            suppressions: loaded.suppressions.clone(),
        }
    }
}

/// A list served
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ListBody {
    /// Its file name
    name: String,
    /// When its publisher generated it
    generated: Option<String>,
    /// The SHA-256 of the file read
    sha256: String,
}

/// The OpenAPI description of the endpoints, made from their definitions here
/// (`GET /openapi.json`, `docs/openapi.json`)
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "embargo serve",
        description = "UN Security Council sanctions screening over HTTP: the verdicts of `embargo screen` for records sent one at a time or in batches (docs/serve.md; the record and verdict contract: docs/records.md)."
    ),
    paths(screen, explain, check, version, healthz, readyz, metrics, reload),
    components(schemas(ErrorBody, VersionBody, ListBody, DecisionsBody, super::state::SuppressionFile, super::state::Reload)),
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

/// `GET /healthz`: the process answers
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "`{\"status\":\"alive\"}`", body = serde_json::Value)))]
async fn healthz() -> Response {
    json(StatusCode::OK, r#"{"status":"alive"}"#.to_string())
}

/// `GET /readyz`: 200 while the lists served are fresh enough (`max_list_age_days`), else 503;
/// says when they were loaded and how the last reload went (a failed reload leaves the old
/// rules and lists serving: still ready, and said)
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "ready", body = serde_json::Value),
        (status = 503, description = "a list is older than max_list_age_days, or the decision log cannot be written", body = serde_json::Value),
    ))]
async fn readyz(State(served): State<Arc<Served>>) -> Response {
    let loaded = served.current.load();
    let old = served
        .settings
        .max_list_age_days
        .map(|days| stale_lists(&loaded, days, &super::state::now()))
        .unwrap_or_default();
    let log = served.log.as_ref().and_then(|l| l.broken());
    let status = match (&log, old.is_empty()) {
        (Some(_), _) => "failing",
        (None, true) => "ready",
        (None, false) => "stale",
    };
    let mut body = serde_json::json!({ "status": status, "loaded_at": loaded.loaded_at });
    if let Some(map) = body.as_object_mut() {
        if let Some(last) = served.last_reload() {
            map.insert(
                "last_reload".into(),
                serde_json::to_value(last).unwrap_or_default(),
            );
        }
        if !old.is_empty() {
            map.insert("stale_lists".into(), old.into());
        }
        if let Some(why) = log {
            map.insert("decision_log".into(), why.into());
        }
    }
    let code = if status == "ready" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(code, body.to_string())
}

/// The lists served that were generated more than `days` days before `now` (RFC 3339)
fn stale_lists(loaded: &Loaded, days: u32, now: &str) -> Vec<String> {
    let Some(today) = now
        .get(..10)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
    else {
        return Vec::new();
    };
    loaded
        .engine
        .lists()
        .versions()
        .iter()
        .filter(|l| {
            l.generated
                .as_deref()
                .and_then(|g| g.get(..10))
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .is_some_and(|day| (today - day).num_days() > i64::from(days))
        })
        .map(|l| l.name.clone())
        .collect()
}

/// `GET /metrics`: the Prometheus (OpenMetrics) text
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus metrics", content((String = "application/openmetrics-text")))))]
async fn metrics(State(served): State<Arc<Served>>) -> Response {
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        served.metrics.render(),
    )
        .into_response()
}

/// `POST /admin/reload`: the rules and lists loaded again; 200 when the new ones are served,
/// 500 (the old ones still serving) when they could not be loaded, with why
#[utoipa::path(post, path = "/admin/reload", tag = "operations",
    security((), ("key" = [])),
    responses(
        (status = 200, description = "the new rules and lists serve", body = super::state::Reload),
        (status = 401, body = ErrorBody),
        (status = 403, description = "a client's key: an admin's is needed", body = ErrorBody),
        (status = 500, description = "they could not be loaded; the old ones still serve", body = super::state::Reload),
    ))]
async fn reload(State(served): State<Arc<Served>>) -> Response {
    let outcome = served.reload("POST /admin/reload").await;
    let code = if outcome.ok {
        StatusCode::OK
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    json(
        code,
        serde_json::to_string(&outcome).unwrap_or_else(|_| "{}".into()),
    )
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_lines_and_columns_in_characters() {
        let text = "[{\"a\": 1},\n  {\"b\": \"é\"}, {\"c\": 3},\n\n{}]";
        let records: Vec<&RawValue> = serde_json::from_str(text).unwrap();
        assert_eq!(places(text, &records), [(1, 2), (2, 3), (2, 15), (4, 1)]);
    }

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

    #[test]
    fn json_lines_by_media_type() {
        let mut headers = HeaderMap::new();
        assert!(!is_json_lines(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/X-NDJSON; charset=utf-8"),
        );
        assert!(is_json_lines(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(!is_json_lines(&headers));
    }
}
