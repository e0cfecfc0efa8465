//! The benchmark corpus: realistic, varied source files in C#, Python, JavaScript, TypeScript
//! and Java, generated from a seed. The same seed gives the same bytes on every machine (a
//! SplitMix64 generator, no hashing of addresses, no clock), so runs are comparable.
//!
//! Files are made of classes and functions whose bodies draw from a pool of ordinary statements
//! (locals, conditions, loops, error handling, collections, string building, switches on status
//! codes, comments). A file that "uses ACS" also imports the ACS SDKs and mixes in the calls the
//! rules look at: callback URLs (mostly https, some plain http), play sources (.wav, .mp3, and
//! formats ACS cannot play), SMS sends and phone numbers (some not E.164), result-code checks.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small, fast, portable pseudo-random generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

/// The languages of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    CSharp,
    Python,
    JavaScript,
    TypeScript,
    Java,
}

impl Lang {
    pub const ALL: [Lang; 5] = [
        Lang::CSharp,
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Java,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            Lang::CSharp => "cs",
            Lang::Python => "py",
            Lang::JavaScript => "js",
            Lang::TypeScript => "ts",
            Lang::Java => "java",
        }
    }

    pub fn lsp_id(self) -> &'static str {
        match self {
            Lang::CSharp => "csharp",
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Java => "java",
        }
    }

    fn line_comment(self) -> &'static str {
        match self {
            Lang::Python => "#",
            _ => "//",
        }
    }
}

/// One generated file.
pub struct SourceFile {
    /// Relative to the corpus root, with `/` separators.
    pub path: String,
    pub lang: Lang,
    pub uses_acs: bool,
    pub text: String,
}

const NOUNS: &[&str] = &[
    "order", "customer", "invoice", "account", "session", "message", "payment", "ticket", "report",
    "profile", "device", "schedule", "request", "refund", "item", "queue", "batch", "notice",
    "agent", "contact", "tenant", "shipment", "policy", "token", "metric", "address", "booking",
    "catalog", "coupon", "ledger", "team", "project", "widget", "upload", "review",
];
const VERBS: &[&str] = &[
    "load",
    "save",
    "update",
    "compute",
    "validate",
    "fetch",
    "build",
    "merge",
    "resolve",
    "parse",
    "format",
    "sync",
    "refresh",
    "apply",
    "collect",
    "render",
    "archive",
    "check",
    "prepare",
    "export",
    "import",
    "normalize",
    "reconcile",
    "schedule",
    "publish",
    "find",
];
const ADJECTIVES: &[&str] = &[
    "pending", "active", "total", "last", "next", "current", "default", "max", "min", "recent",
    "primary", "cached", "remote", "local", "expired", "valid",
];
const PROPS: &[&str] = &[
    "id",
    "name",
    "status",
    "total",
    "count",
    "createdAt",
    "updatedAt",
    "owner",
    "region",
    "priority",
    "amount",
    "label",
    "version",
    "retries",
];
const AREAS: &[&str] = &[
    "billing",
    "identity",
    "inventory",
    "notifications",
    "scheduling",
    "reporting",
    "search",
    "payments",
    "support",
    "analytics",
    "catalog",
    "shipping",
    "gateway",
    "admin",
    "telephony",
];
const SENTENCES: &[&str] = &[
    "Keep the order stable so the report diff stays small.",
    "The upstream service returns null for deleted records.",
    "Retry once: the cache may be warming up after a deploy.",
    "TODO: move this to the shared configuration module.",
    "Values are in minor units (cents) to avoid rounding.",
    "Batch size chosen to stay under the gateway limit.",
    "Callers expect an empty list rather than null.",
    "See the runbook for the manual recovery steps.",
    "This mirrors the validation done by the web client.",
    "Timestamps are UTC; convert only for display.",
];
/// Hosts of ordinary web APIs.
const HOSTS: &[&str] = &[
    "contoso.example",
    "api.contoso.example",
    "cdn.fabrikam.example.net",
    "orders.northwind.example",
    "tailspin.example.org",
];
/// Hosts of ACS callback endpoints and media.
const ACS_HOSTS: &[&str] = &[
    "contoso.example",
    "api.contoso.example",
    "fabrikam-calls.example.net",
    "callbacks.northwind.example",
    "voice.tailspin.example.org",
];
const AUDIO: &[&str] = &["wav", "wav", "mp3", "mp3", "WAV", "ogg", "m4a", "flac"];
const GOOD_NUMBERS: &[&str] = &[
    "+14255550100",
    "+18005550199",
    "+442079460000",
    "+61255501234",
];
const BAD_NUMBERS: &[&str] = &[
    "425-555-0100",
    "(425) 555-0123",
    "4255550100",
    "0044 20 7946 0000",
];
const CODES: &[&str] = &["487", "8523", "8510", "603", "4001", "480", "8536"];

