//! Media files of the workspace that rules inspect: finding a play prompt's WAV file by its URL
//! and reading its header.
//!
//! Reads are bounded: a header read takes at most [`MAX_HEADER_BYTES`], only files inside the
//! workspace roots are opened (a link that leaves them is refused), and the list of WAV files of
//! a root is walked once and cached for a few seconds, so `check` over thousands of files walks
//! each root once.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// At most this many bytes of a WAV file are read.
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// How long a root's list of WAV files is reused before it is walked again.
const INDEX_TTL: Duration = Duration::from_secs(5);
/// A root with more entries than this is only partly indexed.
const MAX_WALK_ENTRIES: usize = 200_000;

/// What a WAV file's header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WavInfo {
    /// The `fmt ` chunk's format tag (1 = PCM, 3 = IEEE float, 6 = A-law, 7 = µ-law, ...).
    pub format_tag: u16,
    pub channels: u16,
    pub sample_rate: u32,
    pub bits_per_sample: u16,
}

impl WavInfo {
    /// True for the format Call Automation plays: PCM, 16-bit, mono, 16 kHz.
    pub fn is_call_automation_format(&self) -> bool {
        self.format_tag == 1
            && self.bits_per_sample == 16
            && self.channels == 1
            && self.sample_rate == 16_000
    }

    /// A short description: `44.1 kHz stereo 16-bit PCM`.
    pub fn describe(&self) -> String {
        let rate = if self.sample_rate % 1000 == 0 {
            format!("{} kHz", self.sample_rate / 1000)
        } else {
            let khz = format!("{:.2}", f64::from(self.sample_rate) / 1000.0);
            format!("{} kHz", khz.trim_end_matches('0').trim_end_matches('.'))
        };
        let channels = match self.channels {
            1 => "mono".to_string(),
            2 => "stereo".to_string(),
            n => format!("{n}-channel"),
        };
        let format = match self.format_tag {
            1 => "PCM".to_string(),
            2 => "MS ADPCM".to_string(),
            3 => "IEEE float".to_string(),
            6 => "A-law".to_string(),
            7 => "µ-law".to_string(),
            0x11 => "IMA ADPCM".to_string(),
            0x55 => "MP3-in-WAV".to_string(),
            other => format!("format 0x{other:04x}"),
        };
        format!("{rate} {channels} {}-bit {format}", self.bits_per_sample)
    }
}

/// Reads the header of the WAV file at `path`, which must lie inside one of `roots` (after
/// following links). `None` when it is outside, unreadable or not a WAV file.
pub fn read_wav_info(path: &Path, roots: &[PathBuf]) -> Option<WavInfo> {
    let real = std::fs::canonicalize(path).ok()?;
    let inside = roots.iter().any(|root| {
        std::fs::canonicalize(root)
            .map(|root| real.starts_with(root))
            .unwrap_or(false)
    });
    if !inside || !real.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&real)
        .ok()?
        .take(MAX_HEADER_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    parse_wav_header(&bytes)
}

/// Parses a WAV header from the first bytes of a file.
pub fn parse_wav_header(bytes: &[u8]) -> Option<WavInfo> {
    // hound understands PCM, float and WAVE_FORMAT_EXTENSIBLE; other codecs are read from the
    // `fmt ` chunk directly, so the message can still say what the file is.
    match hound::WavReader::new(Cursor::new(bytes)) {
        Ok(reader) => {
            let spec = reader.spec();
            let format_tag = match spec.sample_format {
                hound::SampleFormat::Int => 1,
                hound::SampleFormat::Float => 3,
            };
            Some(WavInfo {
                format_tag,
                channels: spec.channels,
                sample_rate: spec.sample_rate,
                bits_per_sample: spec.bits_per_sample,
            })
        }
        Err(_) => parse_fmt_chunk(bytes),
    }
}

