//! A guard in front of the server's stdin. tower-lsp-server stops reading after the first frame
//! it cannot decode, which would end the server on one malformed message. This task re-frames
//! stdin: well-formed messages pass through unchanged, a malformed body is replaced by an ignored
//! `$/acs-lint/malformedMessage` notification, and garbage between frames is skipped.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// The largest message accepted (larger frames are skipped).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

const REPLACEMENT: &str =
    r#"{"jsonrpc":"2.0","method":"$/acs-lint/malformedMessage","params":null}"#;

/// Copies framed messages from `input` to `output` until `input` ends.
pub async fn filter_frames(input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut reader = BufReader::new(input);
    loop {
        let mut content_length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = trimmed.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().ok();
                }
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
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let valid = serde_json::from_slice::<serde_json::Value>(&body)
            .is_ok_and(|message| is_json_rpc(&message));
        let body: &[u8] = if valid { &body } else { REPLACEMENT.as_bytes() };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        if output.write_all(header.as_bytes()).await.is_err()
            || output.write_all(body).await.is_err()
            || output.flush().await.is_err()
        {
            return;
        }
    }
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
