use crate::rules::util::{
    file_source_urls, path_extension, shorten, url_path, url_text_with_known_end,
};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports a file play source whose URL points at an audio format Call Automation cannot play:
/// the URL's path (query string and fragment ignored, case-insensitive) ends in an extension
/// other than `.wav` or `.mp3`.
///
/// It looks at every way of declaring a file source: `new FileSource(new Uri(url))` in C#,
/// `FileSource(url)` / `FileSource(url=...)` in Python, `{ kind: "fileSource", url }` in
/// JavaScript and TypeScript, and `new FileSource().setUrl(url)` in Java, with the URL written
/// inline or held in a constant or variable of the same file.
///
/// ## Why is this bad?
/// Call Automation plays only WAV and MP3 files. Any other format (`.ogg`, `.m4a`, `.flac`,
/// `.aac`, ...) makes the play action fail with a `PlayFailed` event whose result code says
/// the file format is invalid, and the caller hears silence.
///
/// ## Example
/// ```python
/// prompt = FileSource(url="https://contoso.blob.core.windows.net/prompts/welcome.m4a")
/// call_connection.play_media_to_all(prompt)
/// ```
///
/// Use instead:
/// ```python
/// prompt = FileSource(url="https://contoso.blob.core.windows.net/prompts/welcome.wav")
/// call_connection.play_media_to_all(prompt)
/// ```
///
/// ## Fix
/// There is no automatic fix: convert the recording (to a 16 kHz, 16-bit mono PCM WAV, or an
/// MP3) and point the play source at the converted file.
pub struct PlaySourceUnsupportedFormat;

/// The formats Call Automation plays from a file source.
const SUPPORTED: &[&str] = &["wav", "mp3"];

impl Rule for PlaySourceUnsupportedFormat {
    fn code(&self) -> &'static str {
        "ACS003"
    }

    fn name(&self) -> &'static str {
        "play-source-unsupported-format"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(&["fileSource"])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for &use_site in file_source_urls(ctx) {
            let Some(text) = url_text_with_known_end(ctx, use_site) else {
                continue;
            };
            let Some(extension) = url_path(&text).and_then(path_extension) else {
                continue;
            };
            if SUPPORTED.contains(&extension.as_str()) {
                continue;
            }
            let Some(range) = ctx.facts.expr(use_site).map(|e| e.range.clone()) else {
                continue;
            };
            out.push(ctx.finding(
                self,
                range,
                format!(
                    "Play source `{}` is a `.{extension}` file; Call Automation plays only WAV and MP3 files",
                    shorten(&text)
                ),
            ));
        }
    }
}
