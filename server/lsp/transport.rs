//! A guard in front of the server's stdin. tower-lsp-server stops reading after the first frame
//! it cannot decode, which would end the server on one malformed message. This task re-frames
//! stdin: well-formed messages pass through unchanged, a malformed body is replaced by an ignored
//! `$/acs-lint/malformedMessage` notification, and garbage between frames (UTF-8 or not, of
//! any length) is skipped.

use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};

/// The largest message accepted (larger frames are skipped).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

/// Header lines are short; of a longer line (garbage) only this much is kept.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// Reads one line through its `\n` as bytes, keeping at most `MAX_HEADER_LINE` of it. Returns
/// false at the end of the input.
async fn read_header_line(
    reader: &mut (impl AsyncBufRead + Unpin),
    line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    line.clear();
    let mut read_any = false;
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(read_any);
        }
        read_any = true;
        let newline = memchr::memchr(b'\n', buf);
        let taken = newline.map_or(buf.len(), |at| at + 1);
        let room = MAX_HEADER_LINE.saturating_sub(line.len());
        line.extend_from_slice(buf.get(..taken.min(room)).unwrap_or_default());
        reader.consume(taken);
        if newline.is_some() {
            return Ok(true);
        }
    }
}

const REPLACEMENT: &str =
    r#"{"jsonrpc":"2.0","method":"$/acs-lint/malformedMessage","params":null}"#;

/// Copies framed messages from `input` to `output` until `input` ends.
pub async fn filter_frames(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    loop {
        let mut content_length: Option<usize> = None;
        let mut saw_header = false;
        let mut raw = Vec::new();
        loop {
            match read_header_line(&mut reader, &mut raw).await {
                Ok(true) => {}
                Ok(false) | Err(_) => return,
            }
            let line = String::from_utf8_lossy(&raw);
            let trimmed = line.trim();
            if trimmed.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some(length) = content_length_of(trimmed) {
                content_length = length;
            }
        }
        let Some(length) = content_length else {
            continue;
        };
        if length > MAX_MESSAGE {
            // Skip the body without keeping it.
            let mut limited = (&mut reader).take(length as u64);
            if tokio::io::copy(&mut limited, &mut tokio::io::sink())
                .await
                .is_err()
            {
                return;
            }
            continue;
        }
        // Read as the bytes arrive rather than allocating what the header claims up front.
        let mut body = Vec::new();
        match (&mut reader)
            .take(length as u64)
            .read_to_end(&mut body)
            .await
        {
            Ok(n) if n == length => {}
            _ => return,
        }
        let valid = serde_json::from_slice::<serde_json::Value>(&body)
            .is_ok_and(|message| is_json_rpc(&message));
        let body: &[u8] = if valid { &body } else { REPLACEMENT.as_bytes() };
        let header = header_for(body);
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
}

/// `Some` for a `Content-Length` header line, holding its length when the value is readable;
/// `None` for any other line.
pub fn content_length_of(line: &str) -> Option<Option<usize>> {
    let (name, value) = line.split_once(':')?;
    name.trim()
        .eq_ignore_ascii_case("content-length")
        .then(|| value.trim().parse().ok())
}

/// The header that frames `body`.
pub fn header_for(body: &[u8]) -> String {
    format!("Content-Length: {}\r\n\r\n", body.len())
}

/// True for a message shaped like JSON-RPC 2.0 that the protocol library can decode.
fn is_json_rpc(message: &serde_json::Value) -> bool {
    use serde_json::Value;
    let Value::Object(map) = message else {
        return false;
    };
    if map.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return false;
    }
    let id_ok = match map.get("id") {
        None | Some(Value::Null) | Some(Value::String(_)) => true,
        Some(Value::Number(n)) => n.is_i64(),
        Some(_) => false,
    };
    if !id_ok {
        return false;
    }
    match map.get("method") {
        Some(Value::String(_)) => true,
        Some(_) => false,
        None => {
            map.contains_key("id")
                && (map.contains_key("result")
                    || map.get("error").is_some_and(|e| {
                        e.get("code").is_some_and(Value::is_i64)
                            && e.get("message").is_some_and(Value::is_string)
                    }))
        }
    }
}
