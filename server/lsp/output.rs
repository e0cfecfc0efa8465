//! The server's stdout. Two producers write messages: tower-lsp-server (responses, requests,
//! log messages) and the diagnostics publisher, which serializes `publishDiagnostics` straight
//! from the findings instead of building `Diagnostic` values and a JSON tree first (on a large
//! file that was a third of a keystroke's latency).
//!
//! Both hand whole frames to one channel, and one thread writes them to stdout in the order they
//! arrive, so messages never interleave. tower-lsp-server writes through `FrameSplitter`, which
//! cuts its byte stream into frames by their `Content-Length`. Every `publishDiagnostics` (open
//! documents, disk results, clears) goes through `Peer`, so they reach the editor in the order
//! they were sent, whichever part of the server sent them. When the editor reads slower than
//! the server publishes, a waiting `publishDiagnostics` is dropped once a newer one for the same
//! document is queued behind it: the editor gets the newest diagnostics sooner.

use std::collections::HashSet;
use std::io::Write;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::AsyncWrite;
use tower_lsp_server::ls_types::{Diagnostic, MessageType, PublishDiagnosticsParams, Uri};
use tower_lsp_server::Client;

use super::wire;

/// How long the end of the server waits for the last frames to reach stdout.
const DRAIN_WAIT: Duration = Duration::from_secs(1);

/// A whole message on its way to stdout.
struct Frame {
    /// For `publishDiagnostics`: the document, whose next publication replaces this one.
    document: Option<String>,
    bytes: Vec<u8>,
}

/// A handle that sends whole frames to stdout. Cheap to clone.
#[derive(Clone)]
pub struct Frames {
    sender: Sender<Frame>,
}

impl Frames {
    /// Sends a JSON-RPC message body, adding its header; `document` names the document of a
    /// `publishDiagnostics`. False once stdout is gone.
    pub fn send_body(&self, body: &[u8], document: Option<&Uri>) -> bool {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let mut bytes = Vec::with_capacity(header.len() + body.len());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(body);
        let document = document.map(|uri| uri.as_str().to_string());
        self.sender.send(Frame { document, bytes }).is_ok()
    }
}

/// tower-lsp-server's `Client` (through `Deref`) with its own `publish_diagnostics`, which
/// serializes the notification directly and sends it through `Frames`.
#[derive(Clone)]
pub struct Peer {
    client: Client,
    frames: Frames,
}

impl std::ops::Deref for Peer {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Peer {
    pub fn new(client: Client, frames: Frames) -> Peer {
        Peer { client, frames }
    }

    /// Publishes `diagnostics` for `uri` (replacing what the editor shows for it).
    pub async fn publish_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams::new(uri, diagnostics, version);
        match wire::notification_body(wire::PUBLISH_DIAGNOSTICS, &params) {
            Ok(body) => self.send_publish(&params.uri, &body),
            Err(err) => {
                let message = format!("acs-lint: cannot serialize diagnostics: {err}");
                self.client.log_message(MessageType::ERROR, message).await;
            }
        }
    }

    /// Sends the body of a `publishDiagnostics` for `uri` serialized elsewhere (see
    /// `wire::publish_body`).
    pub fn send_publish(&self, uri: &Uri, body: &[u8]) {
        // False only once stdout is gone, when nobody is left to tell.
        let _ = self.frames.send_body(body, Some(uri));
    }
}

/// The writing thread; `finish` waits until it has written what was sent.
pub struct Writer {
    done: Receiver<()>,
}

impl Writer {
    /// Waits (bounded) until every frame sent before all `Frames` handles were dropped is
    /// written.
    pub fn finish(self) {
        let _ = self.done.recv_timeout(DRAIN_WAIT);
    }
}

/// Starts the thread that writes frames to `out`.
pub fn start(out: impl Write + Send + 'static) -> (Frames, Writer) {
    let (sender, frames) = mpsc::channel::<Frame>();
    let (finished, done) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("acs-lint-stdout".into())
        .spawn(move || {
            write_frames(&frames, out);
            let _ = finished.send(());
        });
    if let Err(err) = spawned {
        eprintln!("acs-lint: cannot start the output thread: {err}");
    }
    (Frames { sender }, Writer { done })
}

/// Writes frames until every sender is gone or `out` fails. Takes every frame waiting at once,
/// writes the newest publication of each document among them, then flushes.
fn write_frames(frames: &Receiver<Frame>, mut out: impl Write) {
    let mut batch = Vec::new();
    while let Ok(first) = frames.recv() {
        batch.clear();
        batch.push(first);
        batch.extend(frames.try_iter());
        for frame in newest_only(&batch) {
            if out.write_all(&frame.bytes).is_err() {
                return;
            }
        }
        if out.flush().is_err() {
            return;
        }
    }
}

