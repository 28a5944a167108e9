//! The endpoints that judge and check (`docs/serve.md`, "Endpoints"): `POST /v1/screen` (one
//! record, an array, or JSON Lines streamed), `/v1/explain` and `/v1/check`; each verdict
//! counted in the metrics and its decision logged.

use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rayon::prelude::*;
use serde_json::value::RawValue;

use super::app::{ErrorBody, Failure, error, json, malformed, read_body, request_id, utf8};
use super::auth::Caller;
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
pub(super) async fn screen(
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
        log(served, loaded, request, client.as_deref(), &decisions).map(|()| lines)
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
pub(super) async fn explain(
    State(served): State<Arc<Served>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
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
pub(super) struct CheckQuery {
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
pub(super) async fn check(
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
