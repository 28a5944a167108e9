//! `embargo lists update` against a tiny HTTP server on 127.0.0.1: a good download, then failures that keep the last good copy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test"
)]

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;
use std::time::Duration;

use common::shared_file;

/// What the server answers to one request
enum Reply {
    /// A status line and a body
    Respond(&'static str, Vec<u8>),
    /// The connection closed without a response
    Close,
    /// A 200 response announcing `Content-Length` of the whole body, closed after half of it
    CutShort(Vec<u8>),
}

/// Serves `replies`, one connection each, then stops; returns the URL of the list
fn serve(replies: Vec<Reply>) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        for reply in replies {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            // Read the request head (a GET has no body).
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            assert!(head.starts_with(b"GET /consolidated.xml HTTP/1.1\r\n"));
            let (status, body, sent) = match &reply {
                Reply::Respond(status, body) => (*status, body.as_slice(), body.len()),
                Reply::CutShort(body) => ("200 OK", body.as_slice(), body.len() / 2),
                Reply::Close => ("", &[][..], 0),
            };
            if !status.is_empty() {
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body[..sent]);
            }
            let _ = stream.shutdown(Shutdown::Both);
        }
    });
    (format!("http://127.0.0.1:{port}/consolidated.xml"), handle)
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("embargo-update-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn lists(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("lists")
        .args(args)
        .env_remove("EMBARGO_CACHE_DIR")
        .output()
        .unwrap();
    eprintln!(
        "embargo lists {args:?}: {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn update(url: &str, dir: &Path) -> Output {
    lists(&["update", "--url", url, "--cache-dir", dir.to_str().unwrap()])
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn update_caches_the_list_and_keeps_it_when_a_later_download_fails() {
    let Some(path) = shared_file("data/un/consolidated-2026-05-08.xml") else {
        return;
    };
    let good = read(&path);
    let dir = fresh_dir("good");

    // A good download.
    let (url, server) = serve(vec![Reply::Respond("200 OK", good.clone())]);
    let out = update(&url, &dir);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let cached = dir.join("un/2026-05-08.xml");
    assert_eq!(read(&cached), good);
    let meta: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("un/2026-05-08.json"))).unwrap();
    assert_eq!(meta["url"], url.as_str());
    assert_eq!(meta["date_generated"], "2026-05-08T23:00:06.922Z");
    assert_eq!(meta["entries"], 1009);
    assert_eq!(meta["bytes"], good.len());
    // The SHA-256 of ../shared/data/un/consolidated-2026-05-08.xml, as its README gives it.
    assert_eq!(
        meta["sha256"],
        "1f1b3bfe29a53e7ac7c42ee4e58d6a7d1ebdf7c5e91fd990d3e63aefe0313dea"
    );
    let downloaded_at = meta["downloaded_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(downloaded_at).is_ok(),
        "{downloaded_at}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("un"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // `lists show` with no file shows the cached copy.
    let out = lists(&["show", "--cache-dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("2026-05-08.xml"), "{shown}");
    assert!(stderr(&out).contains(&url), "{}", stderr(&out));

    // Broken downloads: each is named, and the last good copy stays, byte for byte.
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    let broken = [
        (
            Reply::Respond("500 Internal Server Error", b"oops".to_vec()),
            "500",
        ),
        (
            Reply::Respond("200 OK", truncated),
            "not a valid UN Consolidated List",
        ),
        (
            Reply::Respond("200 OK", b"<html>maintenance</html>".to_vec()),
            "not a valid UN Consolidated List",
        ),
        (
            Reply::CutShort(good.clone()),
            "download failed while reading the body",
        ),
        (Reply::Close, "download failed"),
    ];
    for (reply, named) in broken {
        let (url, _server) = serve(vec![reply]);
        let out = update(&url, &dir);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(named), "{err}");
        assert!(err.contains("kept the last good copy"), "{err}");
        assert_eq!(read(&cached), good);
        let kept: serde_json::Value =
            serde_json::from_slice(&read(&dir.join("un/2026-05-08.json"))).unwrap();
        assert_eq!(kept, meta);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_first_download_leaves_no_copy_and_exits_2() {
    let dir = fresh_dir("none");
    let (url, server) = serve(vec![Reply::Respond(
        "200 OK",
        b"<CONSOLIDATED_LIST dateGenerated=\"2030-01-01T00:00:00Z\"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>"
            .to_vec(),
    )]);
    let out = update(&url, &dir);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no entries"), "{err}");
    assert!(err.contains("no good copy"), "{err}");
    assert!(!dir.join("un").join("2030-01-01.xml").exists());

    let out = lists(&["show", "--cache-dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("embargo lists update"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn plain_http_is_refused_except_to_this_machine() {
    let dir = fresh_dir("http");
    let out = update(
        "http://scsanctions.un.org/resources/xml/en/consolidated.xml",
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("refusing plain http"), "{err}");
    assert!(!dir.exists());

    let out = update("ftp://example.org/consolidated.xml", &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not an https URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_cache_dir_comes_from_embargo_cache_dir_when_not_given() {
    let dir = fresh_dir("env");
    let out = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["lists", "show"])
        .env("EMBARGO_CACHE_DIR", &dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&dir.display().to_string()), "{err}");
}
