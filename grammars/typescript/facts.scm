
; TypeScript additions to the JavaScript patterns above.
(as_expression . (_) @wrap.inner) @wrap
(satisfies_expression . (_) @wrap.inner) @wrap
(non_null_expression (_) @wrap.inner) @wrap
(public_field_definition name: (_) @binding.name value: (_) @binding.value) @binding
