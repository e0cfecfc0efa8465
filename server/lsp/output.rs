//! The server's stdout. Two producers write messages: tower-lsp-server (responses, requests,
//! log messages) and the diagnostics publisher, which serializes `publishDiagnostics` straight
//! from the findings instead of building `Diagnostic` values and a JSON tree first (on a large
//! file that was a third of a keystroke's latency).
//!
//! Both put whole frames in one queue, and one thread writes them to stdout in queue order, so
//! messages never interleave. tower-lsp-server writes through `FrameSplitter`, which cuts its
//! byte stream into frames by their `Content-Length`. Every `publishDiagnostics` (open
//! documents, disk results, clears) goes through `Peer`, so they reach the editor in the order
//! they were sent, whichever part of the server sent them.
//!
//! When the editor reads slower than the server writes, the queue stays bounded: a
//! `publishDiagnostics` still waiting in it is replaced by a newer one for the same document
//! (the editor gets the newest diagnostics sooner, and there is at most one per document), and
//! tower-lsp-server's writes wait while more than `QUEUE_LIMIT` bytes are queued, as they would
//! on a full pipe.

use std::collections::VecDeque;
use std::io::Write;
use std::pin::Pin;
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::AsyncWrite;
use tower_lsp_server::ls_types::{Diagnostic, MessageType, PublishDiagnosticsParams, Uri};
use tower_lsp_server::Client;

use super::wire;

/// How long the end of the server waits for the last frames to reach stdout.
const DRAIN_WAIT: Duration = Duration::from_secs(1);

/// Above this many queued bytes, tower-lsp-server's writes wait for the writer.
const QUEUE_LIMIT: usize = 4 << 20;

/// A whole message on its way to stdout.
struct Frame {
    /// For `publishDiagnostics`: the document, whose next publication replaces this one.
    document: Option<String>,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    /// Signals the writer: frames arrived, or the queue closed.
    ready: Condvar,
}

#[derive(Default)]
struct QueueState {
    frames: VecDeque<Frame>,
    bytes: usize,
    /// No more frames are taken: stdout failed, or the server is ending.
    closed: bool,
    /// tower-lsp-server's write, waiting for room.
    waiting: Option<Waker>,
}

impl Queue {
    /// The state; a poisoned lock (a panic while holding it) reads as closed.
    fn lock(&self) -> Option<MutexGuard<'_, QueueState>> {
        self.state.lock().ok()
    }

    /// Queues `frame`, replacing a waiting publication for the same document. False once
    /// closed.
    fn push(&self, frame: Frame) -> bool {
        let Some(mut state) = self.lock() else {
            return false;
        };
        if state.closed {
            return false;
        }
        let replaced = frame.document.as_ref().and_then(|document| {
            state
                .frames
                .iter()
                .position(|f| f.document.as_ref() == Some(document))
        });
        match replaced.and_then(|at| state.frames.get_mut(at)) {
            Some(old) => {
                let freed = old.bytes.len();
                let added = frame.bytes.len();
                *old = frame;
                state.bytes = state.bytes.saturating_sub(freed).saturating_add(added);
            }
            None => {
                state.bytes = state.bytes.saturating_add(frame.bytes.len());
                state.frames.push_back(frame);
                self.ready.notify_one();
            }
        }
        true
    }

    /// Waits for frames and takes them all; `None` once closed and empty.
    fn take(&self) -> Option<Vec<Frame>> {
        let mut state = self.lock()?;
        while state.frames.is_empty() && !state.closed {
            state = self.ready.wait(state).ok()?;
        }
        if state.frames.is_empty() {
            return None;
        }
        state.bytes = 0;
        let frames = state.frames.drain(..).collect();
        if let Some(waker) = state.waiting.take() {
            waker.wake();
        }
        Some(frames)
    }

    fn close(&self) {
        if let Some(mut state) = self.lock() {
            state.closed = true;
            if let Some(waker) = state.waiting.take() {
                waker.wake();
            }
        }
        self.ready.notify_all();
    }
}

/// A handle that sends whole frames to stdout. Cheap to clone.
#[derive(Clone)]
pub struct Frames {
    queue: Arc<Queue>,
}

