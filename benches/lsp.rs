//! `embargo lsp`: the time to check the shipped pack again after an edit of one file, as the
//! editor waits for it.
//!
//! `cargo bench --bench lsp` runs the server of `embargo::internals::lsp` on an in-memory
//! connection (`lsp_server::Connection::memory`, the one `embargo lsp` makes on stdio, without
//! the pipes), on the pack of `rules/` (embedded at build time). It times, from the client's
//! side: *initialize*, the whole pack read and checked and its diagnostics published; then, for
//! each repetition, a `didChange` of `dprk.rules` (a comment line added or removed, so its text
//! differs each time) followed by a `documentSymbol` request, answered after the change was
//! checked (the server handles messages in order): the re-check of one file's parse and the
//! whole pack's compilation, and its diagnostics compared with those published.
//!
//! It prints the median, min and max over the repetitions (`EMBARGO_BENCH_REPS`, default 50).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

fn main() {
    let reps: usize = std::env::var("EMBARGO_BENCH_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let files: Vec<(PathBuf, String)> = embargo::internals::rules::embedded()
        .into_iter()
        .map(|f| {
            let name = Path::new(&f.name).file_name().unwrap().to_owned();
            (Path::new("/pack/rules").join(name), f.text.to_string())
        })
        .collect();
    let count = files.len();
    let dprk = files
        .iter()
        .find(|(p, _)| p.ends_with("dprk.rules"))
        .map(|(_, t)| t.clone())
        .unwrap();

    let (server, client) = Connection::memory();
    let pack = files.clone();
    let thread = std::thread::spawn(move || {
        let read = move |_: &Path| pack.clone();
        embargo::internals::lsp::run(&server, &read).unwrap()
    });

    let start = Instant::now();
    request(
        &client,
        1,
        "initialize",
        json!({"rootUri": "file:///pack", "capabilities": {}}),
    );
    client
        .sender
        .send(Message::Notification(Notification::new(
            "initialized".into(),
            json!({}),
        )))
        .unwrap();
    // The first answer after `initialized` comes after the whole pack was checked
    request(
        &client,
        2,
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///pack/rules/dprk.rules"}}),
    );
    let initialize = start.elapsed();

    let mut times: Vec<Duration> = Vec::with_capacity(reps);
    for rep in 0..reps {
        let text = if rep % 2 == 0 {
            format!("# edit {rep}\n{dprk}")
        } else {
            dprk.clone()
        };
        let start = Instant::now();
        client
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/didChange".into(),
                json!({"textDocument": {"uri": "file:///pack/rules/dprk.rules", "version": rep + 2},
                       "contentChanges": [{"text": text}]}),
            )))
            .unwrap();
        let id = i32::try_from(rep).unwrap() + 3;
        request(
            &client,
            id,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///pack/rules/dprk.rules"}}),
        );
        times.push(start.elapsed());
    }
    request(&client, 0, "shutdown", Value::Null);
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            Value::Null,
        )))
        .unwrap();
    assert!(thread.join().unwrap());

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "pack: {count} files, {} bytes",
        files.iter().map(|(_, t)| t.len()).sum::<usize>()
    );
    println!(
        "initialize (read, check, publish): {:.1} ms",
        ms(initialize)
    );
    println!(
        "re-check after an edit of dprk.rules: median {:.1} ms (min {:.1}, max {:.1}) over {reps}",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// Sends a request and waits for its response, skipping notifications
fn request(client: &Connection, id: i32, method: &str, params: Value) -> Value {
    let id = RequestId::from(id);
    client
        .sender
        .send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )))
        .unwrap();
    loop {
        match client
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .unwrap()
        {
            Message::Response(r) if r.id == id => return r.response_result.unwrap_or(Value::Null),
            _ => {}
        }
    }
}