/// The frames of `batch` in order, without publications a later one for the same document
/// replaces.
fn newest_only(batch: &[Frame]) -> impl Iterator<Item = &Frame> {
    let mut seen = HashSet::new();
    let mut keep: Vec<bool> = batch
        .iter()
        .rev()
        .map(|frame| frame.document.as_deref().is_none_or(|d| seen.insert(d)))
        .collect();
    keep.reverse();
    batch
        .iter()
        .zip(keep)
        .filter_map(|(frame, keep)| keep.then_some(frame))
}

/// The `AsyncWrite` given to tower-lsp-server: collects its bytes and sends each complete frame.
pub struct FrameSplitter {
    frames: Frames,
    pending: Vec<u8>,
}

impl FrameSplitter {
    pub fn new(frames: Frames) -> FrameSplitter {
        FrameSplitter {
            frames,
            pending: Vec::new(),
        }
    }

    /// Sends every complete frame at the start of `pending`.
    fn send_complete(&mut self) -> std::io::Result<()> {
        while let Some(length) = complete_frame(&self.pending) {
            let rest = self.pending.split_off(length);
            let bytes = std::mem::replace(&mut self.pending, rest);
            let frame = Frame {
                document: None,
                bytes,
            };
            if self.frames.sender.send(frame).is_err() {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
        }
        Ok(())
    }
}

/// The length of the complete frame at the start of `bytes`, if all of it is there. A header
/// without a readable `Content-Length` ends at its blank line, so bad output cannot block the
/// frames after it.
fn complete_frame(bytes: &[u8]) -> Option<usize> {
    const END: &[u8] = b"\r\n\r\n";
    let header_end = memchr::memmem::find(bytes, END)? + END.len();
    let header = std::str::from_utf8(bytes.get(..header_end)?).unwrap_or("");
    let length = header
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let total = header_end.checked_add(length)?;
    (bytes.len() >= total).then_some(total)
}

impl AsyncWrite for FrameSplitter {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        this.pending.extend_from_slice(buf);
        Poll::Ready(this.send_complete().map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[test]
    fn a_waiting_publication_gives_way_to_a_newer_one_for_its_document() {
        let frame = |document: Option<&str>, n: u8| Frame {
            document: document.map(str::to_string),
            bytes: vec![n],
        };
        let batch = [
            frame(Some("a"), 1),
            frame(None, 2),
            frame(Some("b"), 3),
            frame(Some("a"), 4),
            frame(None, 5),
            frame(Some("a"), 6),
        ];
        let kept: Vec<u8> = newest_only(&batch).map(|f| f.bytes[0]).collect();
        assert_eq!(kept, [2, 3, 5, 6]);
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn frames_are_whole_however_the_bytes_are_cut() {
        let messages = [r#"{"a":1}"#, r#"{"b":"é ünïcode"}"#, "", r#"{"c":[1,2,3]}"#];
        let stream: Vec<u8> = messages.iter().flat_map(|m| frame(m)).collect();
        for cut in [1, 2, 3, 7, 19, 64, stream.len()] {
            let (sender, receiver) = mpsc::channel();
            let mut splitter = FrameSplitter::new(Frames { sender });
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            runtime.block_on(async {
                for chunk in stream.chunks(cut) {
                    splitter.write_all(chunk).await.unwrap();
                }
            });
            drop(splitter);
            let got: Vec<Vec<u8>> = receiver.iter().map(|f: Frame| f.bytes).collect();
            let want: Vec<Vec<u8>> = messages.iter().map(|m| frame(m)).collect();
            assert_eq!(got, want, "cut into pieces of {cut} bytes");
        }
    }

    #[test]
    fn a_header_without_a_length_does_not_hold_back_what_follows() {
        let mut bytes = b"X-Odd: 1\r\n\r\n".to_vec();
        bytes.extend(frame("{}"));
        let first = complete_frame(&bytes).unwrap();
        assert_eq!(&bytes[..first], b"X-Odd: 1\r\n\r\n");
        assert_eq!(complete_frame(&bytes[first..]), Some(frame("{}").len()));
        assert_eq!(complete_frame(&frame("{}")[..5]), None);
    }

    #[test]
    fn the_writer_keeps_the_order_frames_were_sent_in() {
        let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (frames, writer) = start(Shared(out.clone()));
        for i in 0..100 {
            assert!(frames.send_body(format!("{{\"n\":{i}}}").as_bytes(), None));
        }
        drop(frames);
        writer.finish();
        let want: Vec<u8> = (0..100)
            .flat_map(|i| frame(&format!("{{\"n\":{i}}}")))
            .collect();
        assert_eq!(*out.lock().unwrap(), want);
    }
}
