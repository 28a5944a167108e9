//! `embargo serve`: the engine behind HTTP, for systems that screen each payment or shipment as
//! it waits (`docs/serve.md`). Rules and lists are loaded before the server listens, and again on
//! SIGHUP, `POST /admin/reload` or a changed file, swapped whole (`state`); requests are answered
//! on tokio's runtime, batches judged on rayon's pool.

mod app;
mod auth;
mod config;
mod log;
mod metrics;
mod ops;
mod screen;
mod state;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use super::args::{DecisionArgs, ListArgs, RuleArgs};
use super::exit::Exit;
use super::output::say;

/// Runs `serve` until SIGTERM or Ctrl-C, then drains the requests in flight
pub fn run(
    config: Option<&Path>,
    addr: Option<&str>,
    rules: &RuleArgs,
    lists: &ListArgs,
    decisions: &DecisionArgs,
) -> Result<Exit> {
    let settings = config::Settings::new(config, addr, rules, lists, decisions)?;
    let addr = settings.addr;
    let tls = settings.tls.clone();
    let watched = if settings.watch {
        watched(&settings)?
    } else {
        Vec::new()
    };
    let served = Arc::new(state::Served::new(settings)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        reload_on_hangup(&served)?;
        // Dropped when the server stops: watching ends with it
        let _watcher = watch(&served, &watched)?;
        let app = app::router(Arc::clone(&served));
        match tls {
            None => {
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr}"))?;
                say!(
                    "embargo serve: listening on http://{}",
                    listener.local_addr()?
                );
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown())
                    .await
                    .context("the server stopped")?;
            }
            Some(tls) => serve_tls(addr, &tls, &served, app).await?,
        }
        if let Some(log) = &served.log {
            // What was decided is on disk before the process ends
            tokio::task::block_in_place(|| log.close());
        }
        say!("embargo serve: stopped");
        Ok(Exit::Clean)
    })
}

/// Serves HTTPS (rustls, with ring's cryptography) until SIGTERM or Ctrl-C, then drains
async fn serve_tls(
    addr: std::net::SocketAddr,
    tls: &config::Tls,
    served: &state::Served,
    app: axum::Router,
) -> Result<()> {
    // The process's one provider: ring, which the list downloads (ureq) use too. rustls now
    // prefers aws-lc-rs for its post-quantum key exchange; taking it would add a C build to every
    // build of embargo. A second install is refused and harmless.
    #[expect(
        deprecated,
        reason = "ring's provider, without post-quantum key exchange: see above"
    )]
    let provider = rustls::crypto::ring::default_provider();
    let _ = provider.install_default();
    let certs = state::certificates(tls).await?;
    // A reload reads the files again and swaps the certificate in for new connections.
    served.serving_tls(certs.clone());
    let handle = axum_server::Handle::new();
    let serving = tokio::spawn(
        axum_server::bind_rustls(addr, certs)
            .handle(handle.clone())
            .serve(app.into_make_service()),
    );
    let Some(local) = handle.listening().await else {
        serving
            .await?
            .with_context(|| format!("cannot listen on {addr}"))?;
        anyhow::bail!("cannot listen on {addr}");
    };
    say!("embargo serve: listening on https://{local}");
    let stopping = handle.clone();
    tokio::spawn(async move {
        shutdown().await;
        stopping.graceful_shutdown(None);
    });
    serving.await?.context("the server stopped")
}

/// Reloads on each SIGHUP
fn reload_on_hangup(served: &Arc<state::Served>) -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut hangups =
            signal(SignalKind::hangup()).context("cannot listen for SIGHUP to reload")?;
        let served = Arc::clone(served);
        tokio::spawn(async move {
            while hangups.recv().await.is_some() {
                served.reload("SIGHUP").await;
            }
        });
    }
    #[cfg(not(unix))]
    let _ = served;
    Ok(())
}

/// The files and folders whose change reloads: the rule paths, the list files (or the list
/// cache when the lists come from it), the suppression file, the certificate and its key
fn watched(settings: &config::Settings) -> Result<Vec<PathBuf>> {
    let mut paths = settings.rules.rules.clone();
    paths.extend(settings.decisions.suppressions.iter().cloned());
    if let Some(tls) = &settings.tls {
        paths.extend([tls.cert.clone(), tls.key.clone()]);
    }
    if !settings.lists.no_lists {
        if settings.lists.lists.is_empty() {
            paths.push(super::cache::dir(settings.lists.cache_dir.as_deref())?);
        } else {
            paths.extend(settings.lists.lists.iter().cloned());
        }
    }
    Ok(paths)
}

/// How long after a change the reload starts, so that a file written in several steps (or
/// several files saved at once) reload once
const SETTLE: Duration = Duration::from_millis(300);

/// Watches `paths` (a folder with what it holds; a file through its folder, so that a file
/// replaced by a rename, as editors and `lists update` save, is still seen) and reloads after
/// each change has settled
fn watch(
    served: &Arc<state::Served>,
    paths: &[PathBuf],
) -> Result<Option<notify::RecommendedWatcher>> {
    use notify::{RecursiveMode, Watcher};
    if paths.is_empty() {
        return Ok(None);
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
    let wanted: Vec<PathBuf> = paths
        .iter()
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .collect();
    let interesting = wanted.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        for path in event.paths {
            if interesting.iter().any(|w| path.starts_with(w)) {
                let _ = tx.send(path);
            }
        }
    })
    .context("cannot watch the rule and list files")?;
    for path in &wanted {
        let (at, mode) = if path.is_dir() {
            (path.as_path(), RecursiveMode::Recursive)
        } else {
            (
                path.parent().unwrap_or(Path::new(".")),
                RecursiveMode::NonRecursive,
            )
        };
        watcher
            .watch(at, mode)
            .with_context(|| format!("cannot watch {}", at.display()))?;
    }
    let served = Arc::clone(served);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            // Let the writes settle, then reload once for all of them
            tokio::time::sleep(SETTLE).await;
            while rx.try_recv().is_ok() {}
            served
                .reload(&format!("a file changed: {}", first.display()))
                .await;
        }
    });
    Ok(Some(watcher))
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
