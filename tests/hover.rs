//! Hover knowledge in every language: codes compared with ACS code-bearing expressions get the
//! area's explanation; ports, sizes and loop bounds get nothing.

use acs_lint::document::parse;
use acs_lint::facts::build;
use acs_lint::hover::hover;
use acs_lint::language::Language;

/// Hover markdown at the first occurrence of `needle` (offset inside it) in `source`.
fn hover_on(language: Language, source: &str, needle: &str) -> Option<String> {
    let at = source.find(needle).expect("needle in source") + 1;
    let tree = parse(language, source).expect("parse");
    let facts = build(language, &tree, source);
    hover(&facts, source, at).map(|h| h.markdown)
}

fn assert_area(markdown: Option<String>, area: &str, words: &[&str]) {
    let markdown = markdown.expect("a hover");
    assert!(markdown.contains(area), "expected {area} in {markdown}");
    for word in words {
        assert!(
            markdown.to_lowercase().contains(&word.to_lowercase()),
            "expected {word} in {markdown}"
        );
    }
    let meaning = markdown.find(area).unwrap_or(0);
    let action = markdown.find("What to do").expect("action");
    assert!(meaning < action, "area and meaning come before the action");
    assert!(
        !markdown.contains('<') || !markdown.contains("</"),
        "no raw HTML: {markdown}"
    );
}

#[test]
fn calling_end_reason_in_javascript_and_typescript() {
    let js = "import { CallClient } from \"@azure/communication-calling\";\ncall.on('stateChanged', () => { if (call.callEndReason.code === 487) { notify(); } });\n";
    assert_area(
        hover_on(Language::JavaScript, js, "487"),
        "Calling",
        &["cancel"],
    );
    let ts = "switch (call.callEndReason.code) {\n  case 487: break;\n  case 603: break;\n}\n";
    assert_area(
        hover_on(Language::TypeScript, ts, "487"),
        "Calling",
        &["cancel"],
    );
}

#[test]
fn code_and_subcode_pair_is_explained_together() {
    let js = "if (call.callEndReason.code === 487 && call.callEndReason.subCode === 10003) {}\n";
    let markdown = hover_on(Language::JavaScript, js, "10003").expect("hover");
    assert!(
        markdown.contains("487") && markdown.contains("10003"),
        "{markdown}"
    );
}

#[test]
fn call_automation_result_information_in_csharp_python_and_java() {
    let cs = "using Azure.Communication.CallAutomation;\nif (playFailed.ResultInformation.SubCode == 8535) { }\n";
    assert_area(
        hover_on(Language::CSharp, cs, "8535"),
        "Call Automation",
        &[],
    );
    let py = "from azure.communication.callautomation import CallAutomationClient\nif event.result_information.code == 500:\n    pass\n";
    assert_area(
        hover_on(Language::Python, py, "500"),
        "Call Automation",
        &[],
    );
    let java = "import com.azure.communication.callautomation.*;\nclass A { void m(PlayFailed e) { if (e.getResultInformation().getCode() == 400) {} } }\n";
    assert_area(
        hover_on(Language::Java, java, "400"),
        "Call Automation",
        &[],
    );
}

#[test]
fn sms_delivery_status_and_python_match() {
    let py = "from azure.communication.sms import SmsClient\nmatch report.delivery_status_details.status_code:\n    case 4001:\n        pass\n";
    assert_area(hover_on(Language::Python, py, "4001"), "SMS", &[]);
}

#[test]
fn numbers_that_are_not_acs_codes_get_no_hover() {
    let js = "import { CallClient } from \"@azure/communication-calling\";\nconst port = 8080;\nconst limit = 400;\nfor (let i = 0; i < 487; i++) {}\nif (response.status === 404) {}\n";
    assert_eq!(hover_on(Language::JavaScript, js, "8080"), None);
    assert_eq!(hover_on(Language::JavaScript, js, "400"), None);
    assert_eq!(hover_on(Language::JavaScript, js, "487"), None);
    let plain = "if (response.status === 404) {}\n";
    assert_eq!(hover_on(Language::JavaScript, plain, "404"), None);
}