fn pascal(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn snake(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Writes source text line by line with indentation.
struct Out {
    text: String,
    lines: usize,
    indent: usize,
}

impl Out {
    fn new() -> Out {
        Out {
            text: String::new(),
            lines: 0,
            indent: 0,
        }
    }

    fn line(&mut self, content: &str) {
        if !content.is_empty() {
            for _ in 0..self.indent {
                self.text.push_str("    ");
            }
        }
        self.text.push_str(content);
        self.text.push('\n');
        self.lines += 1;
    }

    fn open(&mut self, content: &str) {
        self.line(content);
        self.indent += 1;
    }

    /// A C#-style block: the header, then `{` on its own line.
    fn open_brace(&mut self, header: &str) {
        self.line(header);
        self.line("{");
        self.indent += 1;
    }

    fn close(&mut self, content: &str) {
        self.indent = self.indent.saturating_sub(1);
        self.line(content);
    }
}

/// Generates one file's text.
struct Gen<'r> {
    rng: &'r mut Rng,
    lang: Lang,
    acs: bool,
    /// This (non-ACS JavaScript or TypeScript) file uses Node-style callbacks, so it passes
    /// the pre-filter without using ACS, as some real files do.
    node_callbacks: bool,
    out: Out,
    counter: usize,
}

impl Gen<'_> {
    fn fresh(&mut self, base: &str) -> String {
        self.counter += 1;
        format!("{base}{}", self.counter)
    }

    fn noun(&mut self) -> &'static str {
        self.rng.pick(NOUNS)
    }

    fn ident(&mut self) -> String {
        let adj = self.rng.pick(ADJECTIVES);
        let noun = self.noun();
        let name = format!("{adj}{}", pascal(noun));
        let name = self.fresh(&name);
        match self.lang {
            Lang::Python => snake(&name),
            _ => name,
        }
    }

    fn method_name(&mut self) -> String {
        let verb = self.rng.pick(VERBS);
        let noun = self.noun();
        match self.lang {
            Lang::Python => format!("{verb}_{noun}"),
            Lang::CSharp => format!("{}{}", pascal(verb), pascal(noun)),
            _ => format!("{verb}{}", pascal(noun)),
        }
    }

    fn prop(&mut self) -> String {
        let prop = self.rng.pick(PROPS);
        match self.lang {
            Lang::Python => snake(prop),
            Lang::CSharp => pascal(prop),
            _ => prop.to_string(),
        }
    }

    fn callback_url(&mut self) -> String {
        let scheme = if self.rng.percent(30) {
            "http"
        } else {
            "https"
        };
        let host = self.rng.pick(ACS_HOSTS);
        let path = self
            .rng
            .pick(&["api/callbacks", "events", "calls/events", "acs/callback"]);
        format!("{scheme}://{host}/{path}")
    }

    fn audio_url(&mut self) -> String {
        let host = self.rng.pick(ACS_HOSTS);
        let name = self
            .rng
            .pick(&["greeting", "hold-music", "menu", "goodbye", "prompt"]);
        let ext = self.rng.pick(AUDIO);
        let query = if self.rng.percent(20) { "?sv=2024" } else { "" };
        format!("https://{host}/audio/{name}.{ext}{query}")
    }

    fn phone(&mut self) -> &'static str {
        if self.rng.percent(25) {
            self.rng.pick(BAD_NUMBERS)
        } else {
            self.rng.pick(GOOD_NUMBERS)
        }
    }

    fn comment(&mut self) {
        let sentence = self.rng.pick(SENTENCES);
        let prefix = self.lang.line_comment();
        self.out.line(&format!("{prefix} {sentence}"));
    }

    // ---------------------------------------------------------------------------------------
    // Files
    // ---------------------------------------------------------------------------------------

    fn file(&mut self, class_name: &str, target_lines: usize) {
        match self.lang {
            Lang::CSharp => self.csharp_file(class_name, target_lines),
            Lang::Python => self.python_file(class_name, target_lines),
            Lang::JavaScript | Lang::TypeScript => self.js_file(class_name, target_lines),
            Lang::Java => self.java_file(class_name, target_lines),
        }
    }

    fn body(&mut self, statements: usize) {
        for _ in 0..statements {
            if self.acs && self.rng.percent(22) {
                self.acs_statement();
            } else {
                self.statement();
            }
        }
    }

    fn statement(&mut self) {
        match self.lang {
            Lang::CSharp => self.csharp_statement(),
            Lang::Python => self.python_statement(),
            Lang::JavaScript | Lang::TypeScript => self.js_statement(),
            Lang::Java => self.java_statement(),
        }
    }

    fn acs_statement(&mut self) {
        match self.lang {
            Lang::CSharp => self.csharp_acs(),
            Lang::Python => self.python_acs(),
            Lang::JavaScript | Lang::TypeScript => self.js_acs(),
            Lang::Java => self.java_acs(),
        }
    }

    // ---------------------------------------------------------------------------------------
    // C#
    // ---------------------------------------------------------------------------------------

    fn csharp_file(&mut self, class_name: &str, target_lines: usize) {
        let o = &mut self.out;
        o.line("using System;");
        o.line("using System.Collections.Generic;");
        o.line("using System.Linq;");
        o.line("using System.Threading.Tasks;");
        o.line("using Microsoft.Extensions.Logging;");
        if self.acs {
            o.line("using Azure.Communication;");
            o.line("using Azure.Communication.CallAutomation;");
            o.line("using Azure.Communication.Sms;");
        }
        o.line("");
        let area = pascal(self.rng.pick(AREAS));
        self.out
            .open_brace(&format!("namespace Contoso.{area}.Services"));
        self.out.open_brace(&format!("public class {class_name}"));
        self.out
            .line(&format!("private readonly ILogger<{class_name}> _logger;"));
        let max = self.rng.range(10, 500);
        let noun = pascal(self.noun());
        self.out
            .line(&format!("private const int Max{noun}Count = {max};"));
        if self.acs {
            self.out
                .line("private readonly CallAutomationClient _callClient;");
            self.out.line("private readonly SmsClient _smsClient;");
        }
        self.out.line("");
        self.out.open_brace(&format!(
            "public {class_name}(ILogger<{class_name}> logger, string connectionString)"
        ));
        self.out.line("_logger = logger;");
        if self.acs {
            self.out
                .line("_callClient = new CallAutomationClient(connectionString);");
            self.out
                .line("_smsClient = new SmsClient(connectionString);");
        }
        self.out.close("}");
        while self.out.lines + 4 < target_lines {
            self.out.line("");
            let name = self.method_name();
            let param = self.noun();
            let kind = self.rng.below(3);
            if self.rng.percent(30) {
                self.out.line("/// <summary>");
                let sentence = self.rng.pick(SENTENCES);
                self.out.line(&format!("/// {sentence}"));
                self.out.line("/// </summary>");
            }
            let signature = match kind {
                0 => format!(
                    "public async Task<int> {name}Async({} {param}, int limit)",
                    pascal(param)
                ),
                1 => format!(
                    "public IReadOnlyList<string> {name}(IEnumerable<{}> {param}s)",
                    pascal(param)
                ),
                _ => format!("private static decimal {name}(decimal amount, int count)"),
            };
            self.out.open_brace(&signature);
            let n = self.rng.range(4, 12);
            self.body(n);
            match kind {
                0 => self.out.line("return limit;"),
                1 => self.out.line("return new List<string>();"),
                _ => self.out.line("return amount * count;"),
            }
            self.out.close("}");
        }
        self.out.close("}");
        self.out.close("}");
    }

    fn csharp_statement(&mut self) {
        let v = self.ident();
        let p = self.prop();
        let noun = self.noun();
        match self.rng.below(11) {
            0 => self.out.line(&format!(
                "var {v} = {noun}?.{p} ?? \"{}\";",
                self.rng.pick(ADJECTIVES)
            )),
            1 => {
                let n = self.rng.range(1, 1000);
                self.out.open_brace(&format!("if ({v} > {n} && _logger != null)"));
                self.out.line(&format!(
                    "_logger.LogInformation(\"{noun} over limit: {{Count}}\", {v});"
                ));
                self.out.close("}");
                self.out.open_brace("else");
                self.out.line(&format!("{v} += {};", self.rng.range(1, 9)));
                self.out.close("}");
            }
            2 => {
                self.out.line(&format!("var {v} = 0m;"));
                self.out.open_brace(&format!("foreach (var entry in {noun}Items)"));
                self.out.line(&format!("{v} += entry.{p};"));
                self.out.close("}");
            }
            3 => {
                self.out.open_brace("try");
                let m = self.method_name();
                self.out.line(&format!("await {m}Async({v});"));
                self.out.close("}");
                self.out.open_brace("catch (InvalidOperationException ex)");
                self.out.line(&format!(
                    "_logger.LogWarning(ex, \"Could not {} {noun}\");",
                    self.rng.pick(VERBS)
                ));
                self.out.close("}");
            }
            4 => self.out.line(&format!(
                "var {v} = new List<string> {{ \"{}\", \"{}\", \"{}\" }};",
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS)
            )),
            5 => {
                let host = self.rng.pick(HOSTS);
                self.out.line(&format!(
                    "var {v} = $\"https://{host}/{noun}s/{{{p}}}?page={{page}}\";"
                ));
            }
            6 => {
                self.out.open_brace(&format!("switch ({v}.StatusCode)"));
                for code in ["404", "409", "500"] {
                    self.out.line(&format!("case {code}:"));
                    self.out.indent += 1;
                    self.out
                        .line(&format!("_logger.LogError(\"{noun} failed with {code}\");"));
                    self.out.line("break;");
                    self.out.indent -= 1;
                }
                self.out.line("default:");
                self.out.indent += 1;
                self.out.line("break;");
                self.out.indent -= 1;
                self.out.close("}");
            }
            7 => self.out.line(&format!(
                "var {v} = {noun}s.Where(x => x.IsActive && x.{p} != null).Select(x => x.Id).ToList();"
            )),
            8 => self.comment(),
            9 => self.out.line(&format!(
                "var {v} = new Dictionary<string, int> {{ [\"{noun}\"] = {}, [\"{}\"] = {} }};",
                self.rng.range(0, 99),
                self.rng.pick(NOUNS),
                self.rng.range(0, 99)
            )),
            _ => {
                let m = self.method_name();
                self.out.line(&format!(
                    "var {v} = await {m}Async({noun}.{p}, Max{}Count);",
                    pascal(self.rng.pick(NOUNS))
                ));
            }
        }
    }

    fn csharp_acs(&mut self) {
        let v = self.ident();
        match self.rng.below(8) {
            0 => {
                let url = self.callback_url();
                let (a, b) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "var {v}Invite = new CallInvite(new PhoneNumberIdentifier(\"{a}\"), new PhoneNumberIdentifier(\"{b}\"));"
                ));
                self.out.line(&format!(
                    "var {v} = new CreateCallOptions({v}Invite, new Uri(\"{url}\"));"
                ));
                self.out
                    .line(&format!("await _callClient.CreateCallAsync({v});"));
            }
            1 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "var {v} = await _callClient.AnswerCallAsync(incomingCallContext, new Uri(\"{url}\"));"
                ));
            }
            2 => {
                let url = self.audio_url();
                self.out
                    .line(&format!("var {v} = new FileSource(new Uri(\"{url}\"));"));
                self.out.line(&format!(
                    "await _callClient.GetCallConnection(callConnectionId).GetCallMedia().PlayToAllAsync({v});"
                ));
            }
            3 => {
                let (from, to) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "var {v} = await _smsClient.SendAsync(from: \"{from}\", to: \"{to}\", message: \"Your code is ready\");"
                ));
            }
            4 => {
                let code = self.rng.pick(CODES);
                self.out
                    .open_brace(&format!("if (result.ResultInformation?.Code == {code})"));
                self.out
                    .line(&format!("_logger.LogWarning(\"Call ended with {code}\");"));
                self.out.close("}");
            }
            5 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "var {v} = new AnswerCallOptions(incomingCallContext, new Uri(\"{url}\")) {{ OperationContext = \"inbound\" }};"
                ));
            }
            6 => {
                let url = self.callback_url();
                let target = self.phone();
                self.out.line(&format!(
                    "var {v} = new CreateCallOptions(new CallInvite(new PhoneNumberIdentifier(\"{target}\"), callerId), new Uri(\"{url}\"))"
                ));
                self.out.line("{");
                self.out.indent += 1;
                self.out.line("OperationContext = \"outbound\",");
                self.out.indent -= 1;
                self.out.line("};");
            }
            _ => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "var {v} = await _callClient.CreateCallAsync(invite, new Uri(\"{url}\"));"
                ));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Python
    // ---------------------------------------------------------------------------------------

    fn python_file(&mut self, class_name: &str, target_lines: usize) {
        self.out
            .line(&format!("\"\"\"{}\"\"\"", self.rng.pick(SENTENCES)));
        self.out.line("import logging");
        self.out.line("import os");
        self.out.line("from dataclasses import dataclass, field");
        self.out.line("from typing import Dict, List, Optional");
        if self.acs {
            self.out.line("");
            self.out
                .line("from azure.communication.callautomation import (");
            self.out.line("    CallAutomationClient,");
            self.out.line("    CallInvite,");
            self.out.line("    FileSource,");
            self.out.line("    PhoneNumberIdentifier,");
            self.out.line(")");
            self.out
                .line("from azure.communication.sms import SmsClient");
        }
        self.out.line("");
        self.out.line("logger = logging.getLogger(__name__)");
        let noun = self.noun().to_ascii_uppercase();
        self.out
            .line(&format!("MAX_{noun}_COUNT = {}", self.rng.range(10, 500)));
        if self.acs {
            self.out.line("call_client = CallAutomationClient.from_connection_string(os.environ[\"ACS_CONNECTION_STRING\"])");
            self.out.line("sms_client = SmsClient.from_connection_string(os.environ[\"ACS_CONNECTION_STRING\"])");
        }
        self.out.line("");
        self.out.line("");
        self.out.line("@dataclass");
        self.out.open(&format!("class {class_name}Record:"));
        self.out.line("id: str");
        self.out.line("total: int = 0");
        self.out
            .line("tags: List[str] = field(default_factory=list)");
        self.out.indent = 0;
        self.out.line("");
        self.out.line("");
        self.out.open(&format!("class {class_name}:"));
        self.out.open("def __init__(self, repository, limit=100):");
        self.out.line("self.repository = repository");
        self.out.line("self.limit = limit");
        self.out.indent = 1;
        while self.out.lines + 3 < target_lines {
            self.out.line("");
            let name = self.method_name();
            let param = self.noun();
            if self.rng.percent(15) {
                // A module-level function now and then.
                self.out.indent = 0;
                self.out.line("");
                self.out.open(&format!("def {name}({param}, count=3):"));
                self.out
                    .line(&format!("\"\"\"{}\"\"\"", self.rng.pick(SENTENCES)));
                let n = self.rng.range(3, 10);
                self.body(n);
                self.out.line(&format!("return {param}"));
                self.out.indent = 0;
                self.out.line("");
                self.out.line("");
                self.out
                    .open(&format!("class {class_name}{}:", self.counter));
                self.out.line("pass");
                self.out.indent = 1;
                continue;
            }
            self.out.open(&format!(
                "def {name}(self, {param}: Optional[dict] = None, count: int = 3) -> int:"
            ));
            let n = self.rng.range(4, 12);
            self.body(n);
            self.out.line("return count");
            self.out.indent = 1;
        }
    }

    fn python_statement(&mut self) {
        let v = self.ident();
        let p = self.prop();
        let noun = self.noun();
        match self.rng.below(11) {
            0 => self.out.line(&format!(
                "{v} = ({noun} or {{}}).get(\"{p}\", {})",
                self.rng.range(0, 99)
            )),
            1 => {
                self.out
                    .open(&format!("if {v}_limit > {}:", self.rng.range(1, 999)));
                self.out.line(&format!(
                    "logger.info(\"%s over limit: %d\", \"{noun}\", count)"
                ));
                self.out.close("elif count < 0:");
                self.out.indent += 1;
                self.out.line("count = 0");
                self.out.close("else:");
                self.out.indent += 1;
                self.out.line(&format!("count += {}", self.rng.range(1, 9)));
                self.out.indent -= 1;
            }
            2 => {
                self.out.line(&format!("{v} = 0"));
                self.out
                    .open(&format!("for entry in self.repository.list_{noun}s():"));
                self.out.line(&format!("{v} += entry.{p}"));
                self.out.indent -= 1;
            }
            3 => {
                self.out.open("try:");
                let m = self.method_name();
                self.out.line(&format!("self.{m}({noun}={v}_value)"));
                self.out.close("except (KeyError, ValueError) as error:");
                self.out.indent += 1;
                self.out.line(&format!(
                    "logger.warning(\"could not {} {noun}: %s\", error)",
                    self.rng.pick(VERBS)
                ));
                self.out.indent -= 1;
            }
            4 => self.out.line(&format!(
                "{v} = [\"{}\", \"{}\", \"{}\"]",
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS)
            )),
            5 => {
                let host = self.rng.pick(HOSTS);
                self.out.line(&format!(
                    "{v} = f\"https://{host}/{noun}s/{{{p}}}?page={{count}}\""
                ));
            }
            6 => self.out.line(&format!(
                "{v} = [item.{p} for item in self.repository.list_{noun}s() if item.active]"
            )),
            7 => self.out.line(&format!(
                "{v} = {{\"{noun}\": {}, \"{}\": {}}}",
                self.rng.range(0, 99),
                self.rng.pick(NOUNS),
                self.rng.range(0, 99)
            )),
            8 => self.comment(),
            9 => {
                self.out.open(&format!(
                    "with open(os.path.join(\"data\", \"{noun}.json\"), encoding=\"utf-8\") as handle:"
                ));
                self.out.line(&format!("{v} = handle.read()"));
                self.out.indent -= 1;
            }
            _ => {
                let m = self.method_name();
                self.out.line(&format!(
                    "{v} = self.{m}({noun}, count=MAX_{}_COUNT)",
                    self.rng.pick(NOUNS).to_ascii_uppercase()
                ));
            }
        }
    }

    fn python_acs(&mut self) {
        let v = self.ident();
        match self.rng.below(7) {
            0 => {
                let url = self.callback_url();
                let (a, b) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "{v}_invite = CallInvite(target=PhoneNumberIdentifier(\"{a}\"), source_caller_id_number=PhoneNumberIdentifier(\"{b}\"))"
                ));
                self.out.line(&format!(
                    "{v} = call_client.create_call({v}_invite, \"{url}\")"
                ));
            }
            1 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "{v} = call_client.answer_call(incoming_call_context=context, callback_url=\"{url}\")"
                ));
            }
            2 => {
                let url = self.audio_url();
                if self.rng.percent(50) {
                    self.out.line(&format!("{v} = FileSource(url=\"{url}\")"));
                } else {
                    self.out.line(&format!("{v} = FileSource(\"{url}\")"));
                }
                self.out.line(&format!(
                    "call_client.get_call_connection(call_connection_id).play_media_to_all({v})"
                ));
            }
            3 => {
                let (from, to) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "{v} = sms_client.send(from_=\"{from}\", to=[\"{to}\"], message=\"Your code is ready\")"
                ));
            }
            4 => {
                let code = self.rng.pick(CODES);
                self.out
                    .open(&format!("if result.result_information.code == {code}:"));
                self.out
                    .line(&format!("logger.warning(\"call ended with {code}\")"));
                self.out.indent -= 1;
            }
            5 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "{v} = call_client.create_call(target_participant=invite, callback_url=\"{url}\", operation_context=\"outbound\")"
                ));
            }
            _ => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "{v} = call_client.answer_call(context, \"{url}\")"
                ));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // JavaScript and TypeScript
    // ---------------------------------------------------------------------------------------

    fn js_file(&mut self, class_name: &str, target_lines: usize) {
        let ts = self.lang == Lang::TypeScript;
        let esm = ts || self.rng.percent(60);
        if self.acs {
            if esm {
                self.out.line(
                    "import { CallAutomationClient } from \"@azure/communication-call-automation\";",
                );
                self.out
                    .line("import { SmsClient } from \"@azure/communication-sms\";");
            } else {
                self.out.line("const { CallAutomationClient } = require(\"@azure/communication-call-automation\");");
                self.out
                    .line("const { SmsClient } = require(\"@azure/communication-sms\");");
            }
        }
        if esm {
            self.out.line("import path from \"node:path\";");
            self.out.line(&format!(
                "import {{ logger }} from \"../{}/logger\";",
                self.rng.pick(AREAS)
            ));
        } else {
            self.out.line("const path = require(\"node:path\");");
            self.out.line(&format!(
                "const {{ logger }} = require(\"../{}/logger\");",
                self.rng.pick(AREAS)
            ));
        }
        self.out.line("");
        let noun = self.noun().to_ascii_uppercase();
        self.out.line(&format!(
            "const MAX_{noun}_COUNT = {};",
            self.rng.range(10, 500)
        ));
        if self.acs {
            self.out.line(
                "const callClient = new CallAutomationClient(process.env.ACS_CONNECTION_STRING);",
            );
            self.out
                .line("const smsClient = new SmsClient(process.env.ACS_CONNECTION_STRING);");
        }
        self.out.line("");
        if ts {
            self.out
                .open(&format!("export interface {class_name}Record {{"));
            self.out.line("id: string;");
            self.out.line("total: number;");
            self.out.line("tags: string[];");
            self.out.line("owner?: { name: string; region: string };");
            self.out.close("}");
            self.out.line("");
        }
        let export = if esm { "export " } else { "" };
        self.out.open(&format!("{export}class {class_name} {{"));
        if ts {
            self.out
                .line("private readonly cache = new Map<string, number>();");
            self.out.line("");
            self.out.open(
                "constructor(private readonly repository: Repository, private readonly limit: number = 100) {}",
            );
            self.out.indent -= 1;
        } else {
            self.out.open("constructor(repository, limit = 100) {");
            self.out.line("this.repository = repository;");
            self.out.line("this.limit = limit;");
            self.out.line("this.cache = new Map();");
            self.out.close("}");
        }
        let mut in_class = true;
        while self.out.lines + 3 < target_lines {
            self.out.line("");
            let name = self.method_name();
            let param = self.noun();
            if in_class && self.rng.percent(12) {
                self.out.close("}");
                self.out.line("");
                in_class = false;
            }
            let signature = match (in_class, ts) {
                (true, true) => {
                    format!("async {name}({param}: {class_name}Record, count: number = 3): Promise<number> {{")
                }
                (true, false) => format!("async {name}({param}, count = 3) {{"),
                (false, true) => format!(
                    "{export}const {name} = async ({param}: {class_name}Record, count = 3): Promise<number> => {{"
                ),
                (false, false) => {
                    format!("{export}async function {name}({param}, count = 3) {{")
                }
            };
            self.out.open(&signature);
            let n = self.rng.range(4, 12);
            self.body(n);
            self.out.line("return count;");
            if !in_class && ts {
                self.out.close("};");
            } else {
                self.out.close("}");
            }
            if !in_class && self.rng.percent(40) {
                self.out.line("");
                self.out
                    .open(&format!("{export}class {class_name}{} {{", self.counter));
                in_class = true;
                self.out
                    .line(&format!("limit = {};", self.rng.range(1, 99)));
            }
        }
        if in_class {
            self.out.close("}");
        }
        if !esm {
            self.out.line("");
            self.out
                .line(&format!("module.exports = {{ {class_name} }};"));
        }
    }

    fn js_statement(&mut self) {
        let v = self.ident();
        let p = self.prop();
        let noun = self.noun();
        let this = "this";
        match self.rng.below(12) {
            0 => self.out.line(&format!(
                "const {v} = {noun}?.{p} ?? \"{}\";",
                self.rng.pick(ADJECTIVES)
            )),
            1 => {
                self.out
                    .open(&format!("if (count > {} && {v}Enabled) {{", self.rng.range(1, 999)));
                self.out
                    .line(&format!("logger.info(`{noun} over limit: ${{count}}`);"));
                self.out.close("} else {");
                self.out.indent += 1;
                self.out.line(&format!("count += {};", self.rng.range(1, 9)));
                self.out.close("}");
            }
            2 => {
                self.out.line(&format!("let {v} = 0;"));
                self.out.open(&format!(
                    "for (const entry of await {this}.repository.list{}s()) {{",
                    pascal(noun)
                ));
                self.out.line(&format!("{v} += entry.{p};"));
                self.out.close("}");
            }
            3 => {
                self.out.open("try {");
                let m = self.method_name();
                self.out
                    .line(&format!("await {this}.{m}({noun}Id, {{ retries: 2 }});"));
                self.out.close("} catch (error) {");
                self.out.indent += 1;
                self.out.line(&format!(
                    "logger.warn(`could not {} {noun}`, error);",
                    self.rng.pick(VERBS)
                ));
                self.out.close("}");
            }
            4 => self.out.line(&format!(
                "const {v} = [\"{}\", \"{}\", \"{}\"];",
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS)
            )),
            5 => {
                let host = self.rng.pick(HOSTS);
                self.out.line(&format!(
                    "const {v} = `https://{host}/{noun}s/${{{noun}.{p}}}?page=${{count}}`;"
                ));
            }
            6 => self.out.line(&format!(
                "const {v} = (await {this}.repository.list{}s()).filter((x) => x.active).map((x) => x.{p});",
                pascal(noun)
            )),
            7 => {
                self.out.open(&format!("const {v} = await fetch(path.join(baseUrl, \"{noun}s\"), {{"));
                self.out.line("method: \"POST\",");
                self.out
                    .line("headers: { \"Content-Type\": \"application/json\" },");
                self.out
                    .line(&format!("body: JSON.stringify({{ {p}: count, kind: \"{noun}\" }}),"));
                self.out.close("});");
            }
            8 => self.comment(),
            9 => {
                self.out.open(&format!("switch ({v}Status) {{"));
                for code in ["404", "409"] {
                    self.out.line(&format!("case {code}:"));
                    self.out.indent += 1;
                    self.out
                        .line(&format!("logger.error(\"{noun} failed with {code}\");"));
                    self.out.line("break;");
                    self.out.indent -= 1;
                }
                self.out.line("default:");
                self.out.indent += 1;
                self.out.line("break;");
                self.out.indent -= 1;
                self.out.close("}");
            }
            10 if self.node_callbacks && self.rng.percent(50) => {
                // Node-style callbacks: ordinary code that still passes the pre-filter.
                self.out.open(&format!(
                    "{this}.repository.on(\"{noun}\", (error, callback) => {{"
                ));
                self.out
                    .line("if (error) return callback(error);");
                self.out.line("return callback(null, count);");
                self.out.close("});");
            }
            _ => {
                let m = self.method_name();
                self.out.line(&format!(
                    "const {v} = await {this}.{m}({noun}, MAX_{}_COUNT);",
                    self.rng.pick(NOUNS).to_ascii_uppercase()
                ));
            }
        }
    }

    fn js_acs(&mut self) {
        let v = self.ident();
        match self.rng.below(8) {
            0 => {
                let url = self.callback_url();
                let target = self.phone();
                self.out.line(&format!(
                    "const {v} = await callClient.createCall({{ targetParticipant: {{ phoneNumber: \"{target}\" }} }}, \"{url}\");"
                ));
            }
            1 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "const {v} = await callClient.answerCall(incomingCallContext, \"{url}\");"
                ));
            }
            2 => {
                let url = self.audio_url();
                self.out.line(&format!(
                    "const {v} = {{ kind: \"fileSource\", url: \"{url}\" }};"
                ));
                self.out.line(&format!(
                    "await callClient.getCallConnection(callConnectionId).getCallMedia().playToAll([{v}]);"
                ));
            }
            3 => {
                let (from, to) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "const {v} = await smsClient.send({{ from: \"{from}\", to: [\"{to}\"], message: \"Your code is ready\" }});"
                ));
            }
            4 => {
                let code = self.rng.pick(CODES);
                self.out.open(&format!(
                    "if (event.data.resultInformation.code === {code}) {{"
                ));
                self.out
                    .line(&format!("logger.warn(\"call ended with {code}\");"));
                self.out.close("}");
            }
            5 => {
                let url = self.callback_url();
                let op = self.callback_url();
                self.out.line(&format!(
                    "const {v} = await callClient.createCall(invite, \"{url}\", {{ operationCallbackUrl: \"{op}\" }});"
                ));
            }
            6 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "const {v} = await callClient.createGroupCall(targets, \"{url}\");"
                ));
            }
            _ => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "const {v} = await callClient.answerCall(event.data.incomingCallContext, \"{url}\", {{ operationContext: \"inbound\" }});"
                ));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Java
    // ---------------------------------------------------------------------------------------

    fn java_file(&mut self, class_name: &str, target_lines: usize) {
        let area = self.rng.pick(AREAS);
        self.out.line(&format!("package com.contoso.{area};"));
        self.out.line("");
        self.out.line("import java.util.ArrayList;");
        self.out.line("import java.util.HashMap;");
        self.out.line("import java.util.List;");
        self.out.line("import java.util.Map;");
        self.out.line("import java.util.stream.Collectors;");
        self.out.line("import org.slf4j.Logger;");
        self.out.line("import org.slf4j.LoggerFactory;");
        if self.acs {
            self.out
                .line("import com.azure.communication.callautomation.CallAutomationClient;");
            self.out
                .line("import com.azure.communication.callautomation.CallAutomationClientBuilder;");
            self.out
                .line("import com.azure.communication.callautomation.models.*;");
            self.out
                .line("import com.azure.communication.common.PhoneNumberIdentifier;");
            self.out
                .line("import com.azure.communication.sms.SmsClient;");
        }
        self.out.line("");
        self.out.open(&format!("public class {class_name} {{"));
        self.out.line(&format!(
            "private static final Logger LOGGER = LoggerFactory.getLogger({class_name}.class);"
        ));
        let noun = self.noun().to_ascii_uppercase();
        let max = self.rng.range(10, 500);
        self.out.line(&format!(
            "private static final int MAX_{noun}_COUNT = {max};"
        ));
        if self.acs {
            self.out
                .line("private final CallAutomationClient callClient;");
            self.out.line("private final SmsClient smsClient;");
        }
        self.out.line("");
        self.out
            .open(&format!("public {class_name}(String connectionString) {{"));
        if self.acs {
            self.out.line("this.callClient = new CallAutomationClientBuilder().connectionString(connectionString).buildClient();");
            self.out.line("this.smsClient = null;");
        } else {
            self.out.line("LOGGER.debug(\"created\");");
        }
        self.out.close("}");
        while self.out.lines + 3 < target_lines {
            self.out.line("");
            let name = self.method_name();
            let param = self.noun();
            if self.rng.percent(25) {
                self.out.line("/**");
                self.out.line(&format!(" * {}", self.rng.pick(SENTENCES)));
                self.out.line(" */");
            }
            let signature = match self.rng.below(3) {
                0 => format!("public int {name}({} {param}, int count) {{", pascal(param)),
                1 => format!(
                    "public List<String> {name}(List<{}> {param}s, int count) {{",
                    pascal(param)
                ),
                _ => format!("private static long {name}(long amount, int count) {{"),
            };
            let returns = if signature.contains("List<String>") {
                "return new ArrayList<>();"
            } else {
                "return count;"
            };
            self.out.open(&signature);
            let n = self.rng.range(4, 12);
            self.body(n);
            self.out.line(returns);
            self.out.close("}");
        }
        self.out.close("}");
    }

    fn java_statement(&mut self) {
        let v = self.ident();
        let p = pascal(self.rng.pick(PROPS));
        let noun = self.noun();
        match self.rng.below(11) {
            0 => self
                .out
                .line(&format!("String {v} = String.valueOf({noun}Source.get{p}());")),
            1 => {
                self.out
                    .open(&format!("if (count > {} && {v}Enabled) {{", self.rng.range(1, 999)));
                self.out
                    .line(&format!("LOGGER.info(\"{noun} over limit: {{}}\", count);"));
                self.out.close("} else {");
                self.out.indent += 1;
                self.out.line(&format!("count += {};", self.rng.range(1, 9)));
                self.out.close("}");
            }
            2 => {
                self.out.line(&format!("long {v} = 0;"));
                self.out.open(&format!(
                    "for ({} entry : {noun}Repository.findAll()) {{",
                    pascal(noun)
                ));
                self.out.line(&format!("{v} += entry.get{p}().hashCode();"));
                self.out.close("}");
            }
            3 => {
                self.out.open("try {");
                let m = self.method_name();
                self.out.line(&format!("{m}({noun}Id, count);"));
                self.out.close("} catch (IllegalStateException ex) {");
                self.out.indent += 1;
                self.out.line(&format!(
                    "LOGGER.warn(\"could not {} {noun}\", ex);",
                    self.rng.pick(VERBS)
                ));
                self.out.close("}");
            }
            4 => self.out.line(&format!(
                "List<String> {v} = List.of(\"{}\", \"{}\", \"{}\");",
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS),
                self.rng.pick(NOUNS)
            )),
            5 => {
                let host = self.rng.pick(HOSTS);
                self.out.line(&format!(
                    "String {v} = String.format(\"https://{host}/{noun}s/%s?page=%d\", {noun}Id, count);"
                ));
            }
            6 => self.out.line(&format!(
                "List<String> {v} = {noun}Repository.findAll().stream().filter(x -> x.isActive()).map(x -> x.get{p}().toString()).collect(Collectors.toList());"
            )),
            7 => {
                self.out.line(&format!("Map<String, Integer> {v} = new HashMap<>();"));
                self.out.line(&format!("{v}.put(\"{noun}\", {});", self.rng.range(0, 99)));
            }
            8 => self.comment(),
            9 => {
                self.out.open(&format!("switch ({v}Status) {{"));
                for code in ["404", "409"] {
                    self.out.line(&format!("case {code}:"));
                    self.out.indent += 1;
                    self.out
                        .line(&format!("LOGGER.error(\"{noun} failed with {code}\");"));
                    self.out.line("break;");
                    self.out.indent -= 1;
                }
                self.out.line("default:");
                self.out.indent += 1;
                self.out.line("break;");
                self.out.indent -= 1;
                self.out.close("}");
            }
            _ => {
                let m = self.method_name();
                self.out.line(&format!(
                    "int {v} = {m}({noun}Id, MAX_{}_COUNT);",
                    self.rng.pick(NOUNS).to_ascii_uppercase()
                ));
            }
        }
    }

    fn java_acs(&mut self) {
        let v = self.ident();
        match self.rng.below(7) {
            0 => {
                let url = self.callback_url();
                let (a, b) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "CallInvite {v}Invite = new CallInvite(new PhoneNumberIdentifier(\"{a}\"), new PhoneNumberIdentifier(\"{b}\"));"
                ));
                self.out.line(&format!(
                    "CreateCallOptions {v} = new CreateCallOptions({v}Invite, \"{url}\");"
                ));
            }
            1 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "AnswerCallResult {v} = callClient.answerCall(incomingCallContext, \"{url}\");"
                ));
            }
            2 => {
                let url = self.audio_url();
                self.out.line(&format!(
                    "FileSource {v} = new FileSource().setUrl(\"{url}\");"
                ));
                self.out.line(&format!(
                    "callClient.getCallConnection(callConnectionId).getCallMedia().playToAll({v});"
                ));
            }
            3 => {
                let (from, to) = (self.phone(), self.phone());
                self.out.line(&format!(
                    "SmsSendResult {v} = smsClient.send(\"{from}\", \"{to}\", \"Your code is ready\");"
                ));
            }
            4 => {
                let code = self.rng.pick(CODES);
                self.out.open(&format!(
                    "if (result.getResultInformation().getCode() == {code}) {{"
                ));
                self.out
                    .line(&format!("LOGGER.warn(\"call ended with {code}\");"));
                self.out.close("}");
            }
            5 => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "AnswerCallOptions {v} = new AnswerCallOptions(incomingCallContext, \"{url}\").setOperationContext(\"inbound\");"
                ));
            }
            _ => {
                let url = self.callback_url();
                self.out.line(&format!(
                    "CreateCallResult {v} = callClient.createCall(invite, \"{url}\");"
                ));
            }
        }
    }
}

