use crate::media::{find_by_url_path, read_wav_info};
use crate::rules::util::{file_source_urls, path_extension, url_path, url_text_with_known_end};
use crate::rules::{Context, Finding, Need, Rule, Severity};

/// ## What it does
/// Reports a `.wav` file play source whose file is in the workspace and is not a PCM, 16-bit,
/// mono, 16 kHz WAV. The file is found by the URL's path: the workspace `.wav` file that shares
/// the longest run of trailing path segments with it (at least the file name). The message says
/// what the file actually is, for example "44.1 kHz stereo 16-bit PCM".
///
/// acs-lint reads at most 64 KB of the file, only inside the workspace roots, and follows no
/// link that leaves them. A URL whose file is not in the workspace is not reported.
///
/// ## Why is this bad?
/// Call Automation plays WAV prompts only when they are mono, 16-bit PCM at 16 kHz. A CD-quality
/// stereo recording, an 8 kHz telephony file or a compressed WAV fails with a `PlayFailed` event
/// (the file format is invalid), although the URL is right and the file downloads fine.
///
/// ## Example
/// ```csharp
/// // prompts/welcome.wav in the repository is 44.1 kHz stereo.
/// var prompt = new FileSource(new Uri("https://contoso.blob.core.windows.net/prompts/welcome.wav"));
/// ```
///
/// Use instead: the same code, after converting the file, for example with
/// `ffmpeg -i welcome.wav -ac 1 -ar 16000 -sample_fmt s16 welcome-16k.wav`.
///
/// ## Fix
/// There is no automatic fix: convert the recording to 16 kHz, 16-bit, mono PCM and upload it
/// again.
pub struct PlaySourceWavFormat;

impl Rule for PlaySourceWavFormat {
    fn code(&self) -> &'static str {
        "ACS004"
    }

    fn name(&self) -> &'static str {
        "play-source-wav-format"
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn needs(&self) -> &'static [Need] {
        const NEEDS: &[Need] = &[Need::any(&["fileSource"])];
        NEEDS
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if ctx.roots.is_empty() {
            return;
        }
        for &use_site in file_source_urls(ctx) {
            let Some(text) = url_text_with_known_end(ctx, use_site) else {
                continue;
            };
            let Some(path) = url_path(&text) else {
                continue;
            };
            if path_extension(path).as_deref() != Some("wav") {
                continue;
            }
            let Some(file) = find_by_url_path(path, ctx.roots) else {
                continue;
            };
            let Some(info) = read_wav_info(&file, ctx.roots) else {
                continue;
            };
            if info.is_call_automation_format() {
                continue;
            }
            let Some(range) = ctx.facts.expr(use_site).map(|e| e.range.clone()) else {
                continue;
            };
            let shown = ctx
                .roots
                .iter()
                .find_map(|root| file.strip_prefix(root).ok())
                .unwrap_or(&file)
                .display()
                .to_string();
            out.push(ctx.finding(
                self,
                range,
                format!(
                    "Prompt `{shown}` is {}; Call Automation plays only 16 kHz mono 16-bit PCM WAV files",
                    info.describe()
                ),
            ));
        }
    }
}
