//! The endpoints that say how the server is (`docs/serve.md`, "Endpoints"): what decides
//! (`/v1/version`), whether it is alive and ready (`/healthz`, `/readyz`), its metrics, and
//! `POST /admin/reload`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::app::{ErrorBody, json};
use super::state::{Loaded, Served};

/// `GET /v1/version`: the engine, the pack's SHA-256, each list's version, and when they were
/// loaded
#[utoipa::path(get, path = "/v1/version", tag = "operations",
    responses((status = 200, body = VersionBody)))]
pub(super) async fn version(State(served): State<Arc<Served>>) -> Response {
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

/// `GET /healthz`: the process answers
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "`{\"status\":\"alive\"}`", body = serde_json::Value)))]
pub(super) async fn healthz() -> Response {
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
pub(super) async fn readyz(State(served): State<Arc<Served>>) -> Response {
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
pub(super) async fn metrics(State(served): State<Arc<Served>>) -> Response {
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
pub(super) async fn reload(State(served): State<Arc<Served>>) -> Response {
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