/// One file's text.
pub fn source(rng: &mut Rng, lang: Lang, uses_acs: bool, class_name: &str, lines: usize) -> String {
    let node_callbacks =
        !uses_acs && matches!(lang, Lang::JavaScript | Lang::TypeScript) && rng.percent(10);
    let mut generator = Gen {
        rng,
        lang,
        acs: uses_acs,
        node_callbacks,
        out: Out::new(),
        counter: 0,
    };
    generator.file(class_name, lines);
    generator.out.text
}

/// A text of exactly `lines` lines: generated to just under the count, then padded with
/// comment lines (valid at the end of a file in every language).
pub fn source_with_lines(
    rng: &mut Rng,
    lang: Lang,
    uses_acs: bool,
    class_name: &str,
    lines: usize,
) -> String {
    let mut text = source(rng, lang, uses_acs, class_name, lines.saturating_sub(2));
    let mut count = text.lines().count();
    while count < lines {
        let _ = writeln!(text, "{} end of {class_name}", lang.line_comment());
        count += 1;
    }
    text
}

fn class_name(rng: &mut Rng, taken: &mut HashSet<String>, suffix: &str) -> String {
    let base = format!(
        "{}{}{}",
        pascal(rng.pick(NOUNS)),
        pascal(rng.pick(NOUNS)),
        suffix
    );
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

fn path_for(rng: &mut Rng, lang: Lang, class_name: &str) -> String {
    let area = rng.pick(AREAS);
    match lang {
        Lang::CSharp => {
            let layer = rng.pick(&[
                "Api/Controllers",
                "Core/Services",
                "Core/Handlers",
                "Infrastructure",
            ]);
            format!("dotnet/Contoso.{}/{layer}/{class_name}.cs", pascal(area))
        }
        Lang::Python => {
            let module = snake(class_name);
            let module = module.trim_start_matches('_');
            format!("python/{area}/{area}/{module}.py")
        }
        Lang::JavaScript => {
            let dir = rng.pick(&["routes", "lib", "handlers", "jobs"]);
            format!("web/{area}-app/src/{dir}/{class_name}.js")
        }
        Lang::TypeScript => {
            let dir = rng.pick(&["services", "models", "api", "utils"]);
            format!("packages/{area}/src/{dir}/{class_name}.ts")
        }
        Lang::Java => {
            format!("java/{area}-service/src/main/java/com/contoso/{area}/{class_name}.java")
        }
    }
}

/// The mix of languages in the monorepo: TypeScript most, then C#, Python, Java, JavaScript.
fn language_at(rng: &mut Rng) -> Lang {
    match rng.below(100) {
        0..=21 => Lang::CSharp,
        22..=41 => Lang::Python,
        42..=55 => Lang::JavaScript,
        56..=79 => Lang::TypeScript,
        _ => Lang::Java,
    }
}

/// A monorepo-like tree: `files` files, one in `acs_every` using ACS, a few hundred lines each.
pub fn monorepo(seed: u64, files: usize, acs_every: usize) -> Vec<SourceFile> {
    let mut rng = Rng::new(seed);
    let mut taken = HashSet::new();
    (0..files)
        .map(|i| {
            let lang = language_at(&mut rng);
            let uses_acs = acs_every > 0 && i % acs_every == 0;
            let suffix = if uses_acs {
                rng.pick(&["CallService", "Notifier", "Dialer", "Reminders"])
            } else {
                rng.pick(&[
                    "Service",
                    "Handler",
                    "Repository",
                    "Controller",
                    "Helper",
                    "Job",
                ])
            };
            let name = class_name(&mut rng, &mut taken, suffix);
            let path = path_for(&mut rng, lang, &name);
            let lines = rng.range(120, 480);
            let text = source(&mut rng, lang, uses_acs, &name, lines);
            SourceFile {
                path,
                lang,
                uses_acs,
                text,
            }
        })
        .collect()
}

/// Writes files under `root` (which is emptied first).
pub fn write(root: &Path, files: &[SourceFile]) -> std::io::Result<()> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    for file in files {
        let path: PathBuf = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.text)?;
    }
    Ok(())
}

/// A 64-bit FNV-1a digest of the files (paths and contents), to show determinism.
pub fn digest(files: &[SourceFile]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        for byte in file
            .path
            .bytes()
            .chain([0])
            .chain(file.text.bytes())
            .chain([0])
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
