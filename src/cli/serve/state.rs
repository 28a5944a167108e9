//! What `serve` answers with, and how it is replaced: the rules and lists loaded (`Loaded`),
//! swapped whole for a new load on a reload, so that each request is answered by one program.

use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};
use arc_swap::ArcSwap;

use super::config::{Limits, Settings};
use super::log::DecisionLog;
use super::metrics::Metrics;
use crate::cli::args::DiagnosticFormat;
use crate::cli::output::say;
use embargo::internals::report::verdicts::provenance_json;
use embargo::{Engine, Pack};

/// The rules and lists of one load
pub struct Loaded {
    pub engine: Engine,
    /// The engine's provenance as one line of JSON, the `provenance` of each verdict
    pub provenance: String,
    /// When they were loaded (RFC 3339, UTC)
    pub loaded_at: String,
}

/// How the last reload went
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Reload {
    /// When it ended (RFC 3339, UTC)
    pub at: String,
    /// What asked for it (`SIGHUP`, `POST /admin/reload`, `a file changed: PATH`)
    pub cause: String,
    /// Whether the new rules and lists are served
    pub ok: bool,
    /// Why not
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything the handlers share
pub struct Served {
    /// The rules and lists answering requests now
    pub current: ArcSwap<Loaded>,
    /// The settings a reload loads again
    pub settings: Settings,
    pub limits: Limits,
    /// One permit for each request that may run at once (`limits.concurrency`)
    pub slots: Arc<tokio::sync::Semaphore>,
    pub metrics: Metrics,
    /// The decision log, if one is kept
    pub log: Option<DecisionLog>,
    /// Held while a reload runs: one at a time
    reloading: tokio::sync::Mutex<()>,
    last_reload: Mutex<Option<Reload>>,
}

impl Served {
    /// The first load, before the server listens
    pub fn new(settings: Settings) -> Result<Served> {
        let loaded = load(&settings)?;
        let metrics = Metrics::new();
        metrics.loaded(&loaded);
        let log = settings
            .decision_log
            .clone()
            .map(DecisionLog::open)
            .transpose()?;
        Ok(Served {
            current: ArcSwap::from_pointee(loaded),
            limits: settings.limits,
            slots: Arc::new(tokio::sync::Semaphore::new(settings.limits.concurrency)),
            settings,
            metrics,
            log,
            reloading: tokio::sync::Mutex::new(()),
            last_reload: Mutex::new(None),
        })
    }

    /// How the last reload went, if there was one
    pub fn last_reload(&self) -> Option<Reload> {
        self.last_reload
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Loads the rules and lists again off the request path and, if they load, serves them from
    /// the next request on; if not, the old ones keep serving and the error is said, kept for
    /// `/readyz` and counted. One reload at a time: a request for another waits for it.
    pub async fn reload(self: &Arc<Self>, cause: &str) -> Reload {
        let _one = self.reloading.lock().await;
        let served = Arc::clone(self);
        let loaded = tokio::task::spawn_blocking(move || load(&served.settings)).await;
        let loaded = match loaded {
            Ok(result) => result.map_err(|e| format!("{e:#}")),
            Err(e) => Err(format!("the reload stopped: {e}")),
        };
        let outcome = match loaded {
            Ok(loaded) => {
                self.metrics.loaded(&loaded);
                let at = loaded.loaded_at.clone();
                self.current.store(Arc::new(loaded));
                say!("embargo serve: reloaded ({cause})");
                Reload {
                    at,
                    cause: cause.to_string(),
                    ok: true,
                    error: None,
                }
            }
            Err(error) => {
                say!(
                    "embargo serve: reload ({cause}) failed; still serving what was loaded at {}: {error}",
                    self.current.load().loaded_at
                );
                Reload {
                    at: now(),
                    cause: cause.to_string(),
                    ok: false,
                    error: Some(error),
                }
            }
        };
        self.metrics.reloaded(outcome.ok);
        *self
            .last_reload
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outcome.clone());
        outcome
    }
}

/// The rules (checked) and lists (failing closed) of the settings
pub fn load(settings: &Settings) -> Result<Loaded> {
    let files = crate::cli::load::rule_files(&settings.rules, false)?;
    let roots = crate::cli::setup::roots(&settings.rules);
    let pack = match Pack::compile_in(files.clone(), &roots) {
        Ok(pack) => pack,
        Err(e) => {
            crate::cli::check::print_diagnostics(&e.diagnostics, &files, DiagnosticFormat::Short)?;
            bail!(
                "the rules have {} error(s); run `embargo check` on them",
                e.diagnostics.error_count()
            )
        }
    };
    let lists = crate::cli::lists::for_screening(&settings.lists)?;
    crate::cli::setup::say_unread(&lists, pack.program());
    lists.with_matcher(|m| crate::cli::setup::check_list_verdicts(&settings.lists, m))?;
    let engine = Engine::new(pack, lists).with_list_verdicts(settings.lists.list_verdicts.clone());
    Ok(Loaded {
        provenance: provenance_json(&engine.provenance()),
        engine,
        loaded_at: now(),
    })
}

/// The time now, RFC 3339 in UTC to the second: `serve` says when it loaded what it serves
pub fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(seconds as i64, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}