/// Finds the `fmt ` chunk of a RIFF/WAVE file and reads its first fields.
fn parse_fmt_chunk(bytes: &[u8]) -> Option<WavInfo> {
    if bytes.get(0..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let u16_at = |at: usize| -> Option<u16> {
        let b = bytes.get(at..at + 2)?;
        Some(u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut at = 12usize;
    while at + 8 <= bytes.len() {
        let id = bytes.get(at..at + 4)?;
        let size = usize::try_from(u32_at(at + 4)?).ok()?;
        let body = at + 8;
        if id == b"fmt " {
            return Some(WavInfo {
                format_tag: u16_at(body)?,
                channels: u16_at(body + 2)?,
                sample_rate: u32_at(body + 4)?,
                bits_per_sample: u16_at(body + 14)?,
            });
        }
        // Chunks are padded to an even size.
        at = body.checked_add(size)?.checked_add(size % 2)?;
    }
    None
}

type Index = Arc<Vec<PathBuf>>;

fn index_cache() -> &'static Mutex<HashMap<PathBuf, (Instant, Index)>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, (Instant, Index)>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The `.wav` files under `root` (gitignore-aware, links not followed), cached briefly.
fn wav_files(root: &Path) -> Index {
    if let Ok(cache) = index_cache().lock() {
        if let Some((at, files)) = cache.get(root) {
            if at.elapsed() < INDEX_TTL {
                return files.clone();
            }
        }
    }
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .max_depth(Some(16))
        .build();
    for entry in walker.flatten().take(MAX_WALK_ENTRIES) {
        let path = entry.path();
        let is_wav = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("wav"));
        if is_wav && entry.file_type().is_some_and(|t| t.is_file()) {
            files.push(path.to_path_buf());
        }
    }
    let files = Arc::new(files);
    if let Ok(mut cache) = index_cache().lock() {
        cache.insert(root.to_path_buf(), (Instant::now(), files.clone()));
    }
    files
}

/// The workspace file a URL path most likely names: the `.wav` file whose path shares the
/// longest suffix of segments with `url_path` (the file name at least, compared without case).
pub fn find_by_url_path(url_path: &str, roots: &[PathBuf]) -> Option<PathBuf> {
    let wanted: Vec<String> = url_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.to_lowercase())
        .collect();
    wanted.last()?;
    let mut best: Option<(usize, PathBuf)> = None;
    for root in roots {
        for file in wav_files(root).iter() {
            let Ok(relative) = file.strip_prefix(root) else {
                continue;
            };
            let segments: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
                .collect();
            let shared = wanted
                .iter()
                .rev()
                .zip(segments.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            if shared == 0 {
                continue;
            }
            let better = match &best {
                None => true,
                Some((n, path)) => shared > *n || (shared == *n && file < path),
            };
            if better {
                best = Some((shared, file.clone()));
            }
        }
    }
    best.map(|(_, path)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&36u32.to_le_bytes());
        out.extend_from_slice(b"WAVE");
        out.extend_from_slice(b"fmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        let block = channels * bits.div_ceil(8);
        out.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
        out.extend_from_slice(&block.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&0u32.to_le_bytes());
        out
    }

    #[test]
    fn reads_and_describes_headers() {
        let good = parse_wav_header(&header(1, 1, 16_000, 16)).unwrap();
        assert!(good.is_call_automation_format());
        assert_eq!(good.describe(), "16 kHz mono 16-bit PCM");
        let cd = parse_wav_header(&header(1, 2, 44_100, 16)).unwrap();
        assert!(!cd.is_call_automation_format());
        assert_eq!(cd.describe(), "44.1 kHz stereo 16-bit PCM");
        let mulaw = parse_wav_header(&header(7, 1, 8_000, 8)).unwrap();
        assert_eq!(mulaw.describe(), "8 kHz mono 8-bit µ-law");
        assert_eq!(
            parse_wav_header(&header(1, 1, 22_050, 16))
                .unwrap()
                .describe(),
            "22.05 kHz mono 16-bit PCM"
        );
    }

    #[test]
    fn garbage_is_not_a_header() {
        assert_eq!(parse_wav_header(b""), None);
        assert_eq!(
            parse_wav_header(b"RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff"),
            None
        );
        assert_eq!(parse_wav_header(b"ID3\x03\x00 not a wav"), None);
    }

    #[test]
    fn finds_by_longest_suffix_and_stays_inside_roots() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(root.join("a/prompts")).unwrap();
        std::fs::create_dir_all(root.join("b/other")).unwrap();
        std::fs::write(root.join("a/prompts/hello.wav"), header(1, 2, 8000, 16)).unwrap();
        std::fs::write(root.join("b/other/hello.wav"), header(1, 1, 16000, 16)).unwrap();
        let roots = vec![root.clone()];
        assert_eq!(
            find_by_url_path("/media/prompts/HELLO.wav", &roots),
            Some(root.join("a/prompts/hello.wav"))
        );
        assert_eq!(find_by_url_path("/x/missing.wav", &roots), None);
        // A file outside the roots is never read, even through a link inside them.
        let outside = dir.path().join("secret.wav");
        std::fs::write(&outside, header(1, 2, 8000, 16)).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, root.join("a/linked.wav")).unwrap();
            assert_eq!(read_wav_info(&root.join("a/linked.wav"), &roots), None);
        }
        assert_eq!(read_wav_info(&outside, &roots), None);
        assert!(read_wav_info(&root.join("a/prompts/hello.wav"), &roots).is_some());
    }
}
