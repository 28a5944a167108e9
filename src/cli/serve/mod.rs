//! `embargo serve`: the engine behind HTTP, for systems that screen each payment or shipment as
//! it waits (`docs/serve.md`). Rules and lists are loaded once, before the server listens;
//! requests are answered on tokio's runtime, batches judged on rayon's pool.

mod app;
mod config;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};

use super::args::{DiagnosticFormat, ListArgs};
use super::exit::Exit;
use super::output::say;
use embargo::internals::report::verdicts::provenance_json;
use embargo::{Engine, Pack};

/// Runs `serve` until SIGTERM or Ctrl-C, then drains the requests in flight
pub fn run(
    config: Option<&Path>,
    addr: Option<&str>,
    rules: &[PathBuf],
    lists: &ListArgs,
) -> Result<Exit> {
    let settings = config::Settings::new(config, addr, rules, lists)?;
    let engine = engine(&settings)?;
    let provenance = provenance_json(&engine.provenance());
    let served = Arc::new(app::Served {
        engine,
        provenance,
        loaded_at: now(),
        limits: settings.limits,
        slots: Arc::new(tokio::sync::Semaphore::new(settings.limits.concurrency)),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        let local = listener.local_addr()?;
        say!("embargo serve: listening on http://{local}");
        axum::serve(listener, app::router(served))
            .with_graceful_shutdown(shutdown())
            .await
            .context("the server stopped")?;
        say!("embargo serve: stopped");
        Ok(Exit::Clean)
    })
}

/// The rules (checked) and lists (failing closed) of the settings
fn engine(settings: &config::Settings) -> Result<Engine> {
    let files = super::load::rule_files(&settings.rules, false)?;
    let pack = match Pack::compile_in(files.clone(), &super::setup::roots(&settings.rules)) {
        Ok(pack) => pack,
        Err(e) => {
            super::check::print_diagnostics(&e.diagnostics, &files, DiagnosticFormat::Short)?;
            bail!(
                "the rules have {} error(s); run `embargo check` on them",
                e.diagnostics.error_count()
            )
        }
    };
    let lists = super::lists::for_screening(&settings.lists)?;
    super::setup::say_unread(&lists, pack.program());
    lists.with_matcher(|m| super::setup::check_list_verdicts(&settings.lists, m))?;
    Ok(Engine::new(pack, lists).with_list_verdicts(settings.lists.list_verdicts.clone()))
}

/// The time now, RFC 3339 in UTC to the second: `serve` says when it loaded what it serves
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(seconds as i64, 0)
        .map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C)
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    say!("embargo serve: stopping: answering the requests in flight");
}
