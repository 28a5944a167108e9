//! What `serve` answers with, and how it is replaced: the rules and lists loaded (`Loaded`),
//! swapped whole for a new load on a reload, so that each request is answered by one program.

use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result, bail};
use arc_swap::ArcSwap;
use axum_server::tls_rustls::RustlsConfig;

use super::config::{Limits, Settings, Tls};
use super::log::DecisionLog;
use super::metrics::Metrics;
use crate::cli::args::DiagnosticFormat;
use crate::cli::output::say;
use embargo::internals::provenance::sha256_hex;
use embargo::internals::report::verdicts::provenance_json;
use embargo::{Decisions, Engine, Pack};

/// The rules and lists of one load
pub struct Loaded {
    pub engine: Engine,
    /// The engine's provenance as one line of JSON, the `provenance` of each verdict
    pub provenance: String,
    /// When they were loaded (RFC 3339, UTC)
    pub loaded_at: String,
    /// The suppression file applied, if any
    pub suppressions: Option<SuppressionFile>,
}

/// The suppression file of a load, as `/v1/version` shows it
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SuppressionFile {
    /// Its path
    pub file: String,
    /// How many entries it has (in force or not)
    pub entries: usize,
    /// The SHA-256 of the file read
    pub sha256: String,
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
    /// The certificate served over HTTPS, swapped on a reload
    tls: OnceLock<RustlsConfig>,
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
            tls: OnceLock::new(),
            reloading: tokio::sync::Mutex::new(()),
            last_reload: Mutex::new(None),
        })
    }

    /// Says which certificate HTTPS serves, for reloads to replace
    pub fn serving_tls(&self, certs: RustlsConfig) {
        let _ = self.tls.set(certs);
    }

    /// How the last reload went, if there was one
    pub fn last_reload(&self) -> Option<Reload> {
        self.last_reload
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Loads the rules, lists, suppressions and certificate again off the request path and, if
    /// all load, serves them from the next request (or connection) on; if not, the old ones keep
    /// serving and the error is said, kept for `/readyz` and counted. One reload at a time: a
    /// request for another waits for it.
    pub async fn reload(self: &Arc<Self>, cause: &str) -> Reload {
        let _one = self.reloading.lock().await;
        let served = Arc::clone(self);
        let loaded = tokio::task::spawn_blocking(move || load(&served.settings)).await;
        let loaded = match loaded {
            Ok(result) => result.map_err(|e| format!("{e:#}")),
            Err(e) => Err(format!("the reload stopped: {e}")),
        };
        // The certificate is read again too, and swapped only with the rest.
        let loaded = match (loaded, &self.settings.tls, self.tls.get()) {
            (Ok(loaded), Some(files), Some(_)) => certificates(files)
                .await
                .map(|certs| (loaded, Some(certs)))
                .map_err(|e| format!("{e:#}")),
            (loaded, ..) => loaded.map(|loaded| (loaded, None)),
        };
        let outcome = match loaded {
            Ok((loaded, certs)) => {
                self.metrics.loaded(&loaded);
                let at = loaded.loaded_at.clone();
                self.current.store(Arc::new(loaded));
                if let (Some(new), Some(serving)) = (certs, self.tls.get()) {
                    serving.reload_from_config(new.get_inner());
                }
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
    let files = crate::cli::load::pack_files(&settings.rules)?;
    let roots = crate::cli::setup::roots(&settings.rules.rules);
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
    let min_scores = lists
        .with_matcher(|m| crate::cli::suppress::min_scores(&settings.decisions.min_scores, m))?;
    let (suppressions, file) = match &settings.decisions.suppressions {
        None => (Vec::new(), None),
        Some(path) => {
            let (text, entries) = crate::cli::suppress::suppression_file(path)?;
            let file = SuppressionFile {
                file: path.display().to_string(),
                entries: entries.len(),
                sha256: sha256_hex(text.as_bytes()),
            };
            (entries, Some(file))
        }
    };
    let engine = Engine::new(pack, lists)
        .with_list_verdicts(settings.lists.list_verdicts.clone())
        .with_decisions(Decisions {
            min_scores,
            suppressions,
        });
    Ok(Loaded {
        provenance: provenance_json(&engine.provenance()),
        engine,
        loaded_at: now(),
        suppressions: file,
    })
}

/// The certificate and key of `tls`, read and checked
pub async fn certificates(tls: &Tls) -> Result<RustlsConfig> {
    RustlsConfig::from_pem_file(&tls.cert, &tls.key)
        .await
        .with_context(|| {
            format!(
                "cannot use the certificate {} with the key {}",
                tls.cert.display(),
                tls.key.display()
            )
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