impl Frames {
    /// Sends a JSON-RPC message body, adding its header; `document` names the document of a
    /// `publishDiagnostics`. Never waits. False once stdout is gone.
    pub fn send_body(&self, body: &[u8], document: Option<&Uri>) -> bool {
        let header = super::transport::header_for(body);
        let mut bytes = Vec::with_capacity(header.len() + body.len());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(body);
        let document = document.map(|uri| uri.as_str().to_string());
        self.queue.push(Frame { document, bytes })
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

/// The writing thread; `finish` ends it.
pub struct Writer {
    queue: Arc<Queue>,
    done: mpsc::Receiver<()>,
}

impl Writer {
    /// Closes the queue and waits (bounded) until what was queued is written.
    pub fn finish(self) {
        self.queue.close();
        let _ = self.done.recv_timeout(DRAIN_WAIT);
    }
}

/// Starts the thread that writes frames to `out`.
pub fn start(out: impl Write + Send + 'static) -> (Frames, Writer) {
    let queue = Arc::new(Queue::default());
    let (finished, done) = mpsc::channel();
    let writer_queue = queue.clone();
    let spawned = std::thread::Builder::new()
        .name("acs-lint-stdout".into())
        .spawn(move || {
            write_frames(&writer_queue, out);
            let _ = finished.send(());
        });
    if let Err(err) = spawned {
        eprintln!("acs-lint: cannot start the output thread: {err}");
        queue.close();
    }
    (
        Frames {
            queue: queue.clone(),
        },
        Writer { queue, done },
    )
}

/// Writes frames until the queue is closed and empty, or `out` fails (which closes it).
/// Flushes after each batch.
fn write_frames(queue: &Queue, mut out: impl Write) {
    while let Some(frames) = queue.take() {
        let written = frames
            .iter()
            .try_for_each(|frame| out.write_all(&frame.bytes))
            .and_then(|()| out.flush());
        if written.is_err() {
            queue.close();
            return;
        }
    }
}

/// The `AsyncWrite` given to tower-lsp-server: collects its bytes and queues each complete
/// frame; waits while the queue is over `QUEUE_LIMIT`.
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

    /// Queues every complete frame at the start of `pending`.
    fn send_complete(&mut self) -> std::io::Result<()> {
        while let Some(length) = complete_frame(&self.pending) {
            let rest = self.pending.split_off(length);
            let bytes = std::mem::replace(&mut self.pending, rest);
            let frame = Frame {
                document: None,
                bytes,
            };
            if !self.frames.queue.push(frame) {
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
        .find_map(super::transport::content_length_of)
        .flatten()
        .unwrap_or(0);
    let total = header_end.checked_add(length)?;
    (bytes.len() >= total).then_some(total)
}

impl AsyncWrite for FrameSplitter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        {
            let Some(mut state) = this.frames.queue.lock() else {
                return Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
            };
            if state.closed {
                return Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
            }
            if state.bytes > QUEUE_LIMIT {
                state.waiting = Some(cx.waker().clone());
                return Poll::Pending;
            }
        }
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
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::AsyncWriteExt;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    /// Frames queued but not written (no writer thread).
    fn unwritten() -> Frames {
        Frames {
            queue: Arc::new(Queue::default()),
        }
    }

    fn queued(frames: &Frames) -> Vec<Vec<u8>> {
        let state = frames.queue.lock().unwrap();
        state.frames.iter().map(|f| f.bytes.clone()).collect()
    }

    #[test]
    fn frames_are_whole_however_the_bytes_are_cut() {
        let messages = [r#"{"a":1}"#, r#"{"b":"é ünïcode"}"#, "", r#"{"c":[1,2,3]}"#];
        let stream: Vec<u8> = messages.iter().flat_map(|m| frame(m)).collect();
        for cut in [1, 2, 3, 7, 19, 64, stream.len()] {
            let frames = unwritten();
            let mut splitter = FrameSplitter::new(frames.clone());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            runtime.block_on(async {
                for chunk in stream.chunks(cut) {
                    splitter.write_all(chunk).await.unwrap();
                }
            });
            let want: Vec<Vec<u8>> = messages.iter().map(|m| frame(m)).collect();
            assert_eq!(queued(&frames), want, "cut into pieces of {cut} bytes");
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
    fn a_waiting_publication_gives_way_to_a_newer_one_for_its_document() {
        let frames = unwritten();
        let a: Uri = "file:///a.ts".parse().unwrap();
        let b: Uri = "file:///b.ts".parse().unwrap();
        assert!(frames.send_body(b"a1", Some(&a)));
        assert!(frames.send_body(b"log", None));
        assert!(frames.send_body(b"b1", Some(&b)));
        assert!(frames.send_body(b"a2", Some(&a)));
        assert!(frames.send_body(b"log", None));
        assert!(frames.send_body(b"a3", Some(&a)));
        assert_eq!(
            queued(&frames),
            [frame("a3"), frame("log"), frame("b1"), frame("log")]
        );
        let state = frames.queue.lock().unwrap();
        let total: usize = state.frames.iter().map(|f| f.bytes.len()).sum();
        assert_eq!(state.bytes, total);
    }

    #[test]
    fn the_writer_keeps_the_order_frames_were_sent_in() {
        let out = Arc::new(Mutex::new(Vec::new()));
        struct Shared(Arc<Mutex<Vec<u8>>>);
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
        writer.finish();
        assert!(!frames.send_body(b"late", None), "closed after finish");
        let want: Vec<u8> = (0..100)
            .flat_map(|i| frame(&format!("{{\"n\":{i}}}")))
            .collect();
        assert_eq!(*out.lock().unwrap(), want);
    }

    /// A waker that records being woken.
    struct Flag(AtomicBool);
    impl std::task::Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn the_server_waits_while_the_queue_is_full_and_goes_on_once_it_drains() {
        let frames = unwritten();
        let big = vec![b'x'; QUEUE_LIMIT + 1];
        assert!(frames.send_body(&big, None));
        let mut splitter = FrameSplitter::new(frames.clone());
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        let message = frame("{}");
        let poll = Pin::new(&mut splitter).poll_write(&mut cx, &message);
        assert!(poll.is_pending(), "accepted over the limit");
        // The writer takes the queue: room again, and the waiting write is woken.
        assert_eq!(frames.queue.take().map(|f| f.len()), Some(1));
        assert!(flag.0.load(Ordering::SeqCst), "not woken");
        let poll = Pin::new(&mut splitter).poll_write(&mut cx, &message);
        assert!(matches!(poll, Poll::Ready(Ok(n)) if n == message.len()));
        assert_eq!(queued(&frames), [message]);
        // Once closed (stdout failed), writes fail instead of waiting.
        frames.queue.close();
        let poll = Pin::new(&mut splitter).poll_write(&mut cx, b"x");
        assert!(matches!(poll, Poll::Ready(Err(_))));
    }

    #[test]
    fn a_failing_stdout_closes_the_queue() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let (frames, writer) = start(Broken);
        assert!(frames.send_body(b"{}", None));
        writer.finish();
        assert!(!frames.send_body(b"{}", None));
    }
}
