//! `embargo lists update` against a tiny HTTP server on 127.0.0.1: a good download, then failures that keep the last good copy.

use crate::common;
use crate::lists_commands::UN_2026_05_08_SHOWN;

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
    /// A 302 to this address (`{port}` is replaced by the server's port)
    Redirect(&'static str),
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
            assert!(
                head.starts_with(b"GET /"),
                "{}",
                String::from_utf8_lossy(&head)
            );
            if let Reply::Redirect(to) = &reply {
                let to = to.replace("{port}", &port.to_string());
                let head = format!(
                    "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.shutdown(Shutdown::Both);
                continue;
            }
            let (status, body, sent) = match &reply {
                Reply::Respond(status, body) => (*status, body.as_slice(), body.len()),
                Reply::CutShort(body) => ("200 OK", body.as_slice(), body.len() / 2),
                Reply::Close | Reply::Redirect(_) => ("", &[][..], 0),
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

pub(crate) fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("embargo-update-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

pub(crate) fn lists(args: &[&str]) -> Output {
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

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub(crate) fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
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
    let shown = String::from_utf8_lossy(&out.stdout).replace(dir.to_str().unwrap(), "DIR");
    // The cached copy's counts whole, the same as the file's own (`lists show` of it).
    assert_eq!(
        shown,
        format!("DIR/un/2026-05-08.xml: {UN_2026_05_08_SHOWN}")
    );
    // Where the copy came from and when, as its metadata says (the time from the metadata, not
    // the clock).
    assert_eq!(
        stderr(&out).replace(&url, "URL"),
        format!("embargo: cached copy of URL, downloaded {downloaded_at}\n")
    );

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
    let mut said = Vec::new();
    for (reply, named) in broken {
        let (url, _server) = serve(vec![reply]);
        let out = update(&url, &dir);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(named), "{err}");
        assert!(err.contains("kept the last good copy"), "{err}");
        said.push(
            err.replace(&url, "URL")
                .replace(dir.to_str().unwrap(), "DIR"),
        );
        assert_eq!(read(&cached), good);
        let kept: serde_json::Value =
            serde_json::from_slice(&read(&dir.join("un/2026-05-08.json"))).unwrap();
        assert_eq!(kept, meta);
    }
    // Each failure in two lines: the URL and why (whole where the reason is this program's own,
    // the start where the HTTP library words it), then the copy kept, with its dates from its
    // metadata (any text containing the two fragments passed before).
    let kept = format!(
        "embargo: kept the last good copy: DIR/un/2026-05-08.xml (generated 2026-05-08T23:00:06.922Z, downloaded {downloaded_at})"
    );
    let first_lines = [
        "embargo: lists update: URL: download failed: http status: 500",
        "embargo: lists update: URL: the download is not a valid UN Consolidated List: line 27318: malformed XML: unexpected end of input inside `CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/LAST_DAY_UPDATED/VALUE`",
        "embargo: lists update: URL: the download is not a valid UN Consolidated List: line 1: expected the root element `CONSOLIDATED_LIST`, found `html`",
        "embargo: lists update: URL: download failed while reading the body: ",
        "embargo: lists update: URL: download failed: ",
    ];
    assert_eq!(said.len(), first_lines.len());
    for (text, first) in said.iter().zip(first_lines) {
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        if first.ends_with(": ") {
            assert!(lines[0].starts_with(first), "{text}");
        } else {
            assert_eq!(lines[0], first, "{text}");
        }
        assert_eq!(lines[1], kept, "{text}");
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
    // stderr whole: the URL and why the download is refused, then that the cache is empty.
    assert_eq!(
        err.replace(&url, "URL")
            .replace(dir.to_str().unwrap(), "DIR"),
        "\
embargo: lists update: URL: the download is not a valid UN Consolidated List: no entries
embargo: there is no good copy in DIR yet
"
    );
    assert!(!dir.join("un").join("2030-01-01.xml").exists());

    let out = lists(&["show", "--cache-dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("embargo lists update"),
        "{}",
        stderr(&out)
    );
    // The whole line: that the cache has no list, which cache, and what to run.
    assert_eq!(
        stderr(&out).replace(dir.to_str().unwrap(), "DIR"),
        "embargo: no list in the cache (DIR): run `embargo lists update` first\n"
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
    // The whole line: the URL refused, and where plain http is allowed.
    assert_eq!(
        err,
        "embargo: refusing plain http for `http://scsanctions.un.org/resources/xml/en/consolidated.xml`: lists are downloaded over https (plain http only to 127.0.0.1, localhost or [::1])\n"
    );
    assert!(!dir.exists());

    let out = update("ftp://example.org/consolidated.xml", &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "embargo: `ftp://example.org/consolidated.xml` is not an https URL\n"
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

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/lists")
            .join(name),
    )
}

/// Updates from a server that serves `body` once
pub(crate) fn update_with(body: Vec<u8>, dir: &Path, extra: &[&str]) -> Output {
    let (url, server) = serve(vec![Reply::Respond("200 OK", body)]);
    let mut args = vec![
        "update",
        "--url",
        &url,
        "--cache-dir",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = lists(&args);
    server.join().unwrap();
    out
}

/// The days of the snapshots in the cache, from their file names
pub(crate) fn snapshot_days(dir: &Path) -> Vec<String> {
    let mut days: Vec<String> = std::fs::read_dir(dir.join("un"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".xml").map(str::to_string))
        .collect();
    days.sort();
    days
}

/// A fictional UN list of `n` entities generated at `generated`
fn generated_list(n: usize, generated: &str) -> Vec<u8> {
    let mut xml = format!("<CONSOLIDATED_LIST dateGenerated=\"{generated}\"><ENTITIES>");
    for i in 0..n {
        xml.push_str(&format!(
            "<ENTITY><FIRST_NAME>FICTIVE ENTITY NUMBER {i}</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>\
<REFERENCE_NUMBER>KPe.{}</REFERENCE_NUMBER></ENTITY>",
            500 + i
        ));
    }
    xml.push_str("</ENTITIES></CONSOLIDATED_LIST>");
    xml.into_bytes()
}

/// `lists update` keeps only a list that is not older than the cached one, not the same date
/// with other content, dated and not empty; --force keeps an older one as a snapshot of its day
#[test]
fn update_refuses_older_undated_empty_and_same_dated_lists() {
    let dir = fresh_dir("rules");
    let (v1, v2) = (
        fixture("snap-2026-01-10.xml"),
        fixture("snap-2026-03-10.xml"),
    );
    // A cache in the layout before snapshots: replaced by the first update.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("un-consolidated.xml"), &v1).unwrap();
    std::fs::write(
        dir.join("un-consolidated.json"),
        r#"{"url": "https://example.invalid/", "date_generated": "2026-01-10T23:00:00.000Z",
            "downloaded_at": "2026-01-11T00:00:00Z", "entries": 3}"#,
    )
    .unwrap();
    let out = update_with(v2.clone(), &dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(snapshot_days(&dir), ["2026-03-10"]);
    assert!(!dir.join("un-consolidated.xml").exists());
    assert!(!dir.join("un-consolidated.json").exists());

    // The same list again: nothing to do.
    let out = update_with(v2.clone(), &dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("is up to date"));

    let refused: [(Vec<u8>, &str); 4] = [
        (
            v1.clone(),
            "refused: it was generated 2026-01-10T23:00:00.000Z, before the cached copy (2026-03-10T23:00:00.000Z)",
        ),
        (
            String::from_utf8(v2.clone())
                .unwrap()
                .replace("NORTHERN STAR", "EASTERN STAR")
                .into_bytes(),
            "refused: it has the cached copy's dateGenerated (2026-03-10T23:00:00.000Z) but other content",
        ),
        (fixture("undated.xml"), "no dateGenerated"),
        (fixture("empty.xml"), "no entries"),
    ];
    for (body, why) in refused {
        let out = update_with(body, &dir, &[]);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(why), "{err}");
        assert!(err.contains("kept the last good copy"), "{err}");
        assert_eq!(snapshot_days(&dir), ["2026-03-10"]);
        assert_eq!(read(&dir.join("un/2026-03-10.xml")), v2);
    }

    // --force keeps the older list, as the snapshot of its own day; never an undated or empty one.
    let out = update_with(v1.clone(), &dir, &["--force"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("kept anyway (--force)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot_days(&dir), ["2026-01-10", "2026-03-10"]);
    assert_eq!(read(&dir.join("un/2026-01-10.xml")), v1);
    for body in [fixture("undated.xml"), fixture("empty.xml")] {
        let out = update_with(body, &dir, &["--force"]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(snapshot_days(&dir), ["2026-01-10", "2026-03-10"]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A list with fewer entries than the cached copy by more than --max-shrink (default 10%) is
/// refused unless --force
#[test]
fn update_refuses_a_list_that_shrinks_too_much() {
    let dir = fresh_dir("shrink");
    let out = update_with(generated_list(20, "2026-01-01T00:00:00Z"), &dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    // 17 of 20: 15% fewer.
    let out = update_with(generated_list(17, "2026-02-01T00:00:00Z"), &dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "it has 17 entries, 3 fewer than the cached copy's 20 (more than --max-shrink 10%)"
        ),
        "{err}"
    );
    assert_eq!(snapshot_days(&dir), ["2026-01-01"]);
    let out = update_with(
        generated_list(17, "2026-02-01T00:00:00Z"),
        &dir,
        &["--max-shrink", "15"],
    );
    assert_eq!(out.status.code(), Some(0));
    // 16 of 17: under 10% fewer, kept by default.
    let out = update_with(generated_list(16, "2026-03-01T00:00:00Z"), &dir, &[]);
    assert_eq!(out.status.code(), Some(0));
    let out = update_with(generated_list(8, "2026-04-01T00:00:00Z"), &dir, &[]);
    assert_eq!(out.status.code(), Some(1));
    let out = update_with(
        generated_list(8, "2026-04-01T00:00:00Z"),
        &dir,
        &["--force"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        snapshot_days(&dir),
        ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]
    );
    // Nonsense percentages are usage errors.
    for bad in ["101", "-1", "ten"] {
        let flag = format!("--max-shrink={bad}");
        let out = lists(&["update", &flag, "--cache-dir", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("--max-shrink"), "{}", stderr(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two updates at once, each with another version of the same day: the lock serializes them,
/// so every round ends with one snapshot whose list and metadata agree
#[test]
fn concurrent_updates_end_with_one_consistent_copy() {
    let dir = fresh_dir("race");
    for round in 0..6 {
        let mut servers = Vec::new();
        let mut children = Vec::new();
        for hour in [1, 2] {
            let body = generated_list(
                200 + hour,
                &format!("2026-05-01T{:02}:{round:02}:00Z", hour * 10),
            );
            let (url, server) = serve(vec![Reply::Respond("200 OK", body)]);
            servers.push(server);
            children.push(
                Command::new(env!("CARGO_BIN_EXE_embargo"))
                    .args(["lists", "update", "--url", &url, "--cache-dir"])
                    .arg(&dir)
                    .env_remove("EMBARGO_CACHE_DIR")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap(),
            );
        }
        for mut child in children {
            let status = child.wait().unwrap();
            assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
        }
        for server in servers {
            server.join().unwrap();
        }
        assert_eq!(snapshot_days(&dir), ["2026-05-01"]);
        let out = lists(&[
            "snapshots",
            "--format",
            "json",
            "--cache-dir",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "round {round}");
        let line: serde_json::Value = serde_json::from_slice(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap()
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(line["status"], "ok");
        // The later of the two versions is the one kept, whichever process ran first.
        assert_eq!(line["entries"], 202, "round {round}");
        let out = lists(&["show", "--cache-dir", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "round {round}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Redirects are followed only to the URL's own host (here plain http to this machine, as the
/// first address was); to another host the download is refused and the cache left as it was
#[test]
fn redirects_stay_on_the_configured_host() {
    let dir = fresh_dir("redirect");
    let v2 = fixture("snap-2026-03-10.xml");
    let (url, server) = serve(vec![
        Reply::Redirect("http://127.0.0.1:{port}/moved/consolidated.xml"),
        Reply::Redirect("../again.xml"),
        Reply::Respond("200 OK", v2.clone()),
    ]);
    let out = update(&url, &dir);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir.join("un/2026-03-10.xml")), v2);

    for (to, why) in [
        (
            "https://example.org/consolidated.xml",
            "`example.org` is not among the hosts allowed (127.0.0.1)",
        ),
        (
            "http://localhost:{port}/consolidated.xml",
            "`localhost` is not among the hosts allowed",
        ),
        (
            "ftp://127.0.0.1/consolidated.xml",
            "lists are downloaded over https only",
        ),
    ] {
        let (url, server) = serve(vec![Reply::Redirect(to)]);
        let out = update(&url, &dir);
        server.join().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains("refusing the redirect"), "{err}");
        assert!(err.contains(why), "{err}");
    }
    let redirects = (0..6)
        .map(|_| Reply::Redirect("/consolidated.xml"))
        .collect();
    let (url, _server) = serve(redirects);
    let out = update(&url, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("more than 5 redirects"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