#[test]
fn troubleshooting_ids_and_rule_codes_in_suppressions() {
    let js =
        "const id = result.correlationId;\nheaders['MS-CV'] = cv;\n// acs-lint: ignore ACS001\n";
    assert!(hover_on(Language::JavaScript, js, "orrelationId")
        .is_some_and(|m| m.to_lowercase().contains("correlation")));
    assert!(hover_on(Language::JavaScript, js, "S-CV").is_some());
    let doc = hover_on(Language::JavaScript, js, "CS001").expect("rule hover");
    assert!(
        doc.contains("## What it does") && doc.contains("callback-url-not-https"),
        "{doc}"
    );
}

#[test]
fn chat_error_status_in_every_language() {
    let cs = "using Azure.Communication.Chat;\ntry { await chatClient.CreateChatThreadAsync(topic, participants); }\ncatch (RequestFailedException ex) when (ex.Status == 403) { }\n";
    assert_area(hover_on(Language::CSharp, cs, "403"), "Chat", &[]);
    let py = "from azure.communication.chat import ChatClient\ntry:\n    chat_client.create_chat_thread(topic)\nexcept HttpResponseError as err:\n    if err.status_code == 429:\n        retry()\n";
    assert_area(hover_on(Language::Python, py, "429"), "Chat", &[]);
    let js = "import { ChatClient } from \"@azure/communication-chat\";\ntry { await chatClient.createChatThread({ topic }); } catch (e) { if (e.statusCode === 401) { refreshToken(); } }\n";
    assert_area(hover_on(Language::JavaScript, js, "401"), "Chat", &[]);
    let ts = "import { ChatClient } from \"@azure/communication-chat\";\nswitch (error.statusCode) {\n  case 429: break;\n}\n";
    assert_area(hover_on(Language::TypeScript, ts, "429"), "Chat", &[]);
    let java = "import com.azure.communication.chat.ChatClient;\nclass A { void m(HttpResponseException e) { if (e.getResponse().getStatusCode() == 403) {} } }\n";
    assert_area(hover_on(Language::Java, java, "403"), "Chat", &[]);
}

#[test]
fn sms_delivery_status_in_csharp_javascript_and_java() {
    let cs = "using Azure.Communication.Sms;\nswitch (report.DeliveryStatusDetails.StatusCode) { case 4007: break; }\n";
    assert_area(hover_on(Language::CSharp, cs, "4007"), "SMS", &["opt"]);
    let js = "if (event.data.deliveryStatusDetails.statusCode === 4001) {}\n";
    assert_area(hover_on(Language::JavaScript, js, "4001"), "SMS", &[]);
    let java = "class A { void m(Report r) { if (r.getDeliveryStatusDetails().getStatusCode() == 4002) {} } }\n";
    assert_area(hover_on(Language::Java, java, "4002"), "SMS", &[]);
}

#[test]
fn undecided_context_lists_every_area_that_has_the_code() {
    // An ACS file (common package only) comparing a generic `code`: nothing decides the area.
    let js = "import { AzureCommunicationTokenCredential } from \"@azure/communication-common\";\nif (err.code === 403) { }\n";
    let markdown = hover_on(Language::JavaScript, js, "403").expect("a hover");
    let expected: Vec<&str> = acs_lint::knowledge::areas_with_code(403)
        .into_iter()
        .map(|a| a.title())
        .collect();
    assert!(expected.len() >= 2, "403 is in several areas: {expected:?}");
    for title in expected {
        assert!(markdown.contains(title), "{title} missing from {markdown}");
    }
    // Several areas named by the file: the code's entries in each of them.
    let both = "import { ChatClient } from \"@azure/communication-chat\";\nimport { SmsClient } from \"@azure/communication-sms\";\nif (err.code === 401) { }\n";
    let markdown = hover_on(Language::JavaScript, both, "401").expect("a hover");
    assert!(markdown.contains("Chat"), "{markdown}");
    // The same comparison outside ACS code says nothing.
    let plain = "if (err.code === 403) { }\n";
    assert_eq!(hover_on(Language::JavaScript, plain, "403"), None);
}
